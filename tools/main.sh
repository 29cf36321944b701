#!/usr/bin/env bash
# The main job: installs what is missing, builds the standalone build in build/ and runs
# build/ib-incast, passing any arguments through (none needed; try --PrintHelp).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup-debian.sh
# Same configuration as tools/test.sh, so the two share one build.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
exec build/ib-incast "$@"
