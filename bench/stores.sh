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
# PostgreSQL comes with the test packages.
ANJU_TESTS=1 scripts/install-deps.sh
# Only the benchmark: it needs the store, not the server.
bench_build anju_event_store_bench
bench_data
bench_machine

bin=/usr/lib/postgresql/15/bin
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
  as_postgres=(runuser -u postgres --)
  chown postgres "$data"
fi
pg_port=$(bench_free_port)
"${as_postgres[@]}" "$bin/initdb" -D "$data/pg" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null
"${as_postgres[@]}" "$bin/pg_ctl" -D "$data/pg" -l "$data/pg.log" -w \
  -o "-p $pg_port -k $data -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
trap '"${as_postgres[@]}" "$bin/pg_ctl" -D "$data/pg" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$data"' EXIT
echo "postgresql: $("$bin/postgres" --version), shared_buffers 256MB, fsync on"

mkdir -p "$data/store"
ANJU_BENCH_DB="postgresql://postgres@127.0.0.1:$pg_port/postgres" \
  build/release/bench/anju_event_store_bench "$data/store" "$events" 20000
