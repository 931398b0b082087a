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
servers=()

# Node N serves from a data folder of its own on the shared database: sets ports[N].
ports=()
node() {
  mkdir -p "$data/node$1"
  local p
  p=$(bench_free_port)
  ANJU_LOG_LEVEL=warn "$anju" serve --data "$data/node$1" --db "$pg_url" --listen "127.0.0.1:$p" >/dev/null &
  servers+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break
    sleep 0.1
  done
  ports[$1]=$p
}

mkdir -p "$data/node1"
"$anju" demo --data "$data/node1" --db "$pg_url" --persons "$persons" --generate-only >/dev/null 2>&1
node 1
port=${ports[1]}
token=$(bench_token)
echo "district: $persons persons; $connections connections in all; ${seconds}s per run"

wrk_on() {
  ANJU_TOKEN=$token ANJU_MAX_ID=$persons wrk -t1 -c"$2" -d"${seconds}s" --latency \
    -s bench/read_api.lua "http://127.0.0.1:$1" 2>&1
}
healthz=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:${ports[1]}/healthz" 2>&1)
one=$(wrk_on "${ports[1]}" "$connections")
node 2
half=$((connections / 2))
wrk_on "${ports[1]}" "$half" >"$data/first.out" &
first=$!
second_out=$(wrk_on "${ports[2]}" "$half")
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
