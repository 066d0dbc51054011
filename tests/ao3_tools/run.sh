#!/usr/bin/env bash
# FanFicFare end-to-end check against a live tome server.
#
#   tests/ao3_tools/run.sh BASE_URL EXPECT.json [fanficfare_check.py options]
#   tests/ao3_tools/run.sh --fixture [options]     # self-test against fixture_server.py
#
# Creates target/ao3-venv (python3 -m venv) with a pinned FanFicFare on first
# use, then runs fanficfare_check.py.  Exit status is the check's: 0 all
# matched, 1 mismatch/failure, 2 usage.  See FANFICFARE.md.
set -euo pipefail

FANFICFARE_VERSION=4.62.0
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${AO3_VENV:-$REPO/target/ao3-venv}"
PY="$VENV/bin/python"

if [ $# -lt 1 ] || { [ "$1" != "--fixture" ] && [ $# -lt 2 ]; }; then
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi

if ! "$PY" -c "import fanficfare, sys; sys.exit(0 if fanficfare.__version__ == '$FANFICFARE_VERSION' else 1)" 2>/dev/null \
   && ! "$PY" -m pip show fanficfare 2>/dev/null | grep -qx "Version: $FANFICFARE_VERSION"; then
    if [ ! -x "$PY" ]; then
        mkdir -p "$(dirname "$VENV")"
        if ! python3 -m venv "$VENV" 2>/dev/null; then
            echo "run.sh: python3 -m venv failed; installing python3-venv" >&2
            rm -rf "$VENV"
            SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
            $SUDO apt-get install -y python3-venv >&2
            python3 -m venv "$VENV"
        fi
    fi
    "$PY" -m pip install --quiet --disable-pip-version-check "fanficfare==$FANFICFARE_VERSION" >&2
fi

if [ "$1" = "--fixture" ]; then
    shift
    PORTFILE="$(mktemp)"
    python3 "$HERE/fixture_server.py" --port 0 >"$PORTFILE" 2>/dev/null &
    FIXTURE_PID=$!
    trap 'kill "$FIXTURE_PID" 2>/dev/null || true; rm -f "$PORTFILE"' EXIT
    for _ in $(seq 50); do [ -s "$PORTFILE" ] && break; sleep 0.1; done
    BASE="$(head -n1 "$PORTFILE")"
    [ -n "$BASE" ] || { echo "run.sh: fixture server did not start" >&2; exit 1; }
    "$PY" "$HERE/fanficfare_check.py" "$BASE" "$HERE/fixture_expect.json" "$@"
    exit $?
fi

BASE="$1"; EXPECT="$2"; shift 2
exec "$PY" "$HERE/fanficfare_check.py" "$BASE" "$EXPECT" "$@"
