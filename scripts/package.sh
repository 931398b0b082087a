#!/usr/bin/env bash
# Builds the Debian package: a release binary, the console and portal, the systemd unit and the
# settings file, into build/package/anju_VERSION_ARCH.deb (docs/deploy.md). With a build folder
# as argument (scripts/package.sh build/test) it packages that build instead of a release one: the
# tests use this to check the package's contents quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build=${1:-}
# A given build folder comes with the console and portal its caller has just built.
if [[ -z "$build" || ! -f web/dist/index.html ]]; then
  scripts/build-web.sh
fi
if [[ -z "$build" ]]; then
  build=build/release
  # As in scripts/demo.sh: GCC 12 at -O3 warns about code that is fine, so only report warnings.
  scripts/build.sh "$build" -DCMAKE_BUILD_TYPE=Release -DANJU_BUILD_TESTS=OFF -DANJU_WERROR=OFF
fi
mkdir -p build/package
cpack --config "$build/CPackConfig.cmake" -B build/package -G DEB
ls build/package/*.deb
