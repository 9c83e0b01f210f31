#!/usr/bin/env bash
# The replication benchmark (docs/BENCHMARKS.md, "Replication"): three brokers on 127.0.0.1 from
# deploy/local-cluster.sh in a scratch directory with its own port offset; 6-partition topics with
# RF=1 and with RF=3 (min.insync.replicas=2); `akkastream perf produce` of RECORDS keyless 100-byte
# records with acks=1 and acks=all on each, REPEATS times (a fresh topic per run, the four cases
# interleaved so that load from elsewhere falls on all of them), the medians and the ratios
# RF=3 / RF=1; then `perf end-to-end` (send -> receipt in one process) at a fixed RATE records/s
# on RF=3 acks=all and RF=1 acks=1. Every run prints the client's CPU (/usr/bin/time), the three
# brokers' CPU (/proc/<pid>/stat, before and after) and the load average. The brokers are stopped
# by PID at the end, also when the script fails. Output is plain text on stdout.
#
# Usage: tests/perf/replication-perf.sh
#   (REPEATS=0 skips the throughput runs; RECORDS=1000000 REPEATS=3 RATE=50000 E2E_RECORDS=1000000 PORT_OFFSET=3400
#    PRODUCE_ARGS="" E2E_ARGS="--warmup-records 100000" KAFKA_E2E=1 KAFKA_LINGER_MS=1)
set -euo pipefail
cd "$(dirname "$0")/../.."

RECORDS="${RECORDS:-1000000}"
REPEATS="${REPEATS:-3}"
RATE="${RATE:-50000}"
E2E_RECORDS="${E2E_RECORDS:-1000000}"
PORT_OFFSET="${PORT_OFFSET:-3400}"
PRODUCE_ARGS="${PRODUCE_ARGS:-}"
# The first 100,000 end-to-end records (2 s at 50,000/s) are sent and received but not counted: a
# new client's first second connects to every leader and compiles its code paths, and that
# stall is a large part of a whole run's p99 (docs/BENCHMARKS.md). Set E2E_ARGS="" to count
# every record.
E2E_ARGS="${E2E_ARGS---warmup-records 100000}"
# The same end-to-end runs with Confluent.Kafka through the brokers' Kafka listeners
# (tests/AkkaStream.Kafka.Benchmarks), at KAFKA_LINGER_MS (librdkafka's timers are not bound to
# Akka's 10 ms scheduler tick, which the actor client's linger is).
KAFKA_E2E="${KAFKA_E2E:-1}"
KAFKA_LINGER_MS="${KAFKA_LINGER_MS:-1}"
DLL="src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll"
KAFKA_BENCH="tests/AkkaStream.Kafka.Benchmarks/bin/Release/net10.0/AkkaStream.Kafka.Benchmarks.dll"
CLUSTER="deploy/local-cluster.sh"
source tests/perf/measure.sh

# The node files' Akka ports (2552..2554) shifted by the offset.
for i in 1 2 3; do
  port=$((2551 + i + PORT_OFFSET))
  port_is_free "$port" || { echo "port $port is in use; set PORT_OFFSET to another value" >&2; exit 1; }
done

DIR="$(mktemp -d /tmp/akkastream-replication-XXXXXX)"
SCRATCH="$DIR"
BOOT="127.0.0.1:$((2552 + PORT_OFFSET))"

trap 'stop_local_cluster "$CLUSTER" "$DIR"' EXIT

"$CLUSTER" --dir "$DIR" --port-offset "$PORT_OFFSET" start 3 > "$DIR/start.log" 2>&1 || { cat "$DIR/start.log"; exit 1; }
BROKERS="$(cat "$DIR"/run/node-*.pid | tr '\n' ' ')"

cli() { dotnet "$DLL" "$@" --bootstrap "$BOOT"; }

# run_perf LABEL SUBCOMMAND ARGS...: one `akkastream perf` run, measured (tests/perf/measure.sh).
run_perf() { local label="$1"; shift; measure "$label" dotnet "$DLL" perf "$@" --bootstrap "$BOOT"; }

# create TOPIC RF [--config k=v ...]
create() {
  local topic=$1 rf=$2
  shift 2
  if [ "$rf" = 1 ]; then
    cli topics create --topic "$topic" --partitions 6 --replication-factor 1 "$@" > /dev/null
  else
    cli topics create --topic "$topic" --partitions 6 --replication-factor 3 --config min.insync.replicas=2 "$@" > /dev/null
  fi
}

echo "# $(date -u +%FT%TZ) 3 brokers on $BOOT.. (pids $BROKERS), $RECORDS records of 100 B per run, 6 partitions, $(nproc) cores"
echo "# uptime: $(uptime)"
create warmup 3
run_perf "warm-up produce RF=3 acks=all (200k)" produce --topic warmup --num-records 200000 --record-size 100 --acks all $PRODUCE_ARGS

if [ "$REPEATS" -gt 0 ]; then
  for r in $(seq 1 "$REPEATS"); do
    for rf in 1 3; do
      for acks in 1 all; do
        topic="rf$rf-acks$acks-$r"
        create "$topic" "$rf"
        run_perf "produce RF=$rf acks=$acks run $r" produce --topic "$topic" --num-records "$RECORDS" --record-size 100 --acks "$acks" $PRODUCE_ARGS
        echo "$DATA_LINE" | awk '{print $4}' >> "$DIR/rate-rf$rf-acks$acks"
      done
    done
  done

  # The keyless records must spread over the partitions (the sticky partitioner moves on whenever a
  # batch closes): the log bytes of each partition of the first RF=1 acks=1 topic, on whichever
  # broker leads it.
  echo "# log bytes per partition of rf1-acks1-1: $(for p in 0 1 2 3 4 5; do { cat "$DIR"/data/node-*/"rf1-acks1-1-$p"/*.log 2> /dev/null || true; } | wc -c; done | tr '\n' ' ')"

  echo "# medians (records/s) of $REPEATS runs and RF=3 / RF=1"
  for acks in 1 all; do
    rf1="$(median < "$DIR/rate-rf1-acks$acks")"
    rf3="$(median < "$DIR/rate-rf3-acks$acks")"
    echo "acks=$acks | RF=1 $rf1 | RF=3 $rf3 | ratio $(awk -v a="$rf3" -v b="$rf1" 'BEGIN{printf "%.2f", a / b}')"
  done
fi

echo "# end to end at $RATE records/s, $E2E_RECORDS records"
# The end-to-end topics stamp each batch with the leader's append time, so that perf end-to-end
# can split the latency at the leader (its "breakdown" line).
create e2e-rf3 3 --config message.timestamp.type=LogAppendTime
create e2e-rf1 1 --config message.timestamp.type=LogAppendTime
run_perf "end-to-end RF=3 acks=all" end-to-end --topic e2e-rf3 --num-records "$E2E_RECORDS" --record-size 100 --acks all --throughput "$RATE" $E2E_ARGS
run_perf "end-to-end RF=1 acks=1" end-to-end --topic e2e-rf1 --num-records "$E2E_RECORDS" --record-size 100 --acks 1 --throughput "$RATE" $E2E_ARGS
if [ "$KAFKA_E2E" = 1 ]; then
  kafka_boot="127.0.0.1:$((9092 + PORT_OFFSET)),127.0.0.1:$((9093 + PORT_OFFSET)),127.0.0.1:$((9094 + PORT_OFFSET))"
  create kafka-e2e-rf3 3
  create kafka-e2e-rf1 1
  for run in "RF=3 acks=all|kafka-e2e-rf3|all" "RF=1 acks=1|kafka-e2e-rf1|1"; do
    IFS='|' read -r label topic acks <<< "$run"
    measure "Confluent.Kafka end-to-end $label, linger.ms=$KAFKA_LINGER_MS" dotnet "$KAFKA_BENCH" end-to-end --bootstrap "$kafka_boot" --topic "$topic" \
      --num-records "$E2E_RECORDS" --record-size 100 --acks "$acks" --linger-ms "$KAFKA_LINGER_MS" --rate "$RATE"
  done
fi
echo "# uptime: $(uptime)"
