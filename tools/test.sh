#!/usr/bin/env bash
# The test command (see README): installs what is missing, builds the standalone build in
# build/ against Debian's ns-3.37 and runs every test under CTest. Exits non-zero on any
# failure, and on an empty test list (a broken test discovery must not pass silently).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup-debian.sh
# Same configuration as tools/main.sh, so the two share one build.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
# --timeout: one hung case must not eat the CI job's time limit.
ctest --test-dir build --output-on-failure -j2 --no-tests=error --timeout 300
