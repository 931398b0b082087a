#!/usr/bin/env bash
# Face index benchmarks (bench/faces_bench.cc) on synthetic captures: identities with several
# noisy captures each, 512 floats, over 10 days and 60 estates. Measures the quantiser's training,
# sustained indexing, recall@10 and latency against the exact float search in the same run
# (noisy-copy and random queries), the index's resident memory, and a 100,000-face watchlist.
#   bench/faces.sh [--identities N] [--captures C] [--queries Q] [--nlist L] [--nprobe P]
#                  [--watchlist W]     (--nprobe takes a comma-separated list to compare)
set -euo pipefail
cd "$(dirname "$0")/.."

identities=100000
captures=10
queries=200
nlist=1024
nprobe=128,192,256
watchlist=100000
while (($#)); do
  case $1 in
    --identities) identities=$2; shift 2 ;;
    --captures) captures=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --nlist) nlist=$2; shift 2 ;;
    --nprobe) nprobe=$2; shift 2 ;;
    --watchlist) watchlist=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source bench/lib.sh
bench_build anju_faces_bench
bench_machine
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
build/release/bench/anju_faces_bench "$identities" "$captures" "$queries" "$nlist" "$nprobe" \
  "$watchlist"
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
