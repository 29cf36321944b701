#!/usr/bin/env bash
# The main job: installs what is missing, builds the standalone build in build/ and runs
# build/training-run: one iteration of a GPT-style model (TP 8 x PP 2 x DP 2) on 4 DGX H100
# servers joined by NDR rails, packet by packet and on the analytical backend side by side.
# It prints the iteration's breakdown and writes report.json and timeline.json here. Any
# arguments pass through (none needed; see build/training-run --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup-debian.sh
# Same configuration as tools/test.sh, so the two share one build.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
exec build/training-run "$@"
