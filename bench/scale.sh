#!/usr/bin/env bash
# The pages the issue sets goals for at scale (home, /works, a popular fandom's works at
# random pages, a never-seen search with the filter sidebar, the work page), for a guest
# and for a logged-in member: one request at a time (wrk -t1 -c1: p50 and p99) and under
# load (wrk -t2 -c50: requests/s and p99). Medians of RUNS runs.
#
#   bench/scale.sh DATA [RUNS] [SECONDS]
#
# DATA: an archive, e.g. `tome --data DATA gen-corpus --works 1000000 --seed 1` then
# `tome --data DATA reindex`. Env: TOME_BIN (default: build release), PORT (18080),
# MAX_PAGE (random listing pages 1..MAX_PAGE; default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/scale.sh DATA [RUNS] [SECONDS]}; runs=${2:-3}; secs=${3:-10}
port=${PORT:-18080}; max_page=${MAX_PAGE:-200}
. bench/serve.sh
bench_binary
tmp=$(mktemp -d); server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
bench_serve "$data" "$port"
q() { sqlite3 "$data/tome.db" "$1"; }
fandom=$(q "SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id WHERE t.kind = 'fandom' GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1")
fandom_path=/tags/$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1].replace("/", "*s*").replace("&", "*a*").replace(".", "*d*").replace("?", "*q*").replace("#", "*h*"), safe=""))' "$fandom")/works
work=$(q "SELECT MIN(id) FROM works WHERE id >= (SELECT MAX(id) / 2 FROM works) AND draft = 0 AND restricted = 0 AND hidden = 0")

to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.1f", v}'; }
run() { # conns cookie url [script] [env...] -> "rps p50ms p99ms"
  local conns=$1 c=$2 url=$3 script=${4:-}
  local args=(-t"$([ "$conns" = 1 ] && echo 1 || echo 2)" -c"$conns" -d"${secs}s" --latency)
  [ -n "$c" ] && args+=(-H "Cookie: $c")
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" >"$tmp/out.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$tmp/out.txt")
  p50=$(awk '/^ +50%/ {print $2}' "$tmp/out.txt" | to_ms)
  p99=$(awk '/^ +99%/ {print $2}' "$tmp/out.txt" | to_ms)
  echo "$rps $p50 $p99"
}
# label|path or script marker
pages=(
  "home|/|"
  "/works|/works|"
  "fandom works, random page 1-$max_page|$base|bench/random_page.lua"
  "never-seen search (with sidebar)|$base|bench/unique_search.lua"
  "work page|/works/$work|"
)
declare -A res
export PAGE_PATH=$fandom_path MAX_PAGE=$max_page
# Warm-up: each page once (the first start of a large index is cold).
for p in "${pages[@]}"; do IFS='|' read -r label path script <<<"$p"; [ -z "$script" ] && curl -fs -o /dev/null "$base$path"; done
for r in $(seq "$runs"); do
  for p in "${pages[@]}"; do
    IFS='|' read -r label path script <<<"$p"
    url=$path; [ -z "$script" ] && url=$base$path
    for who in guest member; do
      c=; [ "$who" = member ] && c=$cookie
      for conns in 1 50; do
        out=$(run "$conns" "$c" "$url" "$script")
        res["$label|$who|$conns"]+="$out,"
        echo "round $r: $label, $who, $conns connections: $out" >&2
      done
    done
  done
done
median() { tr ',' '\n' | awk 'NF' | awk -v f="$1" '{print $f}' | sort -n | awk '{a[NR]=$1} END {if (NR==0) {print ""} else {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}}'; }
echo
echo "$(date -u +%F), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs runs × ${secs}s; $(q 'SELECT COUNT(*) FROM works') works; fandom \"$fandom\" ($(q "SELECT COUNT(*) FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE t.name = '$(echo "$fandom" | sed "s/'/''/g")'") works)"
echo
echo "| page | viewer | one at a time p50 ms | one at a time p99 ms | 50 connections req/s | 50 connections p99 ms |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for p in "${pages[@]}"; do
  IFS='|' read -r label path script <<<"$p"
  for who in guest member; do
    one=${res["$label|$who|1"]}; many=${res["$label|$who|50"]}
    echo "| $label | $who | $(echo "$one" | median 2) | $(echo "$one" | median 3) | $(echo "$many" | median 1) | $(echo "$many" | median 3) |"
  done
done
