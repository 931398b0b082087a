#!/usr/bin/env bash
# Installs the Debian packages Anju builds and tests with (ANJU_TESTS=1: also what only the tests
# need). Idempotent: quiet when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-system-dev nlohmann-json3-dev libsqlite3-dev libsodium-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libsimdjson-dev libmosquitto-dev mosquitto zlib1g-dev libpqxx-dev
  libgtest-dev libbenchmark-dev libopenblas-dev libopencv-dnn-dev libopencv-imgcodecs-dev
  clang-format clang-tidy ccache
)
if [[ "${ANJU_BENCH:-}" == "1" ]]; then
  packages+=(wrk sqlite3)
fi
# The console and portal are built with Node; a Node already on PATH (newer than Debian's) is kept.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
# The browser tests drive Debian's Chromium (no browser is ever downloaded), with a small CJK
# font so that their screenshots show the Chinese; the storage tests start their own PostgreSQL.
if [[ "${ANJU_TESTS:-}" == "1" ]]; then
  packages+=(chromium fonts-wqy-microhei curl postgresql)
fi
# The sanitised test build is clang's, and scripts/fuzz.sh's libFuzzer comes with clang's runtime.
if [[ "${ANJU_FUZZ:-}" == "1" ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
