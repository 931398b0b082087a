#!/usr/bin/env bash
# Installs what is missing; builds Anju once, with warnings as errors, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every C++ test under them; builds the console and the portal
# and runs their unit tests and their browser tests against that same build; checks the Debian
# package made from it; and runs each fuzz target for a few seconds.
#
# One build serves every step: a second, unsanitised build would double the time and find nothing
# the sanitised one misses (the sanitisers only add checks). It is clang's, which compiles it in
# half the time g++ takes; the demo, the package and the benchmarks are g++ release builds.
set -euo pipefail
cd "$(dirname "$0")/.."

ANJU_TESTS=1 ANJU_FUZZ=1 scripts/install-deps.sh
jobs=$(nproc)
build=build/asan

echo "== format: clang-format with the repository's .clang-format"
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

echo "== build: warnings are errors, address + undefined sanitizers, the fuzz targets beside the tests"
scripts/build.sh "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DANJU_WERROR=ON \
  -DANJU_SANITIZE=ON -DANJU_FUZZ=ON -DANJU_TEST_SHARDS=8
echo "== tests: C++ (GoogleTest under ctest, each binary in 8 shards), under the sanitizers"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
ctest --test-dir "$build" -j "$jobs" --output-on-failure

scripts/build-web.sh
echo "== tests: web unit (vitest)"
npm --prefix web test
echo "== tests: web in Chromium (playwright-core, node --test), against the sanitised server"
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 ANJU_BINARY="$build/src/app/anju" npm --prefix web run e2e

echo "== package: the Debian package, unpacked and started"
rm -rf build/package
scripts/package.sh "$build"
scripts/check-package.sh build/package/*.deb

echo "== fuzz: each libFuzzer target briefly, from its corpus (clang, ASan, UBSan)"
scripts/fuzz.sh "${ANJU_FUZZ_SECONDS:-10}" "$build"
