#!/usr/bin/env bash
# The end-to-end latency runs the latency scripts share (latency-ab.sh, latency-vs-nats.sh). Source
# it after measure.sh; do not run it. The caller sets SCRATCH, PORT_OFFSET and RATES (records/s,
# space separated, each run once per cluster in that order) and builds this checkout first. Each
# run sends 24 s of records at its rate and leaves the first 4 s out; its p99 is appended to
# $SCRATCH/<label>-<rate>, or "failed" when the client gave up.

KAFKA_BENCH="$PWD/tests/AkkaStream.Kafka.Benchmarks/bin/Release/net10.0/AkkaStream.Kafka.Benchmarks.dll"
PEER_BENCH="$PWD/tests/AkkaStream.Peer.Benchmarks/bin/Release/net10.0/AkkaStream.Peer.Benchmarks.dll"
BOOT="127.0.0.1:$((2552 + PORT_OFFSET))"
KAFKA_BOOT="127.0.0.1:$((9092 + PORT_OFFSET)),127.0.0.1:$((9093 + PORT_OFFSET)),127.0.0.1:$((9094 + PORT_OFFSET))"
# The cluster running now, the tree it runs from (none between clusters), and its topics so far.
DIR=""
TREE=""
TOPIC=0

stop_cluster() {
  [ -n "$DIR" ] || return 0
  stop_local_cluster "$TREE/deploy/local-cluster.sh" "$DIR"
  DIR=""
}

# A fresh RF=3 topic on the running cluster, named latency-$TOPIC.
new_topic() {
  TOPIC=$((TOPIC + 1))
  dotnet "$TREE/src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll" topics create --topic "latency-$TOPIC" --partitions 6 \
    --replication-factor 3 --config min.insync.replicas=2 --bootstrap "$BOOT" > /dev/null
}

# require_built DLL...: exits unless each benchmark DLL has been built.
require_built() {
  local dll
  for dll in "$@"; do
    [ -f "$dll" ] || { echo "build this checkout first: dotnet build AkkaStream.sln -c Release" >&2; exit 1; }
  done
}

# warm_up LABEL COMMAND...: a run whose figures are not wanted; when it fails, its last lines are
# shown (without a stack trace) and the measuring goes on.
warm_up() {
  local label="$1"; shift
  "$@" > "$SCRATCH/warm-up.log" 2>&1 ||
    { echo "$label: the warm-up failed (measuring anyway):"; grep -v '^   at ' "$SCRATCH/warm-up.log" | tail -n 3 | sed 's/^/    /'; }
}

# record_p99 LABEL RATE COMMAND...: one measured run; its p99 (or "failed") appended to $SCRATCH/LABEL-RATE.
record_p99() {
  local label="$1" rate="$2"; shift 2
  # The latency is on the command's second line, which measure prints indented below its summary.
  if measure "$label $rate/s" "$@" > "$SCRATCH/run.txt"; then
    cat "$SCRATCH/run.txt"
    sed -n 's/.*latency over.* p99 \([0-9.]*\) ms.*/\1/p' "$SCRATCH/run.txt" >> "$SCRATCH/$label-$rate"
  else
    echo "failed" >> "$SCRATCH/$label-$rate"
  fi
}

# run_akkastream LABEL TREE: a fresh three-broker cluster from TREE (deploy/local-cluster.sh, in a
# scratch directory), a 200,000-record warm-up at 20,000 records/s, then Confluent.Kafka end to end
# (acks=all, linger.ms=1) on a fresh RF=3 topic (6 partitions, min.insync.replicas=2) per rate.
run_akkastream() {
  local label="$1" rate
  TREE="$2"
  DIR="$(mktemp -d "$SCRATCH/cluster-XXXXXX")"
  "$TREE/deploy/local-cluster.sh" --dir "$DIR" --port-offset "$PORT_OFFSET" start 3 > "$DIR/start.log" 2>&1 ||
    { cat "$DIR/start.log" >&2; exit 1; }
  BROKERS="$(cat "$DIR"/run/node-*.pid | paste -sd' ')"
  new_topic
  # A new cluster's first client can overrun its queue while every leader is still starting; only warmth is wanted here.
  warm_up "$label" dotnet "$KAFKA_BENCH" end-to-end --bootstrap "$KAFKA_BOOT" --topic "latency-$TOPIC" --acks all --linger-ms 1 \
    --rate 20000 --num-records 200000 --warmup-records 50000
  for rate in $RATES; do
    new_topic
    record_p99 "$label" "$rate" dotnet "$KAFKA_BENCH" end-to-end --bootstrap "$KAFKA_BOOT" --topic "latency-$TOPIC" --acks all \
      --linger-ms 1 --rate "$rate" --num-records $((rate * 24)) --warmup-records $((rate * 4))
  done
  stop_cluster
}

# print_p99_summary LABEL...: per label and rate, the p99s' range and median (ms), and how many runs failed.
print_p99_summary() {
  local label rate file
  echo "# p99 (ms): range, median"
  for label in "$@"; do
    for rate in $RATES; do
      file="$SCRATCH/$label-$rate"
      echo "$label $rate/s | $(grep -v failed "$file" | sort -g | sed -n '1p;$p' | paste -sd'-') |" \
        "median $(grep -v failed "$file" | median) | failed $(grep -c failed "$file")"
    done
  done
}
