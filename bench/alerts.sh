#!/usr/bin/env bash
# Alerting under load: a 300,000-entry watchlist imported from CSV, 100,000 watched faces and
# 1,000 watched plates, then 10,000 events/s with hits, each hit's alert timed from sending its
# batch to its arrival on the live stream, beside the batches' acknowledgement time.
#   bench/alerts.sh [--faces N] [--import N] [--rate N] [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

bench_build
cmake --build build/release --target anju_alerts_bench >/dev/null
bench_data
bench_machine
bench_serve
build/release/bench/anju_alerts_bench --port "$port" --password "$ANJU_ADMIN_PASSWORD" "$@"
echo "server resident memory at the end: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
