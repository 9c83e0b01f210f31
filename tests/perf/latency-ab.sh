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
KAFKA_BENCH="$PWD/tests/AkkaStream.Kafka.Benchmarks/bin/Release/net10.0/AkkaStream.Kafka.Benchmarks.dll"
[ -f "$KAFKA_BENCH" ] || { echo "build this checkout first: dotnet build AkkaStream.sln -c Release" >&2; exit 1; }
for tree in "$TREE_A" "$TREE_B"; do
  [ -x "$tree/deploy/local-cluster.sh" ] || { echo "$tree is not an AkkaStream checkout" >&2; exit 1; }
done
source tests/perf/measure.sh
require_free_cluster_ports "$PORT_OFFSET"

SCRATCH="$(mktemp -d /tmp/akkastream-latency-ab-XXXXXX)"
BOOT="127.0.0.1:$((2552 + PORT_OFFSET))"
KAFKA_BOOT="127.0.0.1:$((9092 + PORT_OFFSET)),127.0.0.1:$((9093 + PORT_OFFSET)),127.0.0.1:$((9094 + PORT_OFFSET))"
# The cluster running now, the tree it runs from (none between builds), and its topics so far.
DIR=""
TREE=""
TOPIC=0

stop_cluster() {
  [ -n "$DIR" ] || return 0
  stop_local_cluster "$TREE/deploy/local-cluster.sh" "$DIR"
  DIR=""
}
trap 'stop_cluster; rm -rf "$SCRATCH"' EXIT

# A fresh RF=3 topic on the running cluster, named latency-$TOPIC.
new_topic() {
  TOPIC=$((TOPIC + 1))
  dotnet "$TREE/src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll" topics create --topic "latency-$TOPIC" --partitions 6 \
    --replication-factor 3 --config min.insync.replicas=2 --bootstrap "$BOOT" > /dev/null
}

# run_build LABEL TREE: one cluster from TREE, its runs, each run's p99 appended to $SCRATCH/LABEL-RATE.
run_build() {
  local label="$1" rate
  TREE="$2"
  DIR="$(mktemp -d "$SCRATCH/cluster-XXXXXX")"
  "$TREE/deploy/local-cluster.sh" --dir "$DIR" --port-offset "$PORT_OFFSET" start 3 > "$DIR/start.log" 2>&1 ||
    { cat "$DIR/start.log" >&2; exit 1; }
  BROKERS="$(cat "$DIR"/run/node-*.pid | paste -sd' ')"
  new_topic
  # A new cluster's first client can overrun its queue while every leader is still starting; only warmth is wanted here.
  dotnet "$KAFKA_BENCH" end-to-end --bootstrap "$KAFKA_BOOT" --topic "latency-$TOPIC" --acks all --linger-ms 1 \
    --rate 20000 --num-records 200000 --warmup-records 50000 > "$SCRATCH/warm-up.log" 2>&1 ||
    { echo "$label: the warm-up failed (measuring anyway):"; grep -v '^   at ' "$SCRATCH/warm-up.log" | tail -n 3 | sed 's/^/    /'; }
  for rate in "$LOW_RATE" "$HIGH_RATE" "$LOW_RATE" "$HIGH_RATE"; do
    new_topic
    # The latency is on the command's second line, which measure prints indented below its summary.
    measure "$label $rate/s" dotnet "$KAFKA_BENCH" end-to-end --bootstrap "$KAFKA_BOOT" --topic "latency-$TOPIC" --acks all --linger-ms 1 \
      --rate "$rate" --num-records $((rate * 24)) --warmup-records $((rate * 4)) | tee "$SCRATCH/run.txt"
    sed -n 's/.*latency over.* p99 \([0-9.]*\) ms.*/\1/p' "$SCRATCH/run.txt" >> "$SCRATCH/$label-$rate"
  done
  stop_cluster
}

LABEL_A="A $(git -C "$TREE_A" describe --always --dirty)"
LABEL_B="B $(git -C "$TREE_B" describe --always --dirty)"
echo "# A: $TREE_A, B: $TREE_B; $PAIRS pairs at $LOW_RATE and $HIGH_RATE records/s"
for pair in $(seq 1 "$PAIRS"); do
  run_build "$LABEL_A" "$TREE_A"
  run_build "$LABEL_B" "$TREE_B"
done
echo "# p99 (ms): range, median"
for label in "$LABEL_A" "$LABEL_B"; do
  for rate in "$LOW_RATE" "$HIGH_RATE"; do
    file="$SCRATCH/$label-$rate"
    echo "$label $rate/s | $(sort -g "$file" | sed -n '1p;$p' | paste -sd'-') | median $(median < "$file")"
  done
done
