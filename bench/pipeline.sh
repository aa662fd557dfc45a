#!/usr/bin/env bash
# Pipeline benchmark, in one run against a private Postgres 15, Redis and nginx started here (and stopped on exit):
#
# 1. Ping ingest. Rows/s of the worker's recorder path over PIPELINE_MONITORS (10,000) http monitors in 2 regions,
#    all successful (every batch runs incident evaluation; no incident opens): `record`, a PingRecorder with the
#    worker's defaults (batches of 1,000, two writers) fed by 5,000 tasks that each record a ping and wait until it
#    is written, as ping tasks do (a task is acknowledged only once its ping is in Postgres). Also, one batch of 1,000
#    at a time: PingBatchWriter.write (insert + incident evaluation in one transaction, then the ping feed on Redis),
#    the same without the feed, and PingStore.append alone (one transaction per batch), so each step's cost shows.
#    The limit: `psql \copy` of the same kind of rows into the same `pings` table (one COPY). Phases run interleaved
#    in PIPELINE_ROUNDS rounds (psql, copy, store, write, record, psql, …) of PIPELINE_INGEST_ROWS rows each, every
#    one starting from an empty pings table; the best of each is kept. Then one more `write` pass under
#    pg_stat_statements shows where the server's time goes. Target (DESIGN.md): record ≥ 50% of psql COPY.
#
# 2. End to end. For each monitor count N given (default 10000 25000 50000 75000; the search stops at the first
#    count that fails): N http monitors of one region (interval 60 s, first due times spread uniformly over 60 s
#    from T0) against the private nginx, served by the release `knocker schedule` and `knocker work --region bench`
#    as separate processes. Measured over the window [T0 + PIPELINE_WARMUP, + PIPELINE_WINDOW) (60 s, 90 s):
#      due times   every due time in the window: a statement trigger on `monitors` (bench-only, added here)
#                  logs each claim (the old next_check = the due time, the new last_checked = the claim time);
#                  due times still unclaimed at the cutoff (window end + PIPELINE_DRAIN, 10 s) are counted too.
#      lag         per due time: its check's start (pings.time) - the due time. The check of a claim is the
#                  monitor's ping between that claim and the monitor's next claim (a check starts after its
#                  claim, and the next due time is ≥ 60 s later). p50/p99/max over the due times that were
#                  checked; the scheduler's share (claim - due) is shown too.
#      missed      due times without a ping by the cutoff; extra: pings beyond one per due time.
#    A count passes with lag p99 < 2 s, no missed and no extra check. Also printed: pings/s written (the recorder's
#    rows/s), failed checks, CPU of each process (% of one core) and top statements by server time in the window.
#    Target (DESIGN.md): 50,000 monitors on one 2-core machine.
#
#   bench/pipeline.sh [N ...]       e.g. bench/pipeline.sh 50000; `bench/pipeline.sh none` skips part 2
# Environment: PIPELINE_MONITORS (10000) PIPELINE_INGEST_ROWS (300000) PIPELINE_ROUNDS (2) PIPELINE_SKIP_INGEST=1
#   PIPELINE_WARMUP (60) PIPELINE_WINDOW (90) PIPELINE_DRAIN (10) KNOCKER_PG_PORT (5465) KNOCKER_REDIS_PORT (6465).
# Needs Postgres 15 with pg_stat_statements, redis-server, nginx and python3; as root it installs what is missing.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
counts=("$@")
[ "${#counts[@]}" -gt 0 ] || counts=(10000 25000 50000 75000)
[ "${counts[*]}" != none ] || counts=()
monitors="${PIPELINE_MONITORS:-10000}"
ingest_rows="${PIPELINE_INGEST_ROWS:-300000}"
rounds="${PIPELINE_ROUNDS:-2}"
warmup="${PIPELINE_WARMUP:-60}"
window="${PIPELINE_WINDOW:-90}"
drain="${PIPELINE_DRAIN:-10}"
pg_port="${KNOCKER_PG_PORT:-5465}"
redis_port="${KNOCKER_REDIS_PORT:-6465}"
pg_bin=/usr/lib/postgresql/15/bin

# Postgres 15 and Redis as the tests use them; nginx and python3 for the targets and the analysis.
source "$repo/bench/lib/common.sh"
[ -x "$pg_bin/initdb" ] && command -v redis-server >/dev/null || scripts/services install
require_commands /usr/sbin/nginx=nginx python3=python3
nginx="$(command -v nginx || echo /usr/sbin/nginx)"
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$pg_port" "$redis_port"; do
    if port_busy "$port"; then echo "port $port is taken; set KNOCKER_PG_PORT / KNOCKER_REDIS_PORT" >&2; exit 1; fi
done

swift build -c release >/dev/null
bin="$(swift build -c release --show-bin-path)"
bench="$bin/pipeline-bench"
knocker="$bin/knocker"

dir="$(mktemp -d /tmp/knocker-pipeline.XXXXXX)"
chmod 755 "$dir"
pids=()
as_postgres() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    [ -f "$dir/pg/PG_VERSION" ] && as_postgres "$pg_bin/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT

# Postgres: a fresh cluster, defaults but for pg_stat_statements (the breakdowns) and the connection limit.
mkdir -p "$dir/pg" "$dir/pgrun" "$dir/redis" "$dir/nginx"
[ "$(id -u)" != 0 ] || chown postgres:postgres "$dir/pg" "$dir/pgrun"
as_postgres "$pg_bin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pgrun/postgres.log" -w -t 60 -o "-p $pg_port \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/pgrun -c max_connections=100 \
    -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" start >/dev/null
database="postgres://postgres@127.0.0.1:$pg_port/knocker?sslmode=disable"
psql() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql "postgres://postgres@127.0.0.1:$pg_port/postgres" -c "CREATE DATABASE knocker"
psql "postgres://postgres@127.0.0.1:$pg_port/knocker" -c "CREATE EXTENSION pg_stat_statements"
sql() { psql "$database" -tA -F ' ' "$@"; }

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" --save "" --appendonly yes --daemonize yes \
    --logfile "$dir/redis/redis.log" --pidfile "$dir/redis/redis.pid"
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis="redis://127.0.0.1:$redis_port/0"

nginx_port="$(free_port)"
write_nginx_conf "$dir" "$nginx_port"
"$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=("$nginx_pid")
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

"$knocker" --database-url "$database" --log-level warning migrate up >/dev/null
sql -c "INSERT INTO teams (id, name) VALUES (1, 'bench')" \
    -c "INSERT INTO regions (id, name, display_name) VALUES (1, 'bench', 'Bench'), (2, 'bench-2', 'Bench 2')"

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
top_statements() {
    sql -c "SELECT lpad(calls::text, 7), lpad(round(total_exec_time)::text, 8) || ' ms',
                   lpad(round((total_exec_time / calls)::numeric, 3)::text, 9) || ' ms',
                   ' ' || left(regexp_replace(query, '\s+', ' ', 'g'), 78)
              FROM pg_stat_statements
             WHERE query NOT LIKE '%pg_stat_statements%'
             ORDER BY total_exec_time DESC LIMIT $1" | sed 's/^/    /'
}

if [ "${PIPELINE_SKIP_INGEST:-}" != 1 ]; then
    echo "== ping ingest: $monitors monitors x 2 regions, batches of 1,000, best of $rounds rounds of $ingest_rows rows"
    sql -c "INSERT INTO monitors (id, team_id, name, type, \"interval\", config)
            SELECT g, 1, 'ingest ' || g, 'http', 60, '{\"url\": \"http://127.0.0.1:$nginx_port/\"}'
              FROM generate_series(1, $monitors) g" \
        -c "INSERT INTO monitor_regions (id, monitor_id, region_id)
            SELECT (g - 1) * 2 + r, g, r FROM generate_series(1, $monitors) g, generate_series(1, 2) r" \
        -c "ANALYZE"
    # Ping times: from 3 hours ago, 1 ms apart (the partitions of yesterday to two days ahead exist).
    base=$((($(date +%s) - 3 * 3600) * 1000))
    next=0
    # Prints the rows/s of writing pings FIRST ..< FIRST+COUNT in phase PHASE: ingest PHASE FIRST COUNT.
    ingest() { "$bench" ingest "$1" "$database" "$redis_port" "$2" "$3" "$monitors" "$base" | awk '{ print $4 }'; }
    # Warm-up: creates every (monitor, region) state row, so the measured batches update them.
    ingest write 0 $((2 * monitors)) >/dev/null
    next=$((2 * monitors))
    # Every phase starts from an empty pings table (the state rows stay): each writes into the same table in the
    # same state, however many rows earlier phases wrote.
    empty_pings() { sql -c "TRUNCATE pings" -c "VACUUM ANALYZE pings" >/dev/null; }
    limit=0 append=0 store=0 write=0 record=0
    for round in $(seq 1 "$rounds"); do
        "$bench" rows "$next" "$ingest_rows" "$monitors" "$base" >"$dir/rows.tsv"
        empty_pings
        started="$(now)"
        psql "$database" -c "\\copy pings (time, monitor_id, region_id, latency, status, message) FROM '$dir/rows.tsv'"
        limit="$(best "$limit" "$(rate "$ingest_rows" "$started" "$(now)")")"
        empty_pings
        append="$(best "$append" "$(ingest append $((next + ingest_rows)) "$ingest_rows")")"
        empty_pings
        store="$(best "$store" "$(ingest store $((next + 2 * ingest_rows)) "$ingest_rows")")"
        empty_pings
        write="$(best "$write" "$(ingest write $((next + 3 * ingest_rows)) "$ingest_rows")")"
        empty_pings
        record="$(best "$record" "$(ingest record $((next + 4 * ingest_rows)) "$ingest_rows")")"
        next=$((next + 5 * ingest_rows))
        echo "round $round/$rounds: psql $limit, append $append, store $store, write $write, record $record rows/s" \
            "(best so far)" >&2
    done
    rm -f "$dir/rows.tsv"
    profile_rows=$((ingest_rows / 3))
    empty_pings
    sql -c "SELECT pg_stat_statements_reset()" >/dev/null
    started="$(now)"
    ingest write "$next" "$profile_rows" >/dev/null
    elapsed="$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')"
    server_ms="$(sql -c "SELECT round(sum(total_exec_time)) FROM pg_stat_statements
                          WHERE query NOT LIKE '%pg_stat_statements%'")"
    printf 'limit  psql \\copy, one COPY:                         %8.0f rows/s\n' "$limit"
    printf 'ours   PingRecorder, the worker'"'"'s path:             %8.0f rows/s = %5s%% of psql COPY (target >= 50%%)\n' \
        "$record" "$(percent "$record" "$limit")"
    printf '       PingBatchWriter.write, a batch at a time:   %8.0f rows/s = %5s%%\n' "$write" \
        "$(percent "$write" "$limit")"
    printf '       insert + incident evaluation, no feed:      %8.0f rows/s = %5s%%\n' "$store" \
        "$(percent "$store" "$limit")"
    printf '       PingStore.append alone, a transaction each: %8.0f rows/s = %5s%%\n' "$append" \
        "$(percent "$append" "$limit")"
    # The feed runs beside the next write: its share is the difference, clamped at 0 (noise can make it negative).
    printf 'per batch of 1,000: insert %.1f ms, evaluation %.1f ms, feed %.1f ms (in the background)\n' \
        "$(awk -v c="$append" 'BEGIN { print 1e6 / c }')" \
        "$(awk -v c="$append" -v s="$store" 'BEGIN { d = 1e6 / s - 1e6 / c; print (d > 0 ? d : 0) }')" \
        "$(awk -v s="$store" -v w="$write" 'BEGIN { d = 1e6 / w - 1e6 / s; print (d > 0 ? d : 0) }')"
    echo "server time of one more write pass ($profile_rows rows in ${elapsed} s, ${server_ms} ms in Postgres):"
    echo "      calls      total        mean  statement"
    top_statements 9
    echo
fi

# End to end.
sql -c "CREATE TABLE bench_claims (monitor_id bigint NOT NULL, due timestamptz NOT NULL, claimed_at timestamptz)" \
    -c "CREATE FUNCTION bench_log_claims() RETURNS trigger LANGUAGE plpgsql AS \$\$
        BEGIN
            INSERT INTO bench_claims (monitor_id, due, claimed_at)
            SELECT o.id, o.next_check, n.last_checked FROM bench_old o JOIN bench_new n USING (id)
             WHERE n.next_check IS DISTINCT FROM o.next_check;
            RETURN NULL;
        END \$\$" \
    -c "CREATE TRIGGER bench_log_claims AFTER UPDATE ON monitors REFERENCING OLD TABLE AS bench_old
        NEW TABLE AS bench_new FOR EACH STATEMENT EXECUTE FUNCTION bench_log_claims()"
ticks="$(getconf CLK_TCK)"
# utime + stime of the given processes, in clock ticks.
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        fields="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null)" || continue
        total=$((total + $(awk '{ print $12 + $13 }' <<<"$fields")))
    done
    echo "$total"
}
postmaster="$(head -1 "$dir/pg/postmaster.pid")"
redis_pid="$(cat "$dir/redis/redis.pid")"
machine_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }

results=()
sustained=0
for n in "${counts[@]}"; do
    sql -c "TRUNCATE monitors, pings, bench_claims, incidents CASCADE" >/dev/null 2>&1
    redis-cli -p "$redis_port" flushall >/dev/null
    t0=$(($(date +%s) + 8))
    sql -c "INSERT INTO monitors (id, team_id, name, type, \"interval\", config, next_check)
            SELECT g, 1, 'bench ' || g, 'http', 60, '{\"url\": \"http://127.0.0.1:$nginx_port/\"}',
                   to_timestamp($t0) + (g - 1) * (60.0 / $n) * interval '1 second'
              FROM generate_series(1, $n) g" \
        -c "INSERT INTO monitor_regions (id, monitor_id, region_id) SELECT g, g, 1 FROM generate_series(1, $n) g" \
        -c "ANALYZE monitors, monitor_regions"
    env DATABASE_URL="$database" REDIS_URL="$redis" APP_MACHINE_ID=1 LOG_LEVEL=info \
        "$knocker" schedule >"$dir/schedule.log" 2>&1 &
    scheduler=$!
    pids+=("$scheduler")
    env DATABASE_URL="$database" REDIS_URL="$redis" APP_MACHINE_ID=2 LOG_LEVEL=info \
        "$knocker" work --region bench >"$dir/work.log" 2>&1 &
    worker=$!
    pids+=("$worker")
    t_start=$((t0 + warmup))
    t_end=$((t_start + window))
    cutoff=$((t_end + drain))
    echo "== $n monitors: first due $(date -u -d "@$t0" +%T), window $(date -u -d "@$t_start" +%T)-$(date -u -d \
        "@$t_end" +%T) UTC" >&2
    sleep "$(awk -v t="$t_start" -v now="$(now)" 'BEGIN { print (t > now ? t - now : 0) }')"
    sql -c "SELECT pg_stat_statements_reset()" >/dev/null
    postgres_pids=("$postmaster" $(pgrep -P "$postmaster" || true))
    nginx_pids=("$nginx_pid" $(pgrep -P "$nginx_pid" || true))
    read -r busy0 total0 <<<"$(machine_busy)"
    cpu0=("$(cpu_ticks "$scheduler")" "$(cpu_ticks "$worker")" "$(cpu_ticks "${postgres_pids[@]}")" \
        "$(cpu_ticks "$redis_pid")" "$(cpu_ticks "${nginx_pids[@]}")")
    sleep "$(awk -v t="$t_end" -v now="$(now)" 'BEGIN { print (t > now ? t - now : 0) }')"
    cpu1=("$(cpu_ticks "$scheduler")" "$(cpu_ticks "$worker")" "$(cpu_ticks "${postgres_pids[@]}")" \
        "$(cpu_ticks "$redis_pid")" "$(cpu_ticks "${nginx_pids[@]}")")
    read -r busy1 total1 <<<"$(machine_busy)"
    load="$(cut -d ' ' -f 1-3 /proc/loadavg)"
    top="$(top_statements 6)"
    sleep "$(awk -v t="$cutoff" -v now="$(now)" 'BEGIN { print (t > now ? t - now : 0) }')"
    kill -TERM "$scheduler" "$worker" 2>/dev/null || true
    wait "$scheduler" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
    pids=("$nginx_pid")
    read -r due missed extra p50 p99 max sched_p99 queue_p99 <<<"$(sql -c "
        WITH claims AS (
            SELECT monitor_id, due, claimed_at,
                   lead(claimed_at) OVER (PARTITION BY monitor_id ORDER BY claimed_at) AS next_claim
              FROM bench_claims
        ), dues AS (
            SELECT c.monitor_id, c.due, c.claimed_at, p.checks, p.first
              FROM claims c
             CROSS JOIN LATERAL (
                   SELECT count(*) AS checks, min(time) AS first FROM pings
                    WHERE monitor_id = c.monitor_id AND region_id = 1 AND time >= c.claimed_at
                      AND time < least(coalesce(c.next_claim, 'infinity'), to_timestamp($cutoff))) p
             WHERE c.due >= to_timestamp($t_start) AND c.due < to_timestamp($t_end)
            UNION ALL
            SELECT id, next_check, NULL, 0, NULL FROM monitors
             WHERE next_check >= to_timestamp($t_start) AND next_check < to_timestamp($t_end)
        )
        SELECT count(*), count(*) FILTER (WHERE checks = 0), coalesce(sum(checks - 1) FILTER (WHERE checks > 1), 0),
               coalesce(round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first - due))), -1),
               coalesce(round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM first - due))), -1),
               coalesce(round(1000 * max(extract(epoch FROM first - due))), -1),
               coalesce(round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - due))), -1),
               coalesce(round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM first - claimed_at))), -1)
          FROM dues")"
    read -r written failed <<<"$(sql -c "SELECT count(*), count(*) FILTER (WHERE status NOT IN ('successful', 'degraded'))
        FROM pings WHERE time >= to_timestamp($t_start) AND time < to_timestamp($t_end)")"
    log_p99="$(grep -o 'lag_p99_ms=[0-9]*' "$dir/schedule.log" | tail -1 | cut -d= -f2)"
    cpu() { awk -v a="$1" -v b="$2" -v t="$ticks" -v w="$window" 'BEGIN { printf "%.0f", 100 * (b - a) / t / w }'; }
    ok=yes
    if [ "$due" = 0 ] || [ "$missed" != 0 ] || [ "$extra" != 0 ] || [ "$p99" -ge 2000 ] || [ "$p99" -lt 0 ]; then ok=no; fi
    echo "  due $due, missed $missed, extra $extra; lag p50 $p50 ms, p99 $p99 ms, max $max ms (claim - due p99" \
        "$sched_p99 ms, the scheduler's last metrics line says lag_p99_ms=${log_p99:-?}; check start - claim p99" \
        "$queue_p99 ms)"
    echo "  pings written $(awk -v a="$written" -v w="$window" 'BEGIN { printf "%.0f", a / w }')/s ($failed failed)"
    echo "  CPU (% of one core): schedule $(cpu "${cpu0[0]}" "${cpu1[0]}"), work $(cpu "${cpu0[1]}" "${cpu1[1]}")," \
        "postgres $(cpu "${cpu0[2]}" "${cpu1[2]}"), redis $(cpu "${cpu0[3]}" "${cpu1[3]}"), nginx" \
        "$(cpu "${cpu0[4]}" "${cpu1[4]}"); machine busy $(percent $((busy1 - busy0)) $((total1 - total0)))% of 2 cores;" \
        "load average $load"
    echo "  top statements in the window (calls, total, mean):"
    echo "$top"
    grep -E 'error|warning' "$dir/schedule.log" "$dir/work.log" | grep -v 'schedule lag is high' | head -5 |
        sed 's/^/  log: /' || true
    results+=("$(printf '%8d %8d %7d %6d %8d %8d %9d %8d  %s' "$n" "$due" "$missed" "$extra" "$p50" "$p99" "$max" \
        "$(awk -v a="$written" -v w="$window" 'BEGIN { printf "%.0f", a / w }')" "$ok")")
    if [ "$ok" = yes ]; then sustained="$n"; else break; fi
done

if [ "${#counts[@]}" -gt 0 ]; then
    echo
    echo "end to end: interval 60 s, one region, window ${window} s after ${warmup} s warm-up, load average $load"
    echo "monitors      due  missed  extra  p50 ms   p99 ms    max ms  pings/s  pass"
    printf '%s\n' "${results[@]}"
    echo "sustained $sustained monitors (target >= 50,000)"
fi
