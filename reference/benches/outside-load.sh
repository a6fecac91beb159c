#!/usr/bin/env bash
# Requests per second of the reference binary's `GET /api/2.0/files/fileops` (DocSpace,
# alice, request log off as by default) next to a bare axum handler (examples/bare_axum.rs),
# both driven by wrk, a load generator outside our process. Prints each rate and the ratio.
#
#   bash reference/benches/outside-load.sh [seconds per run, default 10] [connections, default 8]
#
# Needs wrk on PATH (Debian: apt-get install wrk). Where there are two cores or more, the
# servers run on the first and wrk on the second (taskset), so they do not take turns on
# one core; the ratio, not the absolute rate, is the figure to compare.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
connections="${2:-8}"
command -v wrk >/dev/null || { echo "outside-load: wrk is not installed" >&2; exit 2; }

cargo build --quiet --release -p fileops-reference --bin fileops-reference --example bare_axum
target="${CARGO_TARGET_DIR:-target}/release"

server_cpu=() client_cpu=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0) client_cpu=(taskset -c 1)
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"${server_cpu[@]}" "$target/fileops-reference" --listen 127.0.0.1:8090 >/dev/null 2>&1 & pids+=($!)
"${server_cpu[@]}" "$target/examples/bare_axum" 127.0.0.1:8091 >/dev/null 2>&1 & pids+=($!)

url() { echo "http://127.0.0.1:$1/api/2.0/files/fileops"; }
for port in 8090 8091; do
  for _ in $(seq 100); do
    curl -fs -o /dev/null -H "Authorization: alice-token" "$(url "$port")" && break
    sleep 0.1
  done
  curl -fs -o /dev/null -H "Authorization: alice-token" "$(url "$port")" \
    || { echo "outside-load: nothing answers on port $port" >&2; exit 1; }
done

rate() {
  "${client_cpu[@]}" wrk -t1 -c"$connections" -d"${seconds}s" -H "Authorization: alice-token" "$(url "$1")" \
    | awk '/^Requests\/sec:/ {print $2} /Non-2xx/ {print "non-2xx answers" > "/dev/stderr"; exit 1}'
}
# Warm both, then measure each three times, interleaved, and keep the median of each.
rate 8090 >/dev/null; rate 8091 >/dev/null
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
r=() b=()
for _ in 1 2 3; do r+=("$(rate 8090)"); b+=("$(rate 8091)"); done
reference=$(median "${r[@]}"); bare=$(median "${b[@]}")
echo "reference GET fileops: $reference req/s (median of ${r[*]})"
echo "bare axum handler:     $bare req/s (median of ${b[*]})"
awk -v r="$reference" -v b="$bare" 'BEGIN { printf "ratio reference/bare: %.2f\n", r / b }'
