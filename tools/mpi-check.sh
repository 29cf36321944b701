#!/usr/bin/env bash
# The distributed run against the sequential one: fabric-distributed on 1 MPI process and on 2,
# with both of ns-3's conservative engines. The port counters (summed over the processes) must
# be the same; the collective's time too, exactly for the tree all-reduce and to a millionth for
# the ring (see doc/distributed.md, "What is identical"). Prints each run's report.
#
#   tools/mpi-check.sh PATH/TO/ns3.37-fabric-distributed-optimized
set -euo pipefail
example=${1:?usage: mpi-check.sh FABRIC_DISTRIBUTED_BINARY}
# OpenMPI refuses root unless told; two processes on a two-core runner need no more slots.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe -np 2)


run_case() { # run_case EXACT ARGS...
    local exact=$1
    shift
    echo "=== mpi-check: $* (1 process)"
    local seq
    seq=$("$example" "$@")
    echo "$seq"
    local seq_time seq_digest
    seq_time=$(grep -E '^  collective time, packets' <<<"$seq" | awk '{print $4}')
    seq_digest=$(grep -E '^  port counters digest' <<<"$seq" | awk '{print $4}')
    for engine in granted-time-window null-message; do
        echo "=== mpi-check: $* (2 processes, $engine)"
        local dist
        dist=$("${mpirun[@]}" "$example" "$@" --engine="$engine")
        echo "$dist"
        local time digest
        time=$(grep -E '^  collective time, packets' <<<"$dist" | awk '{print $4}')
        digest=$(grep -E '^  port counters digest' <<<"$dist" | awk '{print $4}')
        if [[ "$digest" != "$seq_digest" ]]; then
            echo "mpi-check: port counters differ: $digest on 2 processes, $seq_digest on 1" >&2
            exit 1
        fi
        if [[ "$exact" == exact && "$time" != "$seq_time" ]]; then
            echo "mpi-check: collective time $time ps on 2 processes, $seq_time ps on 1" >&2
            exit 1
        fi
        if ! python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); sys.exit(abs(a - b) > 1e-6 * b)" \
            "$time" "$seq_time"; then
            echo "mpi-check: collective time $time ps on 2 processes, $seq_time ps on 1 (more than 1e-6 apart)" >&2
            exit 1
        fi
    done
}

run_case exact --nodes=8 --bytes=4M --algo=tree
run_case close --nodes=8 --bytes=4M --algo=ring
echo "=== mpi-check: passed"
