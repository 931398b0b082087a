#!/usr/bin/env bash
# Installs what is missing, builds Anju and runs `anju demo`: a generated district on SQLite,
# served on 127.0.0.1. Extra arguments go to `anju demo` (e.g. --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build-web.sh
# Warnings are errors in the test builds; GCC 12 at -O3 also warns about code that is fine
# (-Wrestrict, -Wmaybe-uninitialized inside libstdc++), so an optimised build only reports them.
scripts/build.sh build/release -DCMAKE_BUILD_TYPE=Release -DANJU_BUILD_TESTS=OFF -DANJU_WERROR=OFF
exec build/release/src/app/anju demo --data "${ANJU_DEMO_DATA:-data/demo}" --listen "${ANJU_DEMO_LISTEN:-127.0.0.1:8080}" "$@"
