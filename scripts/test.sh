#!/usr/bin/env bash
# Installs what is missing, builds Anju twice (plain, and with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs every test under both; then builds the console and the
# portal and runs their unit tests and their browser tests against the plain build, and runs each
# fuzz target for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

ANJU_TESTS=1 scripts/install-deps.sh
jobs=$(nproc)

echo "== format: clang-format with the repository's .clang-format"
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

echo "== build: plain (warnings are errors)"
scripts/build.sh build/test -DCMAKE_BUILD_TYPE=Debug -DANJU_WERROR=ON
echo "== tests: plain"
ctest --test-dir build/test -j "$jobs" --output-on-failure

scripts/build-web.sh
echo "== tests: web unit (vitest)"
npm --prefix web test
echo "== tests: web in Chromium (playwright-core, node --test)"
ANJU_BINARY=build/test/src/app/anju npm --prefix web run e2e

echo "== fuzz: each libFuzzer target briefly, from its corpus (clang, ASan, UBSan)"
scripts/fuzz.sh "${ANJU_FUZZ_SECONDS:-10}"

echo "== build: address + undefined sanitizers"
scripts/build.sh build/asan -DCMAKE_BUILD_TYPE=Debug -DANJU_WERROR=ON -DANJU_SANITIZE=ON
echo "== tests: address + undefined sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan -j "$jobs" --output-on-failure
