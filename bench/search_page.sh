#!/usr/bin/env bash
# The work search page over HTTP on an existing archive (a `tome gen-corpus` data folder
# indexed by `tome reindex`): three measurements.
#   (a) the same URL repeated (`?work_search[query]=lighthouse`): results-cache hits;
#   (b) a rotating mix of ~200 distinct searches (fandoms, words, word + fandom, sorts,
#       filters) with wrk and bench/search_mix.lua, with the results cache on, then off
#       (TOME_SEARCH_CACHE=0: every request runs the engine);
#   (c) one request at a time, uncached: each path of the mix once, on a fresh server with
#       the cache off, with curl; median and p99 of time_total.
#   bench/search_page.sh DATA [SECONDS]
# Env: TOME_BIN (default target/release/tome), PORT (default 18081), CONNS (default 32).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/search_page.sh DATA [SECONDS]}
secs=${2:-10}
bin=${TOME_BIN:-target/release/tome}
port=${PORT:-18081}
conns=${CONNS:-32}
base=http://127.0.0.1:$port
paths=$(mktemp)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -f "$paths"' EXIT

# ~200 distinct searches from the archive's own vocabulary.
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
db=$data/tome.db
mapfile -t fandoms < <(sqlite3 "$db" "SELECT t.name FROM tags t JOIN (SELECT tag_id, COUNT(*) c FROM work_tags GROUP BY tag_id) u ON u.tag_id = t.id WHERE t.kind = 'fandom' AND t.canonical = 1 ORDER BY u.c DESC LIMIT 60")
words=(lantern harbour letter storm window map ember river bridge promise stair kettle lighthouse garden coat train song blade candle tide archive shadow door silence morning market street rooftop crown key)
sorts=(revised_at kudos_count hits created_at word_count bookmarks_count comments_count title_to_sort_on authors_to_sort_on)
{
  for i in "${!fandoms[@]}"; do
    s=${sorts[$((i % ${#sorts[@]}))]}
    echo "/works/search?work_search%5Bother_tag_names%5D=$(enc "${fandoms[$i]}")&work_search%5Bsort_column%5D=$s"
  done
  for i in "${!words[@]}"; do
    echo "/works/search?work_search%5Bquery%5D=${words[$i]}"
    echo "/works/search?work_search%5Bquery%5D=${words[$i]}&work_search%5Bother_tag_names%5D=$(enc "${fandoms[$((i % 20))]}")"
    echo "/works/search?work_search%5Bquery%5D=${words[$i]}+${words[$(((i + 7) % ${#words[@]}))]}&work_search%5Bcomplete%5D=T"
  done
  for i in $(seq 0 19); do
    s=${sorts[$((i % ${#sorts[@]}))]}
    echo "/works/search?work_search%5Bsort_column%5D=$s&work_search%5Bcrossover%5D=$([ $((i % 2)) = 0 ] && echo T || echo F)&page=$((i / 4 + 1))"
  done
  for i in $(seq 0 19); do
    echo "/works/search?work_search%5Bwords_from%5D=$((i * 1000))&work_search%5Bwords_to%5D=$((i * 1000 + 20000))&work_search%5Bcomplete%5D=T&work_search%5Bother_tag_names%5D=$(enc "${fandoms[$((i + 20))]}")"
  done
} > "$paths"
echo "$(wc -l < "$paths") distinct paths"

start() {
  TOME_SEARCH_CACHE=$1 RUST_LOG=warn "$bin" --data "$data" serve --addr 127.0.0.1:$port >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -fs -o /dev/null $base/ && return; sleep 0.5; done
  echo "server did not start" >&2; exit 1
}
stop() { kill $server; wait $server 2>/dev/null || true; server=; }
rps() { awk '/Requests\/sec/ {print $2}'; }

if [ "${ONLY_CACHED:-}" = "" ]; then
# (c) first, on a fresh server with the cache off: each path once.
start 0
: > /tmp/search_page_latency.txt
while read -r p; do
  curl -s -o /dev/null -w '%{time_total}\n' "$base$p" >> /tmp/search_page_latency.txt
done < "$paths"
sort -n /tmp/search_page_latency.txt | awk '{a[NR]=$1*1000} END {printf "(c) one at a time, uncached: %d requests, median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", NR, a[int(NR*0.5)+1], a[int(NR*0.9)+1], a[int(NR*0.99)+1], a[NR]}'
echo "(b) mix, cache off: $(WRK_PATHS=$paths wrk -t2 -c"$conns" -d"${secs}s" -s bench/search_mix.lua "$base" | rps) requests/s"
stop
fi

start ""
url="$base/works/search?work_search%5Bquery%5D=lighthouse"
curl -fs -o /dev/null "$url"
echo "(a) same URL: $(wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" | tee /tmp/search_page_a.txt | rps) requests/s"
# Fill the cache: every path once (a wrk warm-up of a few seconds would not reach them all
# at the uncached rate, and the measured run would then mostly wait on misses).
sed "s|^|$base|" "$paths" | xargs -P 4 -n 1 curl -s -o /dev/null
echo "(b) mix, cache on: $(WRK_PATHS=$paths wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/search_mix.lua "$base" | tee /tmp/search_page_b.txt | rps) requests/s"
stop
