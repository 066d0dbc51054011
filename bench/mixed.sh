#!/usr/bin/env bash
# An archive's day in one wrk run: work and chapter pages, tag listings (first and later
# pages), searches (half never seen before), home and /works, user pages and a member's
# own pages (history, bookmarks, subscriptions, inbox); about 40 % of requests logged in.
# Prints requests/s and latency percentiles (median of RUNS runs).
#
#   bench/mixed.sh DATA [RUNS] [SECONDS]
#
# DATA: an archive (e.g. the one bench/pages.sh or gen-corpus made). Env: TOME_BIN
# (default: build release), PORT (default 18080), CONNS (default 50).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: bench/mixed.sh DATA [RUNS] [SECONDS]}; runs=${2:-3}; secs=${3:-10}
port=${PORT:-18080}; conns=${CONNS:-50}
. bench/serve.sh
bench_binary
tmp=$(mktemp -d); server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
bench_serve "$data" "$port"

# The day's paths, from the archive itself (ids, chapter pages, popular tags, tags with
# more than 5 pages for the later pages, users). Works and chapters are those everyone may
# open: a guest asking for a restricted work is answered "log in to read this work" (401),
# and counting those as errors would hide real ones (every non-2xx here is a fault).
q() { sqlite3 "$data/tome.db" "$1"; }
enc() { python3 -c 'import sys, urllib.parse
for l in sys.stdin.read().splitlines():
    print(urllib.parse.quote(l.replace("/", "*s*").replace("&", "*a*").replace(".", "*d*").replace("?", "*q*").replace("#", "*h*"), safe=""))'; }
lua_list() { printf '%s = {' "$1"; sed 's/.*/"&",/' | tr -d '\n'; echo '}'; }
{
  q "SELECT id FROM works WHERE draft = 0 AND restricted = 0 AND hidden = 0 ORDER BY random() LIMIT 2000" | lua_list works
  q "SELECT '/works/' || c.work_id || '/chapters/' || c.id FROM chapters c JOIN works w ON w.id = c.work_id WHERE c.position > 1 AND w.draft = 0 AND w.restricted = 0 AND w.hidden = 0 ORDER BY random() LIMIT 2000" | lua_list chapters
  q "SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id WHERE t.kind IN ('fandom', 'relationship', 'character') GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 200" | enc | lua_list tags
  q "SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id WHERE t.kind IN ('fandom', 'relationship', 'character') GROUP BY t.id HAVING COUNT(*) > 100 ORDER BY COUNT(*) DESC LIMIT 200" | enc | lua_list deep_tags
  q "SELECT u.login FROM users u JOIN pseuds p ON p.user_id = u.id JOIN creatorships c ON c.pseud_id = p.id GROUP BY u.id ORDER BY random() LIMIT 500" | lua_list users
  printf '%s\n' lantern harbor storm winter letters tea "slow+burn" "first+kiss" rain lighthouse music garden | lua_list searches
} >"$tmp/paths.lua"
export MIXED_PATHS=$tmp/paths.lua MIXED_COOKIE=$cookie
# Warm-up: one short pass so the first run is not the cold start.
wrk -t2 -c"$conns" -d3s -s bench/mixed.lua "$base" >/dev/null
for r in $(seq "$runs"); do
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/mixed.lua "$base" >"$tmp/run$r.txt"
  awk '/Requests\/sec/ {print "run '"$r"': " $2 " requests/s"} /Non-2xx/ {print "  non-2xx: " $NF}' "$tmp/run$r.txt"
done
echo
echo "$(date -u +%F), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs × ${secs}s, wrk -t2 -c$conns; $(q 'SELECT COUNT(*) FROM works') works"
for r in $(seq "$runs"); do
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%s %s %s %s\n", rps, p50, p99, bad+0}' "$tmp/run$r.txt"
done | sort -n | awk '{a[NR]=$0} END {split(a[int((NR+1)/2)], m, " "); printf "median run: %s requests/s, p50 %s, p99 %s, non-2xx %s\n", m[1], m[2], m[3], m[4]}'
