#!/usr/bin/env bash
# Queue benchmark: enqueue rate through QueueClient (pipelined batches) and dequeue→done rate through QueueServer,
# against a private redis-server, printed as a ratio of the physical limit measured in the same run:
# redis-benchmark running an equivalent single enqueue script (EXISTS, HSET msg/state/pending_since, LPUSH),
# pipelined. Target (DESIGN.md): enqueue ≥ 50% of that limit.
#
#   bench/queue.sh [TASKS] [BATCH] [CONCURRENCY]     defaults: 200000 500 200
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
tasks="${1:-200000}"
batch="${2:-500}"
concurrency="${3:-200}"

source "$repo/bench/lib/common.sh"
require_commands redis-server=redis-server redis-benchmark=redis-tools

swift build -c release --product queue-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/queue-bench"

port=$(( 20000 + RANDOM % 20000 ))
dir="$(mktemp -d)"
trap 'redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --daemonize yes \
    --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done

script='if redis.call("EXISTS", KEYS[1]) == 1 then return 0 end
redis.call("HSET", KEYS[1], "msg", ARGV[1], "state", "pending", "pending_since", ARGV[3])
redis.call("LPUSH", KEYS[2], ARGV[2])
return 1'
sha="$(redis-cli -p "$port" script load "$script")"
# A message of the size of a real ping task's protobuf.
msg="$(head -c 90 /dev/zero | tr '\0' 'm')"
limit="$(redis-benchmark -p "$port" -n "$tasks" -c 8 -P 32 -r 1000000000 -q \
    evalsha "$sha" 2 'asynq:{ref}:t:__rand_int__' 'asynq:{ref}:pending' "$msg" '__rand_int__' 1733300000000000000 \
    | grep -oE '[0-9.]+ requests per second' | grep -oE '^[0-9.]+')"
redis-cli -p "$port" flushall >/dev/null

output="$("$bench" "$port" "$tasks" "$batch" "$concurrency")"
echo "$output"
enqueue="$(awk '$1 == "enqueue" { print $4 }' <<<"$output")"
drain="$(awk '$1 == "dequeue+done" { print $4 }' <<<"$output")"
echo
printf 'limit  redis-benchmark enqueue script, pipelined: %10.0f tasks/s\n' "$limit"
printf 'ours   QueueClient enqueue (batch %d):          %10.0f tasks/s  = %5.1f%% of the limit (target >= 50%%)\n' \
    "$batch" "$enqueue" "$(awk -v a="$enqueue" -v b="$limit" 'BEGIN { print 100 * a / b }')"
printf 'ours   QueueServer dequeue+done (%d slots):     %10.0f tasks/s  = %5.1f%% of the limit\n' \
    "$concurrency" "$drain" "$(awk -v a="$drain" -v b="$limit" 'BEGIN { print 100 * a / b }')"
