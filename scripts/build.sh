#!/usr/bin/env bash
# Configures and builds one configuration, whole or only the targets named after `--`:
#   scripts/build.sh DIR [cmake options...] [-- TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
options=()
targets=()
while (($#)); do
  if [[ "$1" == "--" ]]; then
    shift
    targets=("$@")
    break
  fi
  options+=("$1")
  shift
done
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "${options[@]}" >/dev/null
ninja -C "$dir" "${targets[@]}"
