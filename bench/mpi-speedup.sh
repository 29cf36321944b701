#!/usr/bin/env bash
# The distributed engine's speed-up: fabric-distributed on 1 MPI process and on 2, interleaved
# (1, 2, 1, 2 ...), on the same machine in the same run; prints each Simulator::Run() wall time
# (the slowest process's), the best of each, and the speed-up against the goal (>= 1.7x on 2
# processes for a fat-tree of 512 GPUs or more). Needs the in-tree MPI build (doc/distributed.md).
#
#   bench/mpi-speedup.sh BINARY [--nodes=64 --bytes=64M ...]
# Environment: REPEATS (default 2), ENGINE (granted-time-window or null-message).
set -euo pipefail
example=${1:?usage: mpi-speedup.sh FABRIC_DISTRIBUTED_BINARY [ARGS...]}
shift
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(--nodes=64 --bytes=64M)
repeats=${REPEATS:-2}
engine=${ENGINE:-granted-time-window}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

wall() { grep -E '^  Simulator::Run\(\) \(wall\)' | awk '{print $3}'; }
best1=
best2=
for ((i = 1; i <= repeats; ++i)); do
    out1=$("$example" "${args[@]}")
    w1=$(wall <<<"$out1")
    out2=$(mpirun --oversubscribe -np 2 "$example" "${args[@]}" --engine="$engine")
    w2=$(wall <<<"$out2")
    echo "run $i: 1 process ${w1} s, 2 processes ${w2} s"
    best1=$(python3 -c "import sys; print(min(float(x) for x in sys.argv[1:] if x))" "$w1" ${best1:+"$best1"})
    best2=$(python3 -c "import sys; print(min(float(x) for x in sys.argv[1:] if x))" "$w2" ${best2:+"$best2"})
done
echo "--- 1 process:"
echo "$out1"
echo "--- 2 processes ($engine):"
echo "$out2"
python3 - "$best1" "$best2" <<'PY'
import sys
one, two = float(sys.argv[1]), float(sys.argv[2])
s = one / two
print(f"mpi-speedup: best 1 process {one:.3f} s, best 2 processes {two:.3f} s: "
      f"speed-up {s:.2f}x (goal >= 1.7x: {'met' if s >= 1.7 else 'not met'})")
PY
