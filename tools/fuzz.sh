#!/usr/bin/env bash
# The fuzz job (doc/reliability.md): runs the libFuzzer targets of test/fuzz, built with ASan
# and UBSan by tools/sanitize.sh in build-asan/, on seed corpora assembled from the shipped
# files (examples/, test/data/) and test/fuzz/corpus/. A crash, an escaped exception, a hang
# (-timeout), a memory blow-up (-rss_limit_mb) or a sanitizer report fails the run and leaves
# the input in build-asan/fuzz/artifacts/; turn each into a file of test/fuzz/regressions/
# (test/fuzz-regression-test.cc replays them in every build).
#
#   tools/fuzz.sh                 # smoke: every target for FUZZ_SECONDS (20) seconds, seed
#                                 # FUZZ_SEED (1)
#   tools/fuzz.sh long [RUNS]     # every target for RUNS inputs (default 1000000), in turn
#   tools/fuzz.sh long RUNS NAME  # one target
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=${1:-smoke}
runs=${2:-1000000}
only=${3:-}
targets=(topology-reader workload-reader astra-sim-reader chakra-trace planner-files option-strings)

bash tools/sanitize.sh --build-only >/dev/null
work=build-asan/fuzz
mkdir -p "$work/artifacts"

# seeds TARGET DIR: the shipped files that target reads, as seed inputs in DIR.
seeds() {
    local target=$1 dir=$2
    rm -rf "$dir" && mkdir -p "$dir"
    case $target in
    topology-reader) cp examples/topologies/*.yaml examples/studies/hetero-cluster.yaml \
        test/data/topologies/*.yaml test/data/topologies/bad/*.yaml "$dir"/ 2>/dev/null || true ;;
    workload-reader) cp examples/workloads/*.yaml examples/studies/jobs/*.yaml "$dir"/ ;;
    astra-sim-reader) cp examples/workloads/astra-sim/*.txt "$dir"/ ;;
    planner-files)
        # The first byte picks the reader: even a layer graph, odd a job trace.
        for f in examples/studies/*.yaml; do
            case $(basename "$f") in
            crius-trace.yaml) { printf '\001'; cat "$f"; } >"$dir/trace-$(basename "$f")" ;;
            hetero-cluster.yaml) ;;
            *) { printf '\000'; cat "$f"; } >"$dir/graph-$(basename "$f")" ;;
            esac
        done ;;
    esac
    if [[ -d test/fuzz/corpus/$target ]]; then
        cp test/fuzz/corpus/"$target"/* "$dir"/
    fi
    if [[ -d test/fuzz/regressions/$target ]]; then
        cp test/fuzz/regressions/"$target"/* "$dir"/
    fi
}

status=0
for target in "${targets[@]}"; do
    [[ -n "$only" && "$only" != "$target" ]] && continue
    seeds "$target" "$work/seeds/$target"
    mkdir -p "$work/corpus/$target"
    # -max_len: the largest shipped seed is well below 64 KiB; -timeout: a parse taking a
    # second is a hang; -rss_limit_mb: well above a parse's needs, below the machine's.
    flags=(-timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1
        -artifact_prefix="$work/artifacts/$target-")
    if [[ $mode == long ]]; then
        flags+=(-runs="$runs")
    else
        # A fixed seed: a smoke run that fails in CI replays the same mutations here.
        flags+=(-max_total_time="${FUZZ_SECONDS:-20}" -seed="${FUZZ_SEED:-1}")
    fi
    echo "=== fuzz: $target ($mode)"
    if ! build-asan/test/fuzz/"$target"-fuzz "${flags[@]}" "$work/corpus/$target" \
        "$work/seeds/$target" 2>"$work/$target.log"; then
        echo "fuzz: $target FAILED; see $work/$target.log and $work/artifacts/"
        tail -40 "$work/$target.log"
        status=1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs" "$work/$target.log" || true
done
exit $status
