#!/usr/bin/env bash
# The event store on SQLite and on PostgreSQL in one run (bench/event_store_bench.cc): the same
# rows, 20,000 per commit, synced at every commit on both (SQLite synchronous=FULL, PostgreSQL
# synchronous_commit on and fsync on), then trajectory queries, beside a naive indexed SQLite table
# and a plain append. PostgreSQL is Debian's 15, started here on a free loopback port in a
# temporary folder and removed afterwards.
#   bench/stores.sh [EVENTS]          (default 2,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."

events=${1:-2000000}
source bench/lib.sh
# Only the benchmark: it needs the store, not the server.
bench_build anju_event_store_bench
bench_data
bench_machine
bench_postgres

mkdir -p "$data/store"
ANJU_BENCH_DB="$pg_url" \
  build/release/bench/anju_event_store_bench "$data/store" "$events" 20000
