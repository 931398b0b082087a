#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UBSan) and runs each for SECONDS
# (default 20) from its corpus in fuzz/corpus/, after replaying every input kept there (the seeds
# and each input that once crashed). New interesting inputs go to BUILD/new/, not into the
# repository; a crash leaves its input in BUILD/ and fails the script. BUILD is build/fuzz, made
# here, unless a build folder configured with -DANJU_FUZZ=ON is given (scripts/test.sh gives its
# own, which builds the targets beside the tests).
#   scripts/fuzz.sh [SECONDS [BUILD]]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-20}
build=${2:-}
targets=(event_decoder request_target csv_import)

options=()
if [[ -z "$build" ]]; then
  build=build/fuzz
  ANJU_FUZZ=1 scripts/install-deps.sh
  options=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ -DANJU_FUZZ=ON
           -DANJU_BUILD_TESTS=OFF -DANJU_WERROR=ON)
fi
# Only the targets and the libraries they link: the rest of Anju is built and tested elsewhere.
scripts/build.sh "$build" "${options[@]}" -- "${targets[@]/#/fuzz_}" >/dev/null

for target in "${targets[@]}"; do
  echo "== fuzz: $target for ${seconds} s"
  mkdir -p "$build/new/$target"
  (cd "$build" && "./fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix=./ "new/$target" "$root/fuzz/corpus/$target" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::new_units_added|==[0-9]+==ERROR|SUMMARY)" || true)
  if ls "$build"/crash-* "$build"/leak-* "$build"/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found a failing input (kept in $build/)" >&2
    exit 1
  fi
done
