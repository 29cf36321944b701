#!/usr/bin/env bash
# Installs the Debian 12 packages that ai-fabric's build, tests, examples and CI need.
#
#   tools/setup-debian.sh            # everything (the default list below)
#   tools/setup-debian.sh PKG...     # just these packages (used by .ci/in-tree-build.sh)
#
# Idempotent: when every package is already installed it returns at once, without
# apt-get update, so scripts can call it on every run.
set -euo pipefail

default_packages=(
    # toolchain and build
    cmake g++ make pkg-config
    # ns-3.37 as Debian packages it. find_package(ns3) needs the ns3 package too (its CMake
    # export names programs that ship there) and libgsl-dev (on ns3::libcore's link line).
    libns3-dev ns3 libgsl-dev
    # libraries the model, readers and reports use
    libboost-dev libfmt-dev libyaml-cpp-dev nlohmann-json3-dev
    # tests: GoogleTest (headers, static libs, CMake config), tshark to decode our pcaps,
    # valgrind for callgrind counts of the hot path
    googletest libgtest-dev tshark valgrind
    # pictures: plots rendered by gnuplot (ns-3's Gnuplot classes write the scripts), topology
    # pictures by graphviz's dot
    gnuplot-nox graphviz
    # Chakra execution traces: protobuf messages, C++ generated from our schema by protoc
    libprotobuf-dev protobuf-compiler
    # in-tree check (.ci/in-tree-build.sh): ns3/test.py are Python; apt-get source needs
    # dpkg-source and the tarballs' decompressors; rsync copies the module into the tree
    python3 dpkg-dev bzip2 xz-utils rsync
    # sanitizer and fuzz jobs (tools/sanitize.sh, tools/fuzz.sh): clang's ASan, UBSan and
    # libFuzzer runtimes
    clang-14 libclang-rt-14-dev
    ca-certificates
)

if [[ $# -gt 0 ]]; then
    packages=("$@")
else
    packages=("${default_packages[@]}")
fi

# Packages not yet installed: dpkg-query prints "install ok installed" for those that are.
missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup-debian: all ${#packages[@]} packages already installed"
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi

echo "setup-debian: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A few retries: CI mirrors are sometimes briefly unreachable.
for attempt in 1 2 3; do
    if "${sudo[@]}" apt-get update -q &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "${missing[@]}" </dev/null; then
        exit 0
    fi
    echo "setup-debian: apt-get failed (attempt $attempt), retrying" >&2
    sleep $((attempt * 10))
done
echo "setup-debian: could not install ${missing[*]}" >&2
exit 1
