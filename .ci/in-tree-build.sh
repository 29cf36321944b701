#!/usr/bin/env bash
# Proves the in-tree build: ai-fabric as contrib/ai-fabric of ns-3.37 (Debian's ns3 source
# package), configured with only the modules it needs, built, one example run, and
# `./test.py -s ai-fabric` passing. Exits non-zero if any step fails.
#
# Environment (all optional):
#   AIFABRIC_INTREE_DIR  work dir; an ns-3 tree unpacked there by an earlier run is reused
#                        (default ${TMPDIR:-/tmp}/aifabric-intree)
#   AIFABRIC_MODULE_DIR  module to copy in (default: this repository)
#   AIFABRIC_NS3_PROFILE ns-3 build profile (default: "default", i.e. -O2 -g with NS_ASSERT
#                        and NS_LOG compiled in, which Debian's release libraries lack)
#   JOBS                 parallel compile jobs (default: nproc)
#   AIFABRIC_INTREE_MPI  1: the distributed job instead. ns-3 configured with --enable-mpi
#                        (OpenMPI), the optimized profile, in its own work dir (default
#                        ${TMPDIR:-/tmp}/aifabric-intree-mpi); only the fabric-distributed
#                        example is built, then tools/mpi-check.sh compares its runs on 1 and 2
#                        MPI processes (doc/distributed.md).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module_dir=$(cd "${AIFABRIC_MODULE_DIR:-$repo_root}" && pwd)
mpi=${AIFABRIC_INTREE_MPI:-0}
if [[ "$mpi" == 1 ]]; then
    work_dir=${AIFABRIC_INTREE_DIR:-${TMPDIR:-/tmp}/aifabric-intree-mpi}
    profile=${AIFABRIC_NS3_PROFILE:-optimized}
else
    work_dir=${AIFABRIC_INTREE_DIR:-${TMPDIR:-/tmp}/aifabric-intree}
    profile=${AIFABRIC_NS3_PROFILE:-default}
fi
jobs=${JOBS:-$(nproc)}
ns3_version=3.37

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi

# Each step prints how long the previous one took: this is the CI job's timing record.
start=$SECONDS
step_start=
step() {
    if [[ -n "$step_start" ]]; then
        echo "=== in-tree: previous step took $((SECONDS - step_start))s (total $((SECONDS - start))s)"
    fi
    step_start=$SECONDS
    echo "=== in-tree: $*"
}

step "tools: only what ns-3's core/network/point-to-point and our module need (no build-dep)"
# ns3 and test.py are Python; apt-get source needs dpkg-source and the decompressors;
# the module's test library links GoogleTest; rsync copies the module in; then the
# third-party libraries the module itself uses (see the CMakeLists' in-tree branch).
bash "$repo_root/tools/setup-debian.sh" cmake g++ make python3 dpkg-dev bzip2 xz-utils rsync \
    googletest libgtest-dev libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libprotobuf-dev protobuf-compiler
if [[ "$mpi" == 1 ]]; then
    bash "$repo_root/tools/setup-debian.sh" libopenmpi-dev openmpi-bin
fi

mkdir -p "$work_dir"
tree=$(find "$work_dir" -maxdepth 3 -type f -name ns3 -path "*/ns-$ns3_version/ns3" \
    -printf "%h\n" -quit 2>/dev/null)
if [[ -n "$tree" ]]; then
    step "ns-3 source: reusing $tree"
else
    step "ns-3 source: apt-get source ns3 into $work_dir"
    # deb-src entries are off by default on Debian 12: add them next to the deb ones.
    if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
            sed 's/^Types: .*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
                "${sudo[@]}" tee /etc/apt/sources.list.d/aifabric-deb-src.sources >/dev/null
        else
            printf 'deb-src http://deb.debian.org/debian bookworm main\n' |
                "${sudo[@]}" tee /etc/apt/sources.list.d/aifabric-deb-src.list >/dev/null
        fi
        "${sudo[@]}" apt-get update -q
    elif ! apt-cache showsrc ns3 2>/dev/null | grep -q '^Package: ns3'; then
        "${sudo[@]}" apt-get update -q
    fi
    # Unpack into a fresh subdirectory, then move into place: an interrupted run leaves no
    # half-unpacked tree for the next run to reuse.
    rm -rf "$work_dir/.unpack"
    mkdir -p "$work_dir/.unpack"
    (cd "$work_dir/.unpack" && apt-get source -q ns3 </dev/null)
    unpacked=$(find "$work_dir/.unpack" -maxdepth 3 -type f -name ns3 \
        -path "*/ns-$ns3_version/ns3" -printf "%h\n" -quit)
    [[ -n "$unpacked" ]] || { echo "in-tree: no ns-$ns3_version tree in the source package" >&2; exit 1; }
    top=${unpacked#"$work_dir/.unpack/"}
    top=${top%%/*}
    mv "$work_dir/.unpack/$top" "$work_dir/$top"
    rm -rf "$work_dir/.unpack"
    tree=$work_dir/${unpacked#"$work_dir/.unpack/"}
fi
grep -qx "$ns3_version" "$tree/VERSION" || { echo "in-tree: $tree is not ns-$ns3_version" >&2; exit 1; }
cd "$tree"

step "copy $module_dir to contrib/ai-fabric"
# By content (--checksum), without keeping times: an unchanged file keeps its old time and is
# not recompiled, a changed one gets the current time and is, even when the source's own time
# is older than the object built from a previous run's version (git checkout, cp -p).
mkdir -p contrib/ai-fabric
rsync -r --links --checksum --delete --exclude=/.git --exclude=/build --exclude='/build-*' \
    "$module_dir/" contrib/ai-fabric/

step "configure (profile $profile, only ai-fabric and its dependencies)"
# A reused tree keeps the forwarding headers ns-3 wrote into build/include/ns3, and configure
# does not rewrite them: drop the module's, so a header that moved is not looked for where it was.
if [[ -d build/include/ns3 ]]; then
    grep -lF "contrib/ai-fabric/" build/include/ns3/*.h 2>/dev/null | xargs -r rm -f
fi
./ns3 configure -d "$profile" --enable-modules=ai-fabric --enable-examples --enable-tests \
    --filter-module-examples-and-tests=ai-fabric --disable-python-bindings --disable-gtk \
    "$([[ "$mpi" == 1 ]] && echo --enable-mpi || echo --disable-mpi)" </dev/null
# --enable-modules must pull in only ai-fabric's dependencies (core, network,
# point-to-point and what they need), never the whole simulator.
enabled=$(grep -E '^ns3-all-enabled-modules:INTERNAL=' cmake-cache/CMakeCache.txt | cut -d= -f2)
echo "in-tree: enabled modules: $enabled"
for unwanted in internet wifi lte applications; do
    if [[ ";$enabled;" == *";$unwanted;"* ]]; then
        echo "in-tree: --enable-modules=ai-fabric also enabled $unwanted" >&2
        exit 1
    fi
done
[[ ";$enabled;" == *";ai-fabric;"* ]] || { echo "in-tree: ai-fabric not enabled" >&2; exit 1; }

if [[ "$mpi" == 1 ]]; then
    [[ ";$enabled;" == *";mpi;"* ]] || { echo "in-tree: --enable-mpi did not enable mpi" >&2; exit 1; }
    step "build fabric-distributed ($jobs jobs)"
    cmake --build cmake-cache -j "$jobs" --target fabric-distributed
    step "tools/mpi-check.sh: 1 process against 2"
    example=$(find build -type f -name "ns$ns3_version-fabric-distributed*" -print -quit)
    [[ -n "$example" ]] || { echo "in-tree: fabric-distributed was not built" >&2; exit 1; }
    LD_LIBRARY_PATH=$PWD/build/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
        bash "$repo_root/tools/mpi-check.sh" "$PWD/$example"
    step "all passed in $((SECONDS - start))s"
    exit 0
fi

step "build ($jobs jobs)"
# Not `./ns3 build -j N`: ns-3.37's ns3 script caps jobs at nproc-1 (1 on a 2-core runner).
cmake --build cmake-cache -j "$jobs"

step "run example ib-incast"
run_dir=$work_dir/run
rm -rf "$run_dir"
mkdir -p "$run_dir"
./ns3 run --no-build --cwd "$run_dir" ib-incast </dev/null

step "./test.py -s ai-fabric"
runner=$(find build/utils -maxdepth 1 -type f -name "ns$ns3_version-test-runner*" -print -quit)
[[ -n "$runner" ]] || { echo "in-tree: test-runner was not built" >&2; exit 1; }
# A clear message when the suite is missing (test library not linked into test-runner)
# rather than test.py's generic one. (Into a variable first: grep -q closing the pipe early
# would fail the pipeline under pipefail.)
suites=$("$runner" --list)
if ! grep -qx 'ai-fabric' <<<"$suites"; then
    echo "in-tree: test-runner has no suite ai-fabric (is the test library linked?)" >&2
    exit 1
fi
if ! ./test.py --no-build -s ai-fabric </dev/null; then
    # test.py shows only PASS/FAIL: run the suite directly for GoogleTest's own report.
    "$runner" --suite=ai-fabric --verbose || true
    exit 1
fi

step "all passed in $((SECONDS - start))s"
