#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for MINUTES minutes each, one after another, and
# prints per target the executions, the coverage reached and whether it found anything.
#
#   bench/fuzz.sh MINUTES [TARGET...]
#
# Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`). Each target starts from the
# checked-in seeds (fuzz/seeds/TARGET) plus what earlier runs found (fuzz/corpus/TARGET,
# not checked in). A crash or a timeout (one input running over 10 s, e.g. a quadratic
# case) is saved under fuzz/artifacts/TARGET/ and makes the script exit non-zero.
set -u
cd "$(dirname "$0")/../fuzz"

minutes="${1:-}"
if ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "usage: bench/fuzz.sh MINUTES [TARGET...]" >&2
    exit 2
fi
shift
seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# Built once, without AddressSanitizer: the code under test is safe Rust, and an
# uninstrumented build runs several times more inputs in the same time.
cargo +nightly fuzz build --sanitizer none || exit 1

status=0
summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log="artifacts/$t/last-run.log"
    cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    units=$(ls "corpus/$t" | wc -l)
    if [ "$rc" -eq 0 ]; then
        found="none"
    else
        found="FOUND (exit $rc): $(grep -m1 -E 'ERROR: libFuzzer|panicked at|deadly signal|timeout' "$log" | cut -c1-120)"
        status=1
    fi
    summary+=("$(printf '%-16s %12s %8s %8s %8s  %s' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$units" "$found")")
done

printf '%-16s %12s %8s %8s %8s  %s\n' target executions cov features corpus crashes/timeouts
printf '%s\n' "${summary[@]}"
exit "$status"
