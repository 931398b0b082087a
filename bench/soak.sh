#!/usr/bin/env bash
# Soak: `anju simulate` sends signed event batches at a steady rate (10,000 events/s) for an hour
# to a release server on the demo district, and the server's own memory is sampled every minute.
# What it shows: the rate held, every event acknowledged, and no growth of memory after warm-up
# (the sample at --warmup minutes against the last).
#   bench/soak.sh [--rate R] [--minutes M] [--warmup W]
set -euo pipefail
cd "$(dirname "$0")/.."

rate=10000
minutes=60
warmup=10
while (($#)); do
  case $1 in
    --rate) rate=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
bench_build anju
bench_data
bench_machine
"$anju" demo --data "$data" --generate-only >/dev/null 2>&1
sqlite3 -csv "$data/anju.db" "SELECT id, secret FROM devices" >"$data/secrets.csv"
bench_serve
# RssAnon: the server's own memory, in KiB (the event store's mapped pages are RssFile, the
# kernel's to reclaim).
(while kill -0 "$server" 2>/dev/null; do
  awk '/RssAnon/ {print $2}' "/proc/$server/status"
  sleep 60
done) >"$data/rss.log" 2>/dev/null &
sampler=$!
echo "soak: $rate events/s for $minutes minutes"
ANJU_PASSWORD=$ANJU_ADMIN_PASSWORD "$anju" simulate --target "http://127.0.0.1:$port" \
  --estates 12 --rate "$rate" --duration $((minutes * 60)) --secrets "$data/secrets.csv" \
  --batch 500 --connections 4 --seed 1 2>"$data/sim.log" | tail -1
kill "$sampler" 2>/dev/null || true
echo "events/s, every 5 s: min $(grep -o '[0-9.]* events/s' "$data/sim.log" | awk 'NR == 1 || $1 < m {m = $1} END {printf "%d", m}'), max $(grep -o '[0-9.]* events/s' "$data/sim.log" | awk '$1 > m {m = $1} END {printf "%d", m}')"
echo "server memory (RssAnon) every minute, MiB: $(awk '{printf "%d ", $1 / 1024}' "$data/rss.log")"
awk -v w="$warmup" 'NR == w + 1 {a = $1} {z = $1} END {
  if (a) printf "after warm-up (minute %d to the end): %+.1f MiB (%+.1f%%)\n", w, (z - a) / 1024, 100 * (z - a) / a
}' "$data/rss.log"
echo "stored events: $(for t in $(sqlite3 "$data/events.db" "SELECT name FROM event_partitions"); do
  sqlite3 "$data/events.db" "SELECT count(*) FROM $t"; done | awk '{s += $1} END {print s}')"
