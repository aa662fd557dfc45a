#!/bin/bash

__knocker_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__knocker_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"
    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done
    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# Asks the binary for candidates: $1 is '--option' or 'positional@N'.
__knocker_custom_complete() {
    local candidates
    candidates="$("${COMP_WORDS[0]}" ---completion "${subcommand_path[@]}" -- "${1}" "${COMP_CWORD}" \
        "$(__knocker_cursor_index_in_current_word)" "${COMP_WORDS[@]}" 2>/dev/null)"
    __knocker_add_completions -W "${candidates}"
}

# Whether $1 is an option that takes a value in the current (sub)command.
__knocker_takes_value() {
    local option
    for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
        [[ "${1}" == "${option}" ]] && return 0
    done
    return 1
}

# Counts the positionals before the cursor into positional_number (1-based, for the word being
# completed) and offers the flags and options when the word starts with '-'.
__knocker_offer_flags_options() {
    positional_number=1
    local -i word_index
    local -i skip_next=0
    local -i terminated=0
    for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
        local word="${COMP_WORDS[word_index]}"
        if ((skip_next)); then
            skip_next=0
        elif ((!terminated)) && [[ "${word}" == -- ]]; then
            terminated=1
        elif ((!terminated)) && [[ "${word}" == -* ]]; then
            if [[ "${word}" != *=* ]] && __knocker_takes_value "${word}"; then
                skip_next=1
            fi
        else
            ((positional_number++))
        fi
    done
    if ((!terminated)) && [[ "${cur}" == -* ]]; then
        local -a offered=("${repeating_flags[@]}" "${repeating_options[@]}")
        local option
        for option in "${non_repeating_flags[@]}" "${non_repeating_options[@]}"; do
            local used=0
            for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
                [[ "${COMP_WORDS[word_index]}" == "${option}" ]] && used=1
            done
            ((used)) || offered+=("${option}")
        done
        local IFS=$'\n'
        __knocker_add_completions -W "${offered[*]}"
        return 0
    fi
    return 1
}

_knocker() {
    local -r state="$(shopt -p extglob)"
    trap "${state}; trap - RETURN" RETURN
    shopt -s extglob
    export SAP_SHELL=bash
    export SAP_SHELL_VERSION="${BASH_VERSINFO[0]}"
    local -r cur="${2}"
    local -r prev="${3}"
    local -i command_start=1
    local -i positional_number
    local -a subcommand_path=()
    local -a repeating_flags non_repeating_flags repeating_options non_repeating_options
    COMPREPLY=()
    repeating_flags=()
    non_repeating_flags=(--version --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    local -i word_index
    local -i skip_next=0
    for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
        local word="${COMP_WORDS[word_index]}"
        if ((skip_next)); then
            skip_next=0
            continue
        fi
        case "${word}" in
        'version')
            subcommand_path+=('version')
            command_start=$((word_index + 1))
            _knocker_version
            return
            ;;
        'config')
            subcommand_path+=('config')
            command_start=$((word_index + 1))
            _knocker_config
            return
            ;;
        'migrate')
            subcommand_path+=('migrate')
            command_start=$((word_index + 1))
            _knocker_migrate
            return
            ;;
        'maintain')
            subcommand_path+=('maintain')
            command_start=$((word_index + 1))
            _knocker_maintain
            return
            ;;
        'schedule')
            subcommand_path+=('schedule')
            command_start=$((word_index + 1))
            _knocker_schedule
            return
            ;;
        'queue')
            subcommand_path+=('queue')
            command_start=$((word_index + 1))
            _knocker_queue
            return
            ;;
        'check')
            subcommand_path+=('check')
            command_start=$((word_index + 1))
            _knocker_check
            return
            ;;
        'work')
            subcommand_path+=('work')
            command_start=$((word_index + 1))
            _knocker_work
            return
            ;;
        'all')
            subcommand_path+=('all')
            command_start=$((word_index + 1))
            _knocker_all
            return
            ;;
        'tail-pings')
            subcommand_path+=('tail-pings')
            command_start=$((word_index + 1))
            _knocker_tail_pings
            return
            ;;
        'notification')
            subcommand_path+=('notification')
            command_start=$((word_index + 1))
            _knocker_notification
            return
            ;;
        -*)
            if [[ "${word}" != *=* ]] && __knocker_takes_value "${word}"; then
                skip_next=1
            fi
            ;;
        esac
    done
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    if ((positional_number == 1)); then
        __knocker_add_completions -W 'version'$'\n''config'$'\n''migrate'$'\n''maintain'$'\n''schedule'$'\n''queue'$'\n''check'$'\n''work'$'\n''all'$'\n''tail-pings'$'\n''notification'
    fi
}

_knocker_version() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_config() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--output -o --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--output'|'-o')
        __knocker_add_completions -W 'table'$'\n''json'$'\n''tsv'
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_migrate() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    local -i word_index
    local -i skip_next=0
    for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
        local word="${COMP_WORDS[word_index]}"
        if ((skip_next)); then
            skip_next=0
            continue
        fi
        case "${word}" in
        'up')
            subcommand_path+=('up')
            command_start=$((word_index + 1))
            _knocker_migrate_up
            return
            ;;
        'down')
            subcommand_path+=('down')
            command_start=$((word_index + 1))
            _knocker_migrate_down
            return
            ;;
        'status')
            subcommand_path+=('status')
            command_start=$((word_index + 1))
            _knocker_migrate_status
            return
            ;;
        'create')
            subcommand_path+=('create')
            command_start=$((word_index + 1))
            _knocker_migrate_create
            return
            ;;
        -*)
            if [[ "${word}" != *=* ]] && __knocker_takes_value "${word}"; then
                skip_next=1
            fi
            ;;
        esac
    done
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    if ((positional_number == 1)); then
        __knocker_add_completions -W 'up'$'\n''down'$'\n''status'$'\n''create'
    fi
}

_knocker_migrate_up() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--to --migrations-dir --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--to')
        return
        ;;
    '--migrations-dir')
        __knocker_add_completions -d
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_migrate_down() {
    repeating_flags=()
    non_repeating_flags=(--all --json --help -h)
    repeating_options=()
    non_repeating_options=(--migrations-dir --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--migrations-dir')
        __knocker_add_completions -d
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_migrate_status() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--migrations-dir --output -o --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--migrations-dir')
        __knocker_add_completions -d
        return
        ;;
    '--output'|'-o')
        __knocker_add_completions -W 'table'$'\n''json'$'\n''tsv'
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_migrate_create() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--dir --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--dir')
        __knocker_add_completions -d
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_maintain() {
    repeating_flags=()
    non_repeating_flags=(--no-wait --json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_schedule() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--tick --batch --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--tick')
        return
        ;;
    '--batch')
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_queue() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    local -i word_index
    local -i skip_next=0
    for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
        local word="${COMP_WORDS[word_index]}"
        if ((skip_next)); then
            skip_next=0
            continue
        fi
        case "${word}" in
        'stats')
            subcommand_path+=('stats')
            command_start=$((word_index + 1))
            _knocker_queue_stats
            return
            ;;
        'ls')
            subcommand_path+=('ls')
            command_start=$((word_index + 1))
            _knocker_queue_ls
            return
            ;;
        'inspect')
            subcommand_path+=('inspect')
            command_start=$((word_index + 1))
            _knocker_queue_inspect
            return
            ;;
        'retry')
            subcommand_path+=('retry')
            command_start=$((word_index + 1))
            _knocker_queue_retry
            return
            ;;
        'archive')
            subcommand_path+=('archive')
            command_start=$((word_index + 1))
            _knocker_queue_archive
            return
            ;;
        'delete')
            subcommand_path+=('delete')
            command_start=$((word_index + 1))
            _knocker_queue_delete
            return
            ;;
        'pause')
            subcommand_path+=('pause')
            command_start=$((word_index + 1))
            _knocker_queue_pause
            return
            ;;
        'unpause')
            subcommand_path+=('unpause')
            command_start=$((word_index + 1))
            _knocker_queue_unpause
            return
            ;;
        -*)
            if [[ "${word}" != *=* ]] && __knocker_takes_value "${word}"; then
                skip_next=1
            fi
            ;;
        esac
    done
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    if ((positional_number == 1)); then
        __knocker_add_completions -W 'stats'$'\n''ls'$'\n''inspect'$'\n''retry'$'\n''archive'$'\n''delete'$'\n''pause'$'\n''unpause'
    fi
}

_knocker_queue_stats() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--output -o --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--output'|'-o')
        __knocker_add_completions -W 'table'$'\n''json'$'\n''tsv'
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_queue_ls() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--state --limit --offset --output -o --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--state')
        __knocker_add_completions -W 'pending'$'\n''active'$'\n''scheduled'$'\n''retry'$'\n''archived'$'\n''completed'
        return
        ;;
    '--limit')
        return
        ;;
    '--offset')
        return
        ;;
    '--output'|'-o')
        __knocker_add_completions -W 'table'$'\n''json'$'\n''tsv'
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_queue_inspect() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    2)
        return
        ;;
    esac
}

_knocker_queue_retry() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    2)
        return
        ;;
    esac
}

_knocker_queue_archive() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    2)
        return
        ;;
    esac
}

_knocker_queue_delete() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    2)
        return
        ;;
    esac
}

_knocker_queue_pause() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_queue_unpause() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_check() {
    repeating_flags=()
    non_repeating_flags=(--ignore-tls-error --ipv4 --ipv6 --json --help -h)
    repeating_options=(--header -H --accept --contains --not-contains --expect)
    non_repeating_options=(--type -t --config --timeout --method -X --body -d --body-encoding --max-redirects --ca-file --expected-tls-days --degraded-after --send --record-type -r --server --packets --packet-size --loss-threshold --count -c --interval -i --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--type'|'-t')
        __knocker_add_completions -W 'http'$'\n''ping'$'\n''tcp'$'\n''dns'
        return
        ;;
    '--config')
        __knocker_add_completions -o plusdirs -fX '!*.@(json)'
        return
        ;;
    '--timeout')
        return
        ;;
    '--method'|'-X')
        __knocker_add_completions -W 'GET'$'\n''POST'$'\n''PUT'$'\n''DELETE'$'\n''PATCH'$'\n''HEAD'$'\n''OPTIONS'
        return
        ;;
    '--header'|'-H')
        return
        ;;
    '--body'|'-d')
        return
        ;;
    '--body-encoding')
        __knocker_add_completions -W 'json'$'\n''xml'
        return
        ;;
    '--max-redirects')
        return
        ;;
    '--accept')
        return
        ;;
    '--ca-file')
        __knocker_add_completions -o plusdirs -fX '!*.@(pem|crt)'
        return
        ;;
    '--expected-tls-days')
        return
        ;;
    '--degraded-after')
        return
        ;;
    '--contains')
        return
        ;;
    '--not-contains')
        return
        ;;
    '--send')
        return
        ;;
    '--expect')
        return
        ;;
    '--record-type'|'-r')
        __knocker_add_completions -W 'A'$'\n''AAAA'$'\n''CNAME'$'\n''MX'$'\n''TXT'
        return
        ;;
    '--server')
        return
        ;;
    '--packets')
        return
        ;;
    '--packet-size')
        return
        ;;
    '--loss-threshold')
        return
        ;;
    '--count'|'-c')
        return
        ;;
    '--interval'|'-i')
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

_knocker_work() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--region -r --concurrency --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--region'|'-r')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_all() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--region -r --concurrency --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--region'|'-r')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_tail_pings() {
    repeating_flags=()
    non_repeating_flags=(--follow -f --json --help -h)
    repeating_options=()
    non_repeating_options=(--monitor -m --region -r --status -s --since --limit -n --database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--monitor'|'-m')
        return
        ;;
    '--region'|'-r')
        return
        ;;
    '--status'|'-s')
        __knocker_add_completions -W 'successful'$'\n''failed'$'\n''timeout'$'\n''degraded'
        return
        ;;
    '--since')
        return
        ;;
    '--limit'|'-n')
        return
        ;;
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
}

_knocker_notification() {
    repeating_flags=()
    non_repeating_flags=(--help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    local -i word_index
    local -i skip_next=0
    for ((word_index = command_start; word_index < COMP_CWORD; word_index++)); do
        local word="${COMP_WORDS[word_index]}"
        if ((skip_next)); then
            skip_next=0
            continue
        fi
        case "${word}" in
        'test')
            subcommand_path+=('test')
            command_start=$((word_index + 1))
            _knocker_notification_test
            return
            ;;
        -*)
            if [[ "${word}" != *=* ]] && __knocker_takes_value "${word}"; then
                skip_next=1
            fi
            ;;
        esac
    done
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    if ((positional_number == 1)); then
        __knocker_add_completions -W 'test'
    fi
}

_knocker_notification_test() {
    repeating_flags=()
    non_repeating_flags=(--json --help -h)
    repeating_options=()
    non_repeating_options=(--database-url --redis-url --log-level --log-format --env-file)
    case "${prev}" in
    '--database-url')
        return
        ;;
    '--redis-url')
        return
        ;;
    '--log-level')
        __knocker_add_completions -W 'trace'$'\n''debug'$'\n''info'$'\n''notice'$'\n''warning'$'\n''error'$'\n''critical'
        return
        ;;
    '--log-format')
        __knocker_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--env-file')
        __knocker_add_completions -f
        return
        ;;
    esac
    __knocker_offer_flags_options && return
    case "${positional_number}" in
    1)
        return
        ;;
    esac
}

complete -o filenames -F _knocker knocker
