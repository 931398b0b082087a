#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (AddressSanitizer, UBSan) and runs each for SECONDS
# (default 20) from its corpus in fuzz/corpus/, after replaying every input kept there (the seeds
# and each input that once crashed). New interesting inputs go to build/fuzz/new/, not into the
# repository; a crash leaves its input in build/fuzz/ and fails the script.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}

ANJU_FUZZ=1 scripts/install-deps.sh

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build/fuzz -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER=clang++ -DANJU_FUZZ=ON -DANJU_BUILD_TESTS=OFF -DANJU_WERROR=ON >/dev/null
targets=(event_decoder request_target csv_import)
# Only the targets and the libraries they link: the rest of Anju is built and tested elsewhere.
ninja -C build/fuzz "${targets[@]/#/fuzz_}" >/dev/null

for target in "${targets[@]}"; do
  echo "== fuzz: $target for ${seconds} s"
  mkdir -p "build/fuzz/new/$target"
  (cd build/fuzz && "./fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix=./ "new/$target" "../../fuzz/corpus/$target" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::new_units_added|==[0-9]+==ERROR|SUMMARY)" || true)
  if ls build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found a failing input (kept in build/fuzz/)" >&2
    exit 1
  fi
done
