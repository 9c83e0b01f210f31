#!/usr/bin/env bash
# The "broker through the actor client" benchmark (docs/BENCHMARKS.md): one broker on a free
# loopback port with a scratch data directory, `akkastream perf produce` (acks=1, 100-byte values,
# one partition) and `perf consume` REPEATS times each, with the CPU time of the client process
# (/usr/bin/time) and of the broker (/proc/<pid>/stat, before and after) for every run. With
# NATS=1 (default) it then runs the shared NATS JetStream benchmark (../shared/bench) in the same
# session, so both sets of figures come from one run. Output is plain text on stdout.
#
# Usage: tests/perf/actor-client-perf.sh   (RECORDS=1000000 REPEATS=3 NATS=1 PRODUCE_ARGS="")
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/perf/measure.sh

RECORDS="${RECORDS:-1000000}"
REPEATS="${REPEATS:-3}"
NATS="${NATS:-1}"
PRODUCE_ARGS="${PRODUCE_ARGS:-}"
CONSUME_ARGS="${CONSUME_ARGS:-}"
BENCH_DIR="${BENCH_DIR:-/work/shared/bench}"
DLL="src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll"
[ -f "$DLL" ] || dotnet build src/AkkaStream.Cli -c Release -nologo -v quiet

PORT="$(free_port)"
DATA="$(mktemp -d /tmp/akkastream-perf-XXXXXX)"
SCRATCH="$DATA"
BOOT="127.0.0.1:$PORT"

dotnet "$DLL" broker \
  --set "akkastream.data-dir=$DATA" --set "akkastream.journal.sqlite-path=$DATA/cluster.db" \
  --set "akkastream.listener.port=$PORT" --set "akkastream.kafka.port=0" \
  --set "akka.cluster.seed-nodes=[\"akka.tcp://akkastream@127.0.0.1:$PORT\"]" > "$DATA/broker.log" 2>&1 &
BROKER=$!
BROKERS="$BROKER"
# The broker is stopped before the NATS part, so the kill may find it gone (set -e would end the trap there).
trap 'kill -TERM $BROKER 2>/dev/null || true; wait $BROKER 2>/dev/null || true; rm -rf "$DATA"' EXIT

cli() { dotnet "$DLL" "$@" --bootstrap "$BOOT"; }
for _ in $(seq 1 60); do
  cli cluster status > /dev/null 2>&1 && break
  kill -0 $BROKER 2>/dev/null || { cat "$DATA/broker.log"; exit 1; }
  sleep 1
done

# run_perf LABEL SUBCOMMAND ARGS...: one `akkastream perf` run, measured (tests/perf/measure.sh).
run_perf() { local label="$1"; shift; measure "$label" dotnet "$DLL" perf "$@" --bootstrap "$BOOT"; }

echo "# $(date -u +%FT%TZ) broker on $BOOT, $RECORDS records of 100 B per run, $(nproc) cores"
echo "# uptime: $(uptime)"
cli topics create --topic warmup --partitions 1 > /dev/null
# A one-record run: the client CPU of start-up, connecting and closing, to subtract from the runs.
run_perf "start-up only (1 record)" produce --topic warmup --num-records 1 --record-size 100 --acks 1
run_perf "warm-up produce (200k)" produce --topic warmup --num-records 200000 --record-size 100 --acks 1 $PRODUCE_ARGS
for r in $(seq 1 "$REPEATS"); do
  cli topics create --topic "perf-$r" --partitions 1 > /dev/null
  run_perf "produce $r" produce --topic "perf-$r" --num-records "$RECORDS" --record-size 100 --acks 1 $PRODUCE_ARGS
done
for r in $(seq 1 "$REPEATS"); do
  run_perf "consume $r" consume --topic "perf-$r" --messages "$RECORDS" $CONSUME_ARGS
done
kill -TERM $BROKER; wait $BROKER 2>/dev/null || true

if [ "$NATS" = 1 ]; then
  echo "# NATS JetStream, same session ($BENCH_DIR/2_nats_jetstream.sh, 100 B only)"
  NATS_RESULTS="$(mktemp -d /tmp/akkastream-nats-XXXXXX)"
  # A copy, so that building its client leaves the shared folder as it is.
  cp -r "$BENCH_DIR" "$NATS_RESULTS/bench"
  ( cd "$NATS_RESULTS/bench" && RESULTS_DIR="$NATS_RESULTS" REPEATS="$REPEATS" LAT_SECS=2 PORT="$(free_port)" \
      QUIET_WAIT="${QUIET_WAIT:-0}" ./2_nats_jetstream.sh > "$NATS_RESULTS/run.log" 2>&1 ) || { cat "$NATS_RESULTS/run.log"; exit 1; }
  grep -E '100B' "$NATS_RESULTS/summary.tsv" || true
  grep '# CPU accounting' "$NATS_RESULTS/run.log" || true
  echo "# raw NATS output: $NATS_RESULTS"
fi
