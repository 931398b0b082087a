#!/usr/bin/env bash
# Two nodes against one on the same PostgreSQL database: GET /api/v1/persons/{id} (token check,
# row read, audit record) under wrk, first all on one node, then split over two nodes at once,
# with GET /healthz of one node as the baseline in the same run. Both nodes and PostgreSQL share
# this machine's cores, so the figure shows what a second node costs or brings here, not what a
# second machine would.
#   bench/nodes.sh [--persons N] [--seconds S] [--connections C]
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
bench_build anju
bench_data
bench_machine
bench_postgres
mkdir -p "$data/node1" "$data/node2"
"$anju" demo --data "$data/node1" --db "$pg_url" --persons "$persons" --generate-only >/dev/null 2>&1
# Each node serves from a data folder of its own on the shared database.
bench_serve "$data/node1" --db "$pg_url"
ports=("$port")
token=$(bench_token)
echo "district: $persons persons; $connections connections in all; ${seconds}s per run"

wrk_on() {
  ANJU_TOKEN=$token ANJU_MAX_ID=$persons wrk -t1 -c"$2" -d"${seconds}s" --latency \
    -s bench/read_api.lua "http://127.0.0.1:$1" 2>&1
}
healthz=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:${ports[0]}/healthz" 2>&1)
one=$(wrk_on "${ports[0]}" "$connections")
bench_serve "$data/node2" --db "$pg_url"
ports+=("$port")
half=$((connections / 2))
wrk_on "${ports[0]}" "$half" >"$data/first.out" &
first=$!
second_out=$(wrk_on "${ports[1]}" "$half")
wait "$first"
first_out=$(cat "$data/first.out")
for out in "$one" "$first_out" "$second_out"; do grep -E 'non-2xx' <<<"$out" || true; done

printf '%-40s %12s %10s\n' "" "requests/s" "p99"
printf '%-40s %12s %10s\n' "GET /healthz, one node (baseline)" "$(rate_of "$healthz")" "$(p99_of "$healthz")"
printf '%-40s %12s %10s\n' "GET /api/v1/persons/{id}, one node" "$(rate_of "$one")" "$(p99_of "$one")"
printf '%-40s %12s %10s\n' "  the same split over two nodes: node 1" "$(rate_of "$first_out")" "$(p99_of "$first_out")"
printf '%-40s %12s %10s\n' "                                 node 2" "$(rate_of "$second_out")" "$(p99_of "$second_out")"
awk -v a="$(rate_of "$first_out")" -v b="$(rate_of "$second_out")" -v o="$(rate_of "$one")" \
  'BEGIN {printf "two nodes together: %.0f requests/s, %.0f%% of one node\n", a + b, 100 * (a + b) / o}'
