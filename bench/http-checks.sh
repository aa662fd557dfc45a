#!/usr/bin/env bash
# HTTP check benchmark: fresh-connection checks/s through CurlMultiLoop against a private nginx returning a small
# fixed body, printed as ratios of what is measured in the same run at the same concurrency:
#   limit  wrk with `Connection: close` (a new TCP connection per request) against the same nginx;
#   peer   prometheus-blackbox-exporter's http_2xx probes of the same nginx, driven by wrk through /probe.
# Also prints the resident memory (VmRSS) of the bench process with IN_FLIGHT checks in flight at once, against a
# listener in that process that reads each request and never answers.
# The three rates are measured in ROUNDS interleaved rounds (wrk, blackbox_exporter, ours, wrk, …) and the best of
# each is kept, so a burst of other load on the machine does not decide a ratio.
# Targets (DESIGN.md): ours >= 50% of wrk and >= 3x blackbox_exporter.
#
#   bench/http-checks.sh [CONCURRENCY] [SECONDS] [IN_FLIGHT] [ROUNDS]     defaults: 256 10 5000 2
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
concurrency="${1:-256}"
seconds="${2:-10}"
in_flight="${3:-5000}"
rounds="${4:-2}"

source "$repo/bench/lib/common.sh"
require_commands /usr/sbin/nginx=nginx wrk=wrk prometheus-blackbox-exporter=prometheus-blackbox-exporter curl=curl \
    python3=python3
nginx="$(command -v nginx || echo /usr/sbin/nginx)"

swift build -c release --product http-check-bench >/dev/null
bench="$(swift build -c release --show-bin-path)/http-check-bench"

dir="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$dir"
}
trap cleanup EXIT

wait_for() { for _ in $(seq 1 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done; echo "$2 did not start" >&2; exit 1; }

port="$(free_port)"
write_nginx_conf "$dir" "$port"
"$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
target="http://127.0.0.1:$port/"
wait_for "$target" nginx

bport="$(free_port)"
cat >"$dir/blackbox.yml" <<CONF
modules:
  http_2xx:
    prober: http
    timeout: 10s
    http:
      preferred_ip_protocol: ip4
CONF
prometheus-blackbox-exporter --config.file="$dir/blackbox.yml" --web.listen-address="127.0.0.1:$bport" \
    >"$dir/blackbox.log" 2>&1 &
pids+=($!)
probe="http://127.0.0.1:$bport/probe?module=http_2xx&target=http%3A%2F%2F127.0.0.1%3A$port%2F"
wait_for "http://127.0.0.1:$bport/-/healthy" prometheus-blackbox-exporter
curl -fs "$probe" | grep -q '^probe_success 1' || { echo "blackbox_exporter's probe of nginx failed" >&2; exit 1; }

# wrk prints "Requests/sec: N"; errors show up as "Non-2xx or 3xx responses" / "Socket errors" lines.
wrk_rate() {
    local output
    output="$(wrk -t 2 -c "$concurrency" -d "${seconds}s" "$@")"
    grep -E 'Non-2xx|Socket errors' <<<"$output" | sed 's/^ */    wrk: /' >&2 || true
    awk '$1 == "Requests/sec:" { print $2 }' <<<"$output"
}

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
limit=0 peer=0 ours=0 ours_checks=0 failures=0 first_failure=-
for round in $(seq 1 "$rounds"); do
    limit="$(best "$limit" "$(wrk_rate -H 'Connection: close' "$target")")"
    peer="$(best "$peer" "$(wrk_rate "$probe")")"
    curl -fs "$probe" | grep -q '^probe_success 1' || { echo "blackbox_exporter's probes failed under load" >&2; exit 1; }
    read -r _ checks _ rate failed first <<<"$("$bench" rate "$target" "$concurrency" "$seconds")"
    if [ "$failed" != 0 ] && [ "$failures" = 0 ]; then first_failure="$first"; fi
    failures=$((failures + failed))
    if [ "$(best "$ours" "$rate")" != "$ours" ]; then ours="$rate" ours_checks="$checks"; fi
    echo "round $round/$rounds: wrk $limit, blackbox_exporter $peer, ours $ours (best so far)" >&2
done
rss_line="$("$bench" rss "$in_flight")"
read -r _ rss_count rss_before rss_in_flight <<<"$rss_line"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "HTTP checks, a fresh connection each, $concurrency in flight, best of $rounds rounds of ${seconds} s, nginx returning 3 bytes"
printf 'limit  wrk -H "Connection: close":        %8.0f req/s\n' "$limit"
printf 'peer   blackbox_exporter http_2xx probes: %8.0f probes/s\n' "$peer"
printf 'ours   CurlMultiLoop checks:              %8.0f checks/s (%d checks in the best round; %d failed in all%s)\n' \
    "$ours" "$ours_checks" "$failures" "$([ "$failures" = 0 ] || echo ", first: $first_failure")"
printf 'ours / wrk:               %5.1f%%  (target >= 50%%)\n' "$(awk -v a="$ours" -v b="$limit" 'BEGIN { print 100 * a / b }')"
printf 'ours / blackbox_exporter: %5sx   (target >= 3x)\n' "$(ratio "$ours" "$peer")"
printf 'RSS with %d checks in flight: %d MiB (%d MiB before them, %.1f KiB per check)\n' "$rss_count" \
    $((rss_in_flight / 1024)) $((rss_before / 1024)) "$(awk -v a="$rss_in_flight" -v b="$rss_before" -v n="$rss_count" \
    'BEGIN { print (a - b) / n }')"
[ "$failures" = 0 ]
