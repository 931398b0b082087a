#!/usr/bin/env bash
# Device benchmarks on loopback against a release server on the demo district:
#  1. the store alone: our per-day tables vs one naive indexed table vs a plain append, same rows
#     (bench/event_store_bench.cc), with trajectory query times beside the bare indexed SQL;
#  2. ingestion over HTTP: `anju simulate` sends signed NDJSON batches until the store holds
#     --events events spread over 30 simulated days, with the server's memory sampled;
#  3. GET /api/v1/trajectory and POST /api/v1/access/verify under wrk on that full store.
#   bench/devices.sh [--events N] [--rate R] [--seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."

events=10000000
rate=150000
seconds=20
while (($#)); do
  case $1 in
    --events) events=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
bench_build
bench_data
bench_machine

echo "== 1. the store alone, $events rows"
build/release/bench/anju_event_store_bench "$data/store" "$events" 20000
rm -rf "$data/store"

echo "== 2. ingestion over HTTP"
"$anju" demo --data "$data" --generate-only >/dev/null 2>&1
sqlite3 -csv "$data/anju.db" "SELECT id, secret FROM devices" >"$data/secrets.csv"
bench_serve
(while kill -0 "$server" 2>/dev/null; do
  awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END {print a, f}' "/proc/$server/status"
  sleep 5
done) >"$data/rss.log" 2>/dev/null &
sampler=$!
# The simulator sends for `duration` seconds, up to --rate events/s and as fast as the server
# takes them: at 100,000 events/s or more the store ends with at least --events, spread over at
# most 30 simulated days ending now.
duration=$((events / 100000 + 1))
speed=$((30 * 86400 / duration))
start=$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)
ANJU_PASSWORD=$ANJU_ADMIN_PASSWORD "$anju" simulate --target "http://127.0.0.1:$port" \
  --estates 12 --rate "$rate" --duration "$duration" --secrets "$data/secrets.csv" \
  --start "$start" --speed "$speed" --batch 1000 --connections 8 --seed 1 2>"$data/sim.log" | tail -1
echo "events/s every 5 s as the store grew: $(grep -o '[0-9.]* events/s' "$data/sim.log" | awk '{printf "%d ", $1}')"
kill "$sampler" 2>/dev/null || true
# RssAnon is the server's own memory; RssFile is the event store's pages mapped from the page
# cache (the store is read through mmap), which the kernel reclaims under pressure.
echo "server memory every 5 s, MiB anonymous/file-mapped: $(awk '{printf "%d/%d ", $1/1024, $2/1024}' "$data/rss.log")"
echo "stored events: $(for t in $(sqlite3 "$data/events.db" "SELECT name FROM event_partitions"); do
  sqlite3 "$data/events.db" "SELECT count(*) FROM $t"; done | awk '{s += $1} END {print s}')"

echo "== 3. queries on the full store (wrk, 4 connections and 1, ${seconds}s)"
# Ingestion leaves gigabytes of written pages for the kernel to flush; the queries are measured
# on the store at rest, not against that flush.
sync
token=$(bench_token)
persons=$(sqlite3 "$data/anju.db" "SELECT max(id) FROM persons")
sqlite3 -csv "$data/anju.db" "SELECT d.id, c.value FROM credentials c JOIN persons p ON p.id = \
  c.person_id JOIN devices d ON d.estate_id = p.estate_id AND d.kind = 'door' WHERE c.type = \
  'card' LIMIT 2000" >"$data/cards.csv"
run() { wrk -t1 -c4 -d"${seconds}s" --latency "$@" 2>&1; }
healthz=$(run "http://127.0.0.1:$port/healthz")
trajectory=$(ANJU_TOKEN=$token ANJU_MAX_ID=$persons run -s bench/trajectory.lua "http://127.0.0.1:$port")
# One connection: each request's own latency, as the in-process figures of part 1 measure it.
trajectory_one=$(ANJU_TOKEN=$token ANJU_MAX_ID=$persons wrk -t1 -c1 -d"${seconds}s" --latency \
  -s bench/trajectory.lua "http://127.0.0.1:$port" 2>&1)
verify=$(ANJU_TOKEN=$token ANJU_CARDS=$data/cards.csv run -s bench/verify.lua "http://127.0.0.1:$port")
# The same at about 1,000 requests/s: three connections, each waiting 2 ms between requests.
verify_paced=$(ANJU_TOKEN=$token ANJU_CARDS=$data/cards.csv ANJU_DELAY_MS=2 \
  wrk -t1 -c3 -d"${seconds}s" --latency -s bench/verify.lua "http://127.0.0.1:$port" 2>&1)
for out in "$trajectory" "$verify"; do grep -E 'non-2xx' <<<"$out" || true; done
printf '%-34s %12s %10s\n' "endpoint" "requests/s" "p99"
printf '%-34s %12s %10s\n' "GET /healthz (baseline)" "$(rate_of "$healthz")" "$(p99_of "$healthz")"
printf '%-34s %12s %10s\n' "GET /api/v1/trajectory" "$(rate_of "$trajectory")" "$(p99_of "$trajectory")"
printf '%-34s %12s %10s\n' "GET /api/v1/trajectory, 1 conn." "$(rate_of "$trajectory_one")" "$(p99_of "$trajectory_one")"
printf '%-34s %12s %10s\n' "POST /api/v1/access/verify" "$(rate_of "$verify")" "$(p99_of "$verify")"
printf '%-34s %12s %10s\n' "POST /api/v1/access/verify, paced" "$(rate_of "$verify_paced")" "$(p99_of "$verify_paced")"
