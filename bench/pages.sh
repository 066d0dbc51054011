#!/usr/bin/env bash
# Every page of the "fast everywhere" table, for a guest and for a logged-in member, beside
# nginx serving a static copy of the very bytes tome sent the guest, all in one run.
#
#   bench/pages.sh [RUNS] [SECONDS] [DATA]
#
# RUNS rounds (default 3) of SECONDS-long wrk runs (default 5; -t2 -c50) over every
# (page, viewer) pair, interleaved so that a noisy moment hits all pages alike; the table
# gives each pair's median requests/s and median p99, and the ratios the issue asks for.
# DATA: an archive to reuse (default: a fresh one, `gen-corpus --works $WORKS --seed 1`
# plus seed 004 from ../shared/seeds when present).
# Env: TOME_BIN (default: build release), WORKS (default 1000), PORT (default 18080).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}; secs=${2:-5}; data=${3:-}
port=${PORT:-18080}; nport=$((port + 1))
for tool in wrk nginx curl sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y -qq "$tool" >/dev/null; }
done
. bench/serve.sh
bench_binary
tmp=$(mktemp -d)
server=; ngx=
trap '[ -n "$server" ] && kill $server 2>/dev/null; [ -n "$ngx" ] && kill $ngx 2>/dev/null; rm -rf "$tmp"' EXIT

if [ -z "$data" ]; then
  data=$tmp/data
  "$TOME_BIN" --data "$data" gen-corpus --works "${WORKS:-1000}" --seed 1 >/dev/null 2>&1
  seed=$(ls ../shared/seeds/004_*.txt 2>/dev/null | head -1 || true)
  [ -n "$seed" ] && "$TOME_BIN" --data "$data" import "$seed" --fandom "Buffy the Vampire Slayer" >/dev/null
fi
bench_serve "$data" "$port"

db=$data/tome.db
q() { sqlite3 "$db" "$1"; }
seed_id=$(q "SELECT COALESCE((SELECT id FROM works WHERE title = 'Steps Taken by the Heart'), (SELECT MAX(id) FROM works))")
fandom=$(q "SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id WHERE t.kind = 'fandom' GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1")
# The user with the most works a guest is shown on their works page (public, not
# anonymous): counting every creatorship picked a user whose two works were restricted and
# anonymous, so the guest's page was empty (and an empty page is not kept).
prolific=$(q "SELECT u.login FROM users u JOIN pseuds p ON p.user_id = u.id JOIN creatorships c ON c.pseud_id = p.id JOIN works w ON w.id = c.work_id WHERE w.draft = 0 AND w.restricted = 0 AND w.hidden = 0 AND w.anonymous = 0 GROUP BY u.id ORDER BY COUNT(*) DESC, u.id LIMIT 1")
chapter=$(q "SELECT '/works/' || work_id || '/chapters/' || id FROM chapters WHERE position = 2 ORDER BY work_id LIMIT 1")
fandom_path=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1].replace("/", "*s*").replace("&", "*a*").replace(".", "*d*").replace("?", "*q*").replace("#", "*h*"), safe=""))' "$fandom")
# label|path|static file name (empty: no static copy)
pages=(
  "work page (seed 004)|/works/$seed_id|seed.html"
  "work page (generated)|/works/500|work.html"
  "chapter page (2nd)|$chapter|chapter.html"
  "home|/|home.html"
  "/works|/works|works.html"
  "tag works (top fandom)|/tags/$fandom_path/works|tag.html"
  "user works (most works)|/users/$prolific/works|user.html"
  "EPUB download|/works/500/download.epub|work.epub"
  "never-seen search|SEARCH|"
)

# Static copies of what the guest is sent, served by nginx.
mkdir -p "$tmp/www" "$tmp/ngx"
for p in "${pages[@]}"; do
  IFS='|' read -r label path file <<<"$p"
  [ -z "$file" ] && continue
  curl -fsS -o "$tmp/www/$file" "$base$path"
done
cat >"$tmp/ngx/nginx.conf" <<NGX
worker_processes auto;
error_log $tmp/ngx/error.log;
pid $tmp/ngx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; application/epub+zip epub; }
  server { listen 127.0.0.1:$nport; root $tmp/www; }
}
NGX
nginx -c "$tmp/ngx/nginx.conf" -p "$tmp/ngx" -g 'daemon off;' &
ngx=$!
sleep 0.5

measure() { # url cookie [script] -> "rps p99ms"
  local args=(-t2 -c50 -d"${secs}s" --latency)
  [ -n "$2" ] && args+=(-H "Cookie: $2")
  [ -n "${3:-}" ] && args+=(-s "$3")
  wrk "${args[@]}" "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
    END {printf "%.0f %.1f\n", rps, p99}'
}
declare -A results
for r in $(seq "$runs"); do
  for p in "${pages[@]}"; do
    IFS='|' read -r label path file <<<"$p"
    for who in guest member nginx; do
      [ "$who" = nginx ] && [ -z "$file" ] && continue
      case $who in
        guest) c=;; member) c=$cookie;; nginx) c=;;
      esac
      if [ "$path" = SEARCH ]; then
        out=$(measure "$base" "$c" bench/unique_search.lua)
      elif [ "$who" = nginx ]; then
        out=$(measure "http://127.0.0.1:$nport/$file" "")
      else
        out=$(measure "$base$path" "$c")
      fi
      results["$label|$who"]+="$out,"
      echo "round $r: $label, $who: $out" >&2
    done
  done
done

median() { tr ',' '\n' | awk 'NF' | awk -v f="$1" '{print $f}' | sort -n | awk '{a[NR]=$1} END {if (NR==0) {print ""} else {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; print m}}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "—"; else printf "%.2f", a / b }'; }
work_guest=$(echo "${results["work page (seed 004)|guest"]}" | median 1)
echo
echo "$(date -u +%F), commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs rounds × ${secs}s, wrk -t2 -c50; data: $("$TOME_BIN" --version 2>/dev/null | head -1), $(q 'SELECT COUNT(*) FROM works') works"
echo
echo "| page | guest req/s | guest p99 ms | member req/s | member p99 ms | nginx req/s | guest / nginx | member / nginx | member / guest |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for p in "${pages[@]}"; do
  IFS='|' read -r label path file <<<"$p"
  g=$(echo "${results["$label|guest"]}" | median 1); gp=$(echo "${results["$label|guest"]}" | median 2)
  m=$(echo "${results["$label|member"]}" | median 1); mp=$(echo "${results["$label|member"]}" | median 2)
  n=$(echo "${results["$label|nginx"]:-}" | median 1)
  if [ "$path" = SEARCH ]; then
    echo "| $label | $g | $gp | $m | $mp | (vs guest work page $work_guest) | $(ratio "$g" "$work_guest") | $(ratio "$m" "$work_guest") | $(ratio "$m" "$g") |"
  else
    echo "| $label | $g | $gp | $m | $mp | $n | $(ratio "$g" "$n") | $(ratio "$m" "$n") | $(ratio "$m" "$g") |"
  fi
done
