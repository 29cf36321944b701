#!/usr/bin/env bash
# The main job: installs what is missing, builds the standalone build in build/ and runs
# build/collective-perf (nccl-tests style, packet level beside the alpha-beta model, on two
# DGX H100 nodes joined by NDR rails), passing any arguments through (none needed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup-debian.sh
# Same configuration as tools/test.sh, so the two share one build.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
exec build/collective-perf "$@"
