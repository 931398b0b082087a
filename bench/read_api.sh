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

source bench/lib.sh
bench_build
bench_data
"$anju" demo --data "$data" --persons "$persons" --generate-only >/dev/null 2>&1
bench_serve
token=$(bench_token)

run() {
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" 2>&1
}

bench_machine
echo "district: $persons persons; $connections connections; ${seconds}s per run"
healthz=$(run "http://127.0.0.1:$port/healthz")
persons_out=$(ANJU_TOKEN=$token ANJU_MAX_ID=$persons run -s bench/read_api.lua "http://127.0.0.1:$port")
echo "$persons_out" | grep -E 'non-2xx' || true
printf '%-28s %12s %10s\n' "endpoint" "requests/s" "p99"
printf '%-28s %12s %10s\n' "GET /healthz (baseline)" "$(rate_of "$healthz")" "$(p99_of "$healthz")"
printf '%-28s %12s %10s\n' "GET /api/v1/persons/{id}" "$(rate_of "$persons_out")" "$(p99_of "$persons_out")"
awk -v a="$(rate_of "$persons_out")" -v b="$(rate_of "$healthz")" 'BEGIN {printf "persons/healthz: %.0f%%\n", 100 * a / b}'
