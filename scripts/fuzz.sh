#!/usr/bin/env bash
# Coverage-guided fuzzing of the repository-metadata parsers (fuzz/): build
# the targets, run each for a time budget from its committed seeds
# (fuzz/seeds/TARGET) and dictionary (fuzz/dict), and fail if any target
# crashes (panic, abort, stack overflow), hangs or blows up its memory,
# naming the input that did it.
#
# Usage: scripts/fuzz.sh [TARGET...]       (default: every target in fuzz/Cargo.toml)
# Env:   FUZZ_SECONDS    time per target, default 60
#        FUZZ_SANITIZER  none (default) or address. With address the build
#                        needs nightly flags (-Zsanitizer), which this script
#                        enables on stable with RUSTC_BOOTSTRAP=1; the build
#                        is much slower (see below).
#        FUZZ_TIMEOUT    seconds one input may take before it is a hang, default 10
#        FUZZ_RSS_MB     memory limit in MB, default 1024
#        CARGO_BUILD_JOBS  as for cargo
#
# Why no AddressSanitizer by default: the parsers are safe Rust, where ASan
# adds little that a panic or an abort does not already show, and its build
# does not fit the CI budget: from scratch, on 2 shared cores with -j1, the
# ASan build of the dep target alone took 9 min, all five targets without a
# sanitizer 6 min (most of either is the bundled C libraries and
# rootsmith's other dependencies). Panics, aborts, stack overflows,
# timeouts (-timeout) and the RSS limit (-rss_limit_mb) all work without a
# sanitizer; -malloc_limit_mb (one huge allocation) needs one.
#
# New inputs go to fuzz/corpus/TARGET, crashes to fuzz/artifacts/TARGET
# (both ignored by git). To replay one:
#   cd fuzz && cargo fuzz run --sanitizer none -a TARGET artifacts/TARGET/crash-...
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT/fuzz"

SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
SANITIZER=${FUZZ_SANITIZER:-none}
TIMEOUT=${FUZZ_TIMEOUT:-10}
RSS_MB=${FUZZ_RSS_MB:-1024}
CARGO_FUZZ_VERSION=0.13.2

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
if [ "$SANITIZER" != none ]; then
    # -Zsanitizer=... on a stable toolchain.
    export RUSTC_BOOTSTRAP=1
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

# -a: debug assertions and overflow checks on, so that a failed
# debug_assert! or an arithmetic overflow is a crash too.
BUILD=(--sanitizer "$SANITIZER" -a)
start=$(date +%s)
echo "fuzz: building ${targets[*]} (sanitizer $SANITIZER)"
cargo fuzz build "${BUILD[@]}"
echo "fuzz: build took $(($(date +%s) - start)) s"

mkdir -p target/dicts
failed=()
for t in "${targets[@]}"; do
    # Every XML target also gets the XML syntax tokens.
    dict=target/dicts/$t.dict
    if [ "$t" = dep ]; then
        cp dict/dep.dict "$dict"
    else
        cat dict/xml-common.dict "dict/$t.dict" >"$dict"
    fi
    mkdir -p "corpus/$t" "artifacts/$t"
    log=target/fuzz-$t.log
    echo "fuzz: $t for ${SECONDS_PER_TARGET}s"
    t0=$(date +%s)
    # The first corpus directory receives new inputs; the seeds are only read.
    if cargo fuzz run "${BUILD[@]}" "$t" "corpus/$t" "seeds/$t" -- \
        -dict="$dict" \
        -max_total_time="$SECONDS_PER_TARGET" \
        -timeout="$TIMEOUT" \
        -rss_limit_mb="$RSS_MB" \
        -malloc_limit_mb="$RSS_MB" \
        -print_final_stats=1 >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
        echo "fuzz: $t ok: $execs runs, $per_s exec/s, $cov, $(ls "corpus/$t" | wc -l) corpus inputs, $(($(date +%s) - t0)) s"
    else
        failed+=("$t")
        echo "fuzz: $t FAILED; the end of its log ($ROOT/fuzz/$log):" >&2
        tail -n 40 "$log" >&2
        # libFuzzer names what it saved (crash-*, timeout-*, oom-*, leak-*).
        sed -n 's/^.*Test unit written to \(.*\)$/\1/p' "$log" | while read -r a; do
            echo "fuzz: $t: failing input saved as $a" >&2
            echo "fuzz: replay: (cd fuzz && cargo fuzz run ${BUILD[*]} $t $a)" >&2
        done
    fi
done

echo "fuzz: total $(($(date +%s) - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
