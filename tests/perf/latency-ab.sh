#!/usr/bin/env bash
# End-to-end latency of two builds compared (docs/BENCHMARKS.md, "One fetch session actor per
# follower broker"). For each of PAIRS rounds, a fresh three-broker cluster from each tree in turn
# (A, then B; deploy/local-cluster.sh of that tree, in a scratch directory), each with fresh RF=3
# topics (6 partitions, min.insync.replicas=2), a 200,000-record warm-up at 20,000 records/s, then
# Confluent.Kafka end to end (acks=all, linger.ms=1; this checkout's AkkaStream.Kafka.Benchmarks,
# the same client for both) at LOW_RATE and HIGH_RATE records/s, twice each: 24 s of records per
# run, the first 4 s left out. Prints every run (with the brokers' CPU and the load) and, per build
# and rate, the p99s' range and median. The builds alternate so that the machine's drift falls on
# both; the spread between one build's runs is the noise a difference has to clear.
#
# Usage: tests/perf/latency-ab.sh TREE_A TREE_B     (each a checkout built with dotnet build -c Release)
#   (PAIRS=2 LOW_RATE=500 HIGH_RATE=50000 PORT_OFFSET=3400)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -ne 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
TREE_A="$(cd "$1" && pwd)"
TREE_B="$(cd "$2" && pwd)"
PAIRS="${PAIRS:-2}"
LOW_RATE="${LOW_RATE:-500}"
HIGH_RATE="${HIGH_RATE:-50000}"
PORT_OFFSET="${PORT_OFFSET:-3400}"
RATES="$LOW_RATE $HIGH_RATE $LOW_RATE $HIGH_RATE"
for tree in "$TREE_A" "$TREE_B"; do
  [ -x "$tree/deploy/local-cluster.sh" ] || { echo "$tree is not an AkkaStream checkout" >&2; exit 1; }
done
source tests/perf/measure.sh
source tests/perf/latency-runs.sh
require_built "$KAFKA_BENCH"
require_free_cluster_ports "$PORT_OFFSET"

SCRATCH="$(mktemp -d /tmp/akkastream-latency-ab-XXXXXX)"
trap 'stop_cluster; rm -rf "$SCRATCH"' EXIT

LABEL_A="A $(git -C "$TREE_A" describe --always --dirty)"
LABEL_B="B $(git -C "$TREE_B" describe --always --dirty)"
echo "# A: $TREE_A, B: $TREE_B; $PAIRS pairs at $LOW_RATE and $HIGH_RATE records/s"
for pair in $(seq 1 "$PAIRS"); do
  run_akkastream "$LABEL_A" "$TREE_A"
  run_akkastream "$LABEL_B" "$TREE_B"
done
RATES="$LOW_RATE $HIGH_RATE"
print_p99_summary "$LABEL_A" "$LABEL_B"
