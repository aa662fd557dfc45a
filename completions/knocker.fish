# Prints the subcommand path being completed (e.g. 'knocker migrate') and how many positionals follow it.
function __knocker_parse_tokens
    set -l path 'knocker'
    set -l positionals 0
    set -l skip_next 0
    set -l terminated 0
    for token in (commandline -opc)[2..-1]
        if test $skip_next -eq 1
            set skip_next 0
            continue
        end
        if test $terminated -eq 0
            if test "$token" = '--'
                set terminated 1
                continue
            end
            if string match -q -- '-*' $token
                if contains -- $token '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--output' '-o' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--to' '--migrations-dir' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--migrations-dir' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--migrations-dir' '--output' '-o' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--dir' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--tick' '--batch' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--output' '-o' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--state' '--limit' '--offset' '--output' '-o' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--type' '-t' '--config' '--timeout' '--method' '-X' '--header' '-H' '--body' '-d' '--body-encoding' '--max-redirects' '--accept' '--ca-file' '--expected-tls-days' '--degraded-after' '--contains' '--not-contains' '--send' '--expect' '--record-type' '-r' '--server' '--packets' '--packet-size' '--loss-threshold' '--count' '-c' '--interval' '-i' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--region' '-r' '--concurrency' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--region' '-r' '--concurrency' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--monitor' '-m' '--region' '-r' '--status' '-s' '--since' '--limit' '-n' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file' '--database-url' '--redis-url' '--log-level' '--log-format' '--env-file'
                    set skip_next 1
                end
                continue
            end
            if test $positionals -eq 0
                switch "$path $token"
            case 'knocker version'
                set path 'knocker version'
                set positionals 0
                continue
            case 'knocker config'
                set path 'knocker config'
                set positionals 0
                continue
            case 'knocker migrate'
                set path 'knocker migrate'
                set positionals 0
                continue
            case 'knocker migrate up'
                set path 'knocker migrate up'
                set positionals 0
                continue
            case 'knocker migrate down'
                set path 'knocker migrate down'
                set positionals 0
                continue
            case 'knocker migrate status'
                set path 'knocker migrate status'
                set positionals 0
                continue
            case 'knocker migrate create'
                set path 'knocker migrate create'
                set positionals 0
                continue
            case 'knocker maintain'
                set path 'knocker maintain'
                set positionals 0
                continue
            case 'knocker schedule'
                set path 'knocker schedule'
                set positionals 0
                continue
            case 'knocker queue'
                set path 'knocker queue'
                set positionals 0
                continue
            case 'knocker queue stats'
                set path 'knocker queue stats'
                set positionals 0
                continue
            case 'knocker queue ls'
                set path 'knocker queue ls'
                set positionals 0
                continue
            case 'knocker queue inspect'
                set path 'knocker queue inspect'
                set positionals 0
                continue
            case 'knocker queue retry'
                set path 'knocker queue retry'
                set positionals 0
                continue
            case 'knocker queue archive'
                set path 'knocker queue archive'
                set positionals 0
                continue
            case 'knocker queue delete'
                set path 'knocker queue delete'
                set positionals 0
                continue
            case 'knocker queue pause'
                set path 'knocker queue pause'
                set positionals 0
                continue
            case 'knocker queue unpause'
                set path 'knocker queue unpause'
                set positionals 0
                continue
            case 'knocker check'
                set path 'knocker check'
                set positionals 0
                continue
            case 'knocker work'
                set path 'knocker work'
                set positionals 0
                continue
            case 'knocker all'
                set path 'knocker all'
                set positionals 0
                continue
            case 'knocker tail-pings'
                set path 'knocker tail-pings'
                set positionals 0
                continue
            case 'knocker notification'
                set path 'knocker notification'
                set positionals 0
                continue
            case 'knocker notification test'
                set path 'knocker notification test'
                set positionals 0
                continue
                end
            end
        end
        set positionals (math $positionals + 1)
    end
    echo $path
    echo $positionals
end

function __knocker_should_offer_completions_for_flags_or_options -a expected_path
    set -l parsed (__knocker_parse_tokens)
    test "$parsed[1]" = "$expected_path"
end

function __knocker_should_offer_completions_for_positional -a expected_path comparison number
    set -l parsed (__knocker_parse_tokens)
    test "$parsed[1]" = "$expected_path"; and test (math $parsed[2] + 1) $comparison $number
end

function __knocker_complete_directories
    __fish_complete_directories (commandline -ct) ''
end

# Asks the binary for candidates: the arguments are the subcommand path, '--' and '--option' or
# 'positional@N'.
function __knocker_custom_completion
    set -l tokens (commandline -op)
    set -l cursor (string length -- (commandline -ct))
    'knocker' ---completion $argv (math (count $tokens) - 1) $cursor $tokens
end

complete -c 'knocker' -f
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" version' -l 'version' -d 'Show the version.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'version' -d 'Show the version of Knocker and its C libraries.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'config' -d 'Show the effective configuration and where each value came from.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'migrate' -d 'Apply, revert and inspect database schema migrations.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'maintain' -d 'Create ping partitions ahead, drop expired days and refresh the 30-minute rollup, once.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'schedule' -d 'Claim due monitors and enqueue their checks into each region\'s queue, until stopped.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'queue' -d 'Inspect and manage the task queues.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'check' -d 'Check a URL, host:port, host or DNS name once (or --count times) and print the result.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'work' -d 'Run checks for one region: serve its queue, record pings, open and resolve incidents.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'all' -d 'Run the scheduler and a worker for the local region in one process.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'tail-pings' -d 'Print recent pings, then follow new ones as workers record them.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker" -eq 1' -fa 'notification' -d 'Work with notification channels.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker version" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" output o' -l 'output' -s 'o' -d 'Output format.' -rfka 'table json tsv'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker config" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker migrate" -eq 1' -fa 'up' -d 'Apply pending migrations.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker migrate" -eq 1' -fa 'down' -d 'Revert the most recently applied migrations.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker migrate" -eq 1' -fa 'status' -d 'List migrations and whether each is applied, pending or changed.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker migrate" -eq 1' -fa 'create' -d 'Create a new pair of empty migration files.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" to' -l 'to' -d 'Stop after this version instead of applying all.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" migrations-dir' -l 'migrations-dir' -d 'Read migrations from this folder instead of the ones built into the binary.' -rfa '(__knocker_complete_directories)'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate up" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" all' -l 'all' -d 'Revert every applied migration.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" migrations-dir' -l 'migrations-dir' -d 'Read migrations from this folder instead of the ones built into the binary.' -rfa '(__knocker_complete_directories)'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate down" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker migrate down" -eq 1' -f -d 'How many migrations to revert (default 1).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" migrations-dir' -l 'migrations-dir' -d 'Read migrations from this folder instead of the ones built into the binary.' -rfa '(__knocker_complete_directories)'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" output o' -l 'output' -s 'o' -d 'Output format.' -rfka 'table json tsv'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate status" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" dir' -l 'dir' -d 'The migrations folder of the source checkout.' -rfa '(__knocker_complete_directories)'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker migrate create" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker migrate create" -eq 1' -f -d 'Lower-case words joined by underscores, e.g. add_monitor_tags.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" no-wait' -l 'no-wait' -d 'Skip instead of waiting when another process is running the upkeep.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker maintain" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" tick' -l 'tick' -d 'Time between claims of due monitors (10ms to 1h).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" batch' -l 'batch' -d 'Most monitors claimed in one transaction (1 to 100000).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker schedule" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'stats' -d 'Show each queue\'s task counts, today\'s processed and failed, and latency.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'ls' -d 'List a queue\'s tasks in one state.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'inspect' -d 'Show one task in full.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'retry' -d 'Run a scheduled, retry or archived task now (move it to pending).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'archive' -d 'Archive a task that is not running.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'delete' -d 'Delete a task that is not running.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'pause' -d 'Stop servers from taking tasks from a queue.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue" -eq 1' -fa 'unpause' -d 'Let servers take tasks from a paused queue again.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" output o' -l 'output' -s 'o' -d 'Output format.' -rfka 'table json tsv'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue stats" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue stats" -eq 1' -f -d 'Only this queue.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" state' -l 'state' -d 'Which tasks to list.' -rfka 'pending active scheduled retry archived completed'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" limit' -l 'limit' -d 'Most tasks to list.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" offset' -l 'offset' -d 'Tasks to skip first.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" output o' -l 'output' -s 'o' -d 'Output format.' -rfka 'table json tsv'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue ls" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue ls" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue inspect" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue inspect" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue inspect" -eq 2' -f -d 'The task ID.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue retry" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue retry" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue retry" -eq 2' -f -d 'The task ID.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue archive" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue archive" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue archive" -eq 2' -f -d 'The task ID.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue delete" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue delete" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue delete" -eq 2' -f -d 'The task ID.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue pause" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue pause" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker queue unpause" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker queue unpause" -eq 1' -f -d 'The queue name.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" type t' -l 'type' -s 't' -d 'Monitor type of the check.' -rfka 'http ping tcp dns'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" config' -l 'config' -d 'A monitor config of that type as JSON; - reads stdin.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" timeout' -l 'timeout' -d 'Timeout in seconds (per reply for ping).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" method X' -l 'method' -s 'X' -d 'http: request method.' -rfka 'GET POST PUT DELETE PATCH HEAD OPTIONS'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" header H' -l 'header' -s 'H' -d 'http: a request header.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" body d' -l 'body' -s 'd' -d 'http: a request body.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" body-encoding' -l 'body-encoding' -d 'http: how the body is sent.' -rfka 'json xml'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" max-redirects' -l 'max-redirects' -d 'http: redirects to follow; 0 means do not follow.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" accept' -l 'accept' -d 'http: an accepted status code (default: any 2xx).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" ignore-tls-error' -l 'ignore-tls-error' -d 'http: accept invalid TLS certificates.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" ca-file' -l 'ca-file' -d 'http: trust the CA certificates in this PEM file instead of the system\'s.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" expected-tls-days' -l 'expected-tls-days' -d 'http: fail when the certificate expires sooner.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" degraded-after' -l 'degraded-after' -d 'http: report degraded when slower than this.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" contains' -l 'contains' -d 'http: the body must contain this text.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" not-contains' -l 'not-contains' -d 'http: the body must not contain this text.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" send' -l 'send' -d 'tcp: text to send after connecting (\\r \\n \\t escapes).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" expect' -l 'expect' -d 'tcp: text the reply must contain; dns: an expected answer (repeatable).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" record-type r' -l 'record-type' -s 'r' -d 'dns: record type.' -rfka 'A AAAA CNAME MX TXT'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" server' -l 'server' -d 'dns: server to ask instead of the system resolver.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" packets' -l 'packets' -d 'ping: echo requests per check (default 1).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" packet-size' -l 'packet-size' -d 'ping: payload bytes (default 56).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" loss-threshold' -l 'loss-threshold' -d 'ping: highest tolerated packet loss (default 0).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" ipv4' -l 'ipv4' -d 'ping: use IPv4 only.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" ipv6' -l 'ipv6' -d 'ping: use IPv6 only.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" count c' -l 'count' -s 'c' -d 'How many checks to run.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" interval i' -l 'interval' -s 'i' -d 'Pause between checks (at most 1d).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker check" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker check" -eq 1' -f -d 'URL (http), host:port (tcp), host (ping) or name (dns).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" region r' -l 'region' -s 'r' -d 'The region to check from (by name).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" concurrency' -l 'concurrency' -d 'Most checks at once (default: WORKER_CONCURRENCY, 1000).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker work" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" region r' -l 'region' -s 'r' -d 'The region to check from (by name); created if missing.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" concurrency' -l 'concurrency' -d 'Most checks at once (default: WORKER_CONCURRENCY, 1000).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker all" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" monitor m' -l 'monitor' -s 'm' -d 'Only this monitor.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" region r' -l 'region' -s 'r' -d 'Only this region (by name).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" status s' -l 'status' -s 's' -d 'Only pings with this status.' -rfka 'successful failed timeout degraded'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" since' -l 'since' -d 'How far back to start (at most 36500d, 100 years).' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" limit n' -l 'limit' -s 'n' -d 'Most past pings printed.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" follow f' -l 'follow' -s 'f' -d 'Keep printing new pings until interrupted.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker tail-pings" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker notification" -eq 1' -fa 'test' -d 'Send a test message through a channel and show its answer.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" json' -l 'json' -d 'Print JSON (same as --output json).'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" database-url' -l 'database-url' -d 'Postgres connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" redis-url' -l 'redis-url' -d 'Redis connection URL.' -rf
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" log-level' -l 'log-level' -d 'Least severe log level written to stderr.' -rfka 'trace debug info notice warning error critical'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" log-format' -l 'log-format' -d 'Log line format.' -rfka 'text json'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" env-file' -l 'env-file' -d 'File of KEY=value settings read before the defaults.' -rF
complete -c 'knocker' -n '__knocker_should_offer_completions_for_flags_or_options "knocker notification test" help h' -l 'help' -s 'h' -d 'Show help information.'
complete -c 'knocker' -n '__knocker_should_offer_completions_for_positional "knocker notification test" -eq 1' -f -d 'The channel\'s ID.'
