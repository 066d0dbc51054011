#!/usr/bin/env bash
# Work-page throughput: `tome serve` with 1,000 generated works, wrk with 50 connections
# on loopback, warm cache. Prints requests/s of each run and the median.
#   bench/work_page.sh [RUNS] [SECONDS]
# Env: TOME_BIN=path to skip the build; BENCH_PATH=/other/page (default /works/500).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; secs=${2:-10}
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
# TOME_BIN: a prebuilt binary to measure (default: build this checkout in release mode).
if [ -z "${TOME_BIN:-}" ]; then cargo build --release --locked -q; TOME_BIN=./target/release/tome; fi
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
"$TOME_BIN" --data "$data" gen-corpus --works 1000 --seed 1 2>/dev/null
port=18080
RUST_LOG=warn "$TOME_BIN" --data "$data" serve --addr 127.0.0.1:$port >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs -o /dev/null http://127.0.0.1:$port/ && break; sleep 0.1; done
url=http://127.0.0.1:$port${BENCH_PATH:-/works/500}
curl -fs -o /dev/null "$url"   # warm the cache
wrk -t2 -c50 -d2s "$url" >/dev/null
results=()
for i in $(seq "$runs"); do
  rps=$(wrk -t2 -c50 -d"${secs}s" --latency "$url" | awk '/Requests\/sec/ {print $2}')
  echo "run $i: $rps requests/s"
  results+=("$rps")
done
printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median: %.0f requests/s over %d runs\n", m, NR}'
