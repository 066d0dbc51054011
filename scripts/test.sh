#!/usr/bin/env bash
# Runs tome's whole test suite on a fresh Debian machine: installs the system packages
# the tests need (epubcheck, chromium, chromium-driver, python3-venv), makes sure the
# local PostgreSQL is up, then runs every test in the workspace; then runs the web, search
# and CLI integration tests a second time with every test archive on PostgreSQL
# (TOME_TEST_BACKEND=postgres: a fresh database per archive, dropped at the end). The
# store's own tests already run on both backends in the first pass. cargo-nextest is used
# for both passes when it is installed (one process per test, all binaries at once).
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v epubcheck >/dev/null 2>&1 || missing+=(epubcheck)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
# The eFiction live-source test loads a dump into MariaDB (127.0.0.1:3306) with the client.
command -v mysql >/dev/null 2>&1 || missing+=(mariadb-client)
# The screenshot tests (crates/tome/tests/browser_look.rs) render with Debian's DejaVu
# fonts, and run axe-core from npm.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL: the store's tests create and drop their own databases on 127.0.0.1:5432.
if [ -z "${TOME_SKIP_POSTGRES:-}" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    sudo_if_needed pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

# axe-core for the accessibility check, exactly as package-lock.json pins it.
(cd crates/tome/tests/axe && npm ci --no-audit --no-fund --silent)

cargo build --workspace --all-targets --locked
# cargo-nextest runs every test binary at once (cargo test runs them one after another,
# and the slowest ones, browser and PostgreSQL, would then run alone on an idle machine).
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --test-threads="${TOME_TEST_THREADS:-4}" --no-fail-fast
else
  cargo test --workspace --locked -- --test-threads="${TOME_TEST_THREADS:-4}"
fi

if [ -n "${TOME_SKIP_POSTGRES:-}" ]; then
  echo "TOME_SKIP_POSTGRES is set: not running the web, search and CLI tests on PostgreSQL"
  exit 0
fi
echo "== web, search and CLI tests again, on PostgreSQL =="
export TOME_TEST_BACKEND=postgres
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked -p tome-web -p tome-search -p tome --test '*' \
    --test-threads="${TOME_TEST_THREADS:-4}" --no-fail-fast
else
  cargo test --locked -p tome-web -p tome-search -p tome --test '*' --no-fail-fast \
    -- --test-threads="${TOME_TEST_THREADS:-4}"
fi
