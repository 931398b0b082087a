#!/usr/bin/env bash
# Read-API benchmark on loopback: GET /api/v1/persons/{id} (token check, row read, audit record)
# against GET /healthz as the baseline in the same run, with wrk, 64 connections.
#   bench/read_api.sh [--persons N] [--seconds S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/.."

persons=20000
seconds=15
connections=64
while (($#)); do
  case $1 in
    --persons) persons=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ANJU_BENCH=1 scripts/install-deps.sh
# Warnings are errors in the test builds; GCC 12 at -O3 also warns about code that is fine
# (-Wrestrict, -Wmaybe-uninitialized inside libstdc++), so an optimised build only reports them.
scripts/build.sh build/release -DCMAKE_BUILD_TYPE=Release -DANJU_BUILD_TESTS=OFF -DANJU_WERROR=OFF
anju=build/release/src/app/anju

data=$(mktemp -d /tmp/anju-bench-XXXXXX)
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
export ANJU_ADMIN_PASSWORD=bench-admin-password
"$anju" demo --data "$data" --persons "$persons" --generate-only >/dev/null 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ANJU_LOG_LEVEL=warn "$anju" serve --data "$data" --listen "127.0.0.1:$port" >/dev/null &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
  -d "{\"username\":\"admin\",\"password\":\"$ANJU_ADMIN_PASSWORD\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')

run() {
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" 2>&1
}
rate() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
p99() { awk '$1 == "99%" {print $2}' <<<"$1"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "district: $persons persons; $connections connections; ${seconds}s per run"
healthz=$(run "http://127.0.0.1:$port/healthz")
persons_out=$(ANJU_TOKEN=$token ANJU_MAX_ID=$persons run -s bench/read_api.lua "http://127.0.0.1:$port")
echo "$persons_out" | grep -E 'non-2xx' || true
printf '%-28s %12s %10s\n' "endpoint" "requests/s" "p99"
printf '%-28s %12s %10s\n' "GET /healthz (baseline)" "$(rate "$healthz")" "$(p99 "$healthz")"
printf '%-28s %12s %10s\n' "GET /api/v1/persons/{id}" "$(rate "$persons_out")" "$(p99 "$persons_out")"
awk -v a="$(rate "$persons_out")" -v b="$(rate "$healthz")" 'BEGIN {printf "persons/healthz: %.0f%%\n", 100 * a / b}'
