#!/usr/bin/env bash
# Soak: `anju simulate` sends signed event batches at a steady rate (10,000 events/s) for an hour
# to a release server on the demo district, and the server's own memory is sampled every minute.
# What it shows: the rate held, and whether memory grows after warm-up (the sample at --warmup
# minutes against the last). The face index keeps every capture in memory by design, so memory is
# shown with and without the bytes the index reports; --no-faces takes the district's face
# cameras and cameras out (both send captures), and their share goes to the other kinds.
#   bench/soak.sh [--rate R] [--minutes M] [--warmup W] [--no-faces]
set -euo pipefail
cd "$(dirname "$0")/.."

rate=10000
minutes=60
warmup=10
faces=1
while (($#)); do
  case $1 in
    --rate) rate=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --no-faces) faces=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
bench_build anju
bench_data
bench_machine
"$anju" demo --data "$data" --generate-only >/dev/null 2>&1
if ((!faces)); then
  sqlite3 "$data/anju.db" "DELETE FROM devices WHERE kind IN ('face_camera', 'camera')"
fi
sqlite3 -csv "$data/anju.db" "SELECT id, secret FROM devices" >"$data/secrets.csv"
bench_serve
token=$(bench_token)
# Every minute: RssAnon, the server's own memory in KiB (the event store's mapped pages are
# RssFile, the kernel's to reclaim), and the bytes the face index reports holding.
(while kill -0 "$server" 2>/dev/null; do
  echo "$(awk '/RssAnon/ {print $2}' "/proc/$server/status") $(curl -sf -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/api/v1/faces/index" | sed 's/.*"memory_bytes":\([0-9]*\).*/\1/')"
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
echo "  of which the face index, MiB:           $(awk '{printf "%d ", $2 / 1048576}' "$data/rss.log")"
echo "  the rest, MiB:                          $(awk '{printf "%d ", ($1 * 1024 - $2) / 1048576}' "$data/rss.log")"
awk -v w="$warmup" 'NR == w + 1 {a = $1 * 1024; ai = $2} {z = $1 * 1024; zi = $2} END {
  if (a) printf "after warm-up (minute %d to the end): %+.1f MiB in all, %+.1f MiB besides the face index\n", w, (z - a) / 1048576, (z - zi - a + ai) / 1048576
}' "$data/rss.log"
echo "stored events: $(for t in $(sqlite3 "$data/events.db" "SELECT name FROM event_partitions"); do
  sqlite3 "$data/events.db" "SELECT count(*) FROM $t"; done | awk '{s += $1} END {print s}')"
