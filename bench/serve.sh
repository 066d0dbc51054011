# Sourced by the page benchmarks (pages.sh, mixed.sh): the release binary, and a server
# on an archive with a member logged in.
#
#   . bench/serve.sh; bench_binary; bench_serve DATA PORT
#
# bench_binary sets TOME_BIN (building the release binary unless TOME_BIN is set).
# bench_serve adds the member `benchreader` if missing, starts `tome serve` on DATA at
# 127.0.0.1:PORT (log in $tmp/serve.log; the caller's EXIT trap kills $server), waits for
# it (a large archive's first start applies the outbox: up to 10 minutes), and logs the
# member in through the form as a browser would. Sets server, base and cookie.

bench_binary() {
  if [ -z "${TOME_BIN:-}" ]; then
    cargo build --release --locked -q -p tome
    TOME_BIN=./target/release/tome
  fi
}

bench_serve() {
  local data=$1 port=$2
  "$TOME_BIN" --data "$data" users list 2>/dev/null | grep -q benchreader ||
    echo "benchpassword1" | "$TOME_BIN" --data "$data" users add benchreader \
      --email bench@example.org --password-stdin >/dev/null
  RUST_LOG=warn "$TOME_BIN" --data "$data" serve --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
  server=$!
  base=http://127.0.0.1:$port
  for _ in $(seq 3000); do curl -fs -o /dev/null "$base/" && break; sleep 0.2; done
  curl -fs -o /dev/null "$base/" || { echo "tome serve did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
  cookie=$(bench/login.py "$base" benchreader benchpassword1)
}
