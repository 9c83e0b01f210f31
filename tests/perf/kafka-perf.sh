#!/usr/bin/env bash
# The Kafka listener's benchmark (docs/BENCHMARKS.md, "Kafka clients through the Kafka listener"),
# in one run:
#  1. the peers and limits of /work/shared/bench (PEER_SCRIPTS, through its run_all.sh, from a
#     scratch copy because the scripts build and write their results inside their own folder);
#  2. one broker (deploy/local-cluster.sh start 1) with 1-partition RF=1 topics: Confluent.Kafka
#     (tests/AkkaStream.Kafka.Benchmarks) producing RECORDS keyless 100-byte records with acks=1 and
#     linger.ms=5 and consuming them back from offset 0, and the actor client's `akkastream perf
#     produce` / `perf consume` on the same broker, and kcat (librdkafka without .NET) when it is
#     installed, REPEATS times, interleaved;
#  3. three brokers (deploy/local-cluster.sh start 3) with 1-partition RF=3 topics
#     (min.insync.replicas=2): Confluent produce with acks=all and with acks=1, and on an RF=1 topic
#     of the same cluster, REPEATS times, interleaved.
# Every run prints the client's CPU, the brokers' CPU and the load average; the end is one table
# of medians with each figure's ratio to its target, to NATS JetStream and Redis Streams, and to the
# single broker's RF=1 figure. The brokers are stopped by PID at the end, also when the script fails.
#
# Usage: tests/perf/kafka-perf.sh
#   (RECORDS=1000000 REPEATS=3 PEERS=1 PEER_SCRIPTS="1c_net_loopback.sh 2_nats_jetstream.sh 3_redis_streams.sh"
#    PEER_REPEATS=$REPEATS BENCH_DIR=/work/shared/bench PORT_OFFSET=3500 KAFKA_ARGS="" KCAT=1 RESULTS=<new dir under /tmp>;
#    the shared scripts' own knobs, e.g. COUNT or N100, pass through)
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/perf/measure.sh

RECORDS="${RECORDS:-1000000}"
REPEATS="${REPEATS:-3}"
PEERS="${PEERS:-1}"
PEER_SCRIPTS="${PEER_SCRIPTS:-1c_net_loopback.sh 2_nats_jetstream.sh 3_redis_streams.sh}"
PEER_REPEATS="${PEER_REPEATS:-$REPEATS}"
BENCH_DIR="${BENCH_DIR:-/work/shared/bench}"
PORT_OFFSET="${PORT_OFFSET:-3500}"
KAFKA_ARGS="${KAFKA_ARGS:-}"
# librdkafka's kcat beside Confluent.Kafka (tests/perf/kcat-perf.sh), when it is installed.
KCAT="${KCAT:-$(command -v kcat > /dev/null && echo 1 || echo 0)}"
RESULTS="${RESULTS:-$(mktemp -d /tmp/akkastream-kafka-perf-XXXXXX)}"
mkdir -p "$RESULTS"
CLI="src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll"
BENCH="tests/AkkaStream.Kafka.Benchmarks/bin/Release/net10.0/AkkaStream.Kafka.Benchmarks.dll"
CLUSTER="deploy/local-cluster.sh"
# Issue 5's targets (records/s), and the share of the single broker's figure RF=3 must reach.
PRODUCE_TARGET=800000
CONSUME_TARGET=1500000
RF3_SHARE=0.4
SCRATCH="$RESULTS/scratch"
FIGURES="$RESULTS/figures.tsv"
mkdir -p "$SCRATCH"
: > "$FIGURES"
BROKERS=""

# Built when missing (deploy/local-cluster.sh also rebuilds the command when a source is newer).
for project in src/AkkaStream.Cli:"$CLI" tests/AkkaStream.Kafka.Benchmarks:"$BENCH"; do
  [ -f "${project#*:}" ] || dotnet build "${project%%:*}" -c Release -nologo -v quiet > "$SCRATCH/build.log" 2>&1 ||
    { cat "$SCRATCH/build.log"; exit 1; }
done

require_free_cluster_ports "$PORT_OFFSET"

CLUSTER_DIR=""
stop_cluster() {
  [ -n "$CLUSTER_DIR" ] || return 0
  stop_local_cluster "$CLUSTER" "$CLUSTER_DIR"
  CLUSTER_DIR=""
  BROKERS=""
}
trap stop_cluster EXIT

# start_cluster N: N brokers in a scratch directory; sets BROKERS, BOOT (actor client) and KAFKA (Kafka clients).
start_cluster() {
  CLUSTER_DIR="$(mktemp -d /tmp/akkastream-kafka-perf-cluster-XXXXXX)"
  "$CLUSTER" --dir "$CLUSTER_DIR" --port-offset "$PORT_OFFSET" start "$1" > "$SCRATCH/start.log" 2>&1 ||
    { cat "$SCRATCH/start.log"; exit 1; }
  BROKERS="$(cat "$CLUSTER_DIR"/run/node-*.pid | tr '\n' ' ')"
  BOOT="127.0.0.1:$((2552 + PORT_OFFSET))"
  KAFKA="$(sed -n 's/^Kafka clients: bootstrap.servers=//p' "$SCRATCH/start.log")"
  echo "# $(date -u +%FT%TZ) $1 broker(s), pids $BROKERS, actor bootstrap $BOOT, Kafka bootstrap $KAFKA; uptime:$(uptime)"
}

cli() { dotnet "$CLI" "$@" --bootstrap "$BOOT"; }

# create TOPIC RF: one partition; RF=3 topics need 2 in-sync replicas for acks=all.
create() {
  if [ "$2" = 1 ]; then
    cli topics create --topic "$1" --partitions 1 --replication-factor 1 > /dev/null
  else
    cli topics create --topic "$1" --partitions 1 --replication-factor 3 --config min.insync.replicas=2 > /dev/null
  fi
}

# figure KEY LABEL COMMAND...: measures one run and appends it to $FIGURES as
# key, records/s, MB/s, 1-minute load, client CPU s, brokers CPU s.
figure() {
  local key=$1; shift
  measure "$@"
  awk -v k="$key" -v l="$LOAD" -v c="$CLIENT_CPU" -v b="$BROKERS_CPU" \
    '{gsub(/[(]/, "", $6); printf "%s\t%s\t%s\t%s\t%s\t%s\n", k, $4, $6, l, c, b}' <<< "$DATA_LINE" >> "$FIGURES"
}

# The clients' commands (measure runs a program, not a shell function); BOOT and KAFKA are set by start_cluster.
KAFKA_PRODUCE="--num-records $RECORDS --record-size 100 --linger-ms 5 $KAFKA_ARGS"

echo "# $(date -u +%FT%TZ) $RECORDS records of 100 B per run, $REPEATS repeats, $(nproc) cores, results in $RESULTS"

# 1. Peers and limits, measured first so that the same machine state holds for all.
if [ "$PEERS" = 1 ]; then
  echo "# peers and limits: $BENCH_DIR/run_all.sh $PEER_SCRIPTS (from a copy, $PEER_REPEATS repeats)"
  rm -rf "$RESULTS/bench"
  cp -r "$BENCH_DIR" "$RESULTS/bench"
  chmod -R u+w "$RESULTS/bench"
  rm -rf "$RESULTS/bench/results"
  # shellcheck disable=SC2086
  ( cd "$RESULTS/bench" && RESULTS_DIR="$RESULTS/peers" REPEATS="$PEER_REPEATS" QUIET_WAIT="${QUIET_WAIT:-0}" \
      LAT_SECS="${LAT_SECS:-2}" PORT="$(free_port)" ./run_all.sh $PEER_SCRIPTS ) ||
    { echo "the peers' run failed; its logs are in $RESULTS/bench/results" >&2; exit 1; }
fi

# 2. One broker, RF=1.
start_cluster 1
create warmup 1
measure "Confluent start-up only (1 record)" dotnet "$BENCH" produce --bootstrap "$KAFKA" --topic warmup --num-records 1
measure "actor client start-up only (1 record)" dotnet "$CLI" perf produce --bootstrap "$BOOT" --topic warmup --num-records 1 --record-size 100 --acks 1
measure "Confluent warm-up produce (200k)" dotnet "$BENCH" produce --bootstrap "$KAFKA" --topic warmup --num-records 200000
for r in $(seq 1 "$REPEATS"); do
  create "kafka-$r" 1
  create "actor-$r" 1
  figure rf1.kafka.produce.acks1 "Confluent produce RF=1 acks=1 run $r" dotnet "$BENCH" produce --bootstrap "$KAFKA" --topic "kafka-$r" --acks 1 $KAFKA_PRODUCE
  figure rf1.actor.produce.acks1 "actor produce RF=1 acks=1 run $r" dotnet "$CLI" perf produce --bootstrap "$BOOT" --topic "actor-$r" --num-records "$RECORDS" --record-size 100 --acks 1
  figure rf1.kafka.consume "Confluent consume RF=1 run $r" dotnet "$BENCH" consume --bootstrap "$KAFKA" --topic "kafka-$r" --num-records "$RECORDS"
  figure rf1.actor.consume "actor consume RF=1 run $r" dotnet "$CLI" perf consume --bootstrap "$BOOT" --topic "actor-$r" --messages "$RECORDS"
  if [ "$KCAT" = 1 ]; then
    create "kcat-$r" 1
    figure rf1.kcat.produce.acks1 "kcat produce RF=1 acks=1 run $r" tests/perf/kcat-perf.sh produce "$KAFKA" "kcat-$r" "$RECORDS" 1 5
    figure rf1.kcat.consume "kcat consume RF=1 run $r" tests/perf/kcat-perf.sh consume "$KAFKA" "kcat-$r" "$RECORDS"
  fi
done
stop_cluster

# 3. Three brokers, RF=3 (and RF=1 on the same cluster, to tell replication from the cluster's own cost).
start_cluster 3
create warmup 3
measure "Confluent warm-up produce RF=3 acks=all (200k)" dotnet "$BENCH" produce --bootstrap "$KAFKA" --topic warmup --num-records 200000 --acks all
for r in $(seq 1 "$REPEATS"); do
  for acks in all 1; do
    create "rf3-acks$acks-$r" 3
    figure "rf3.kafka.produce.acks$acks" "Confluent produce RF=3 acks=$acks run $r" dotnet "$BENCH" produce --bootstrap "$KAFKA" --topic "rf3-acks$acks-$r" --acks "$acks" $KAFKA_PRODUCE
  done
  create "rf1-$r" 1
  figure rf1of3.kafka.produce.acks1 "Confluent produce RF=1 on 3 brokers acks=1 run $r" dotnet "$BENCH" produce --bootstrap "$KAFKA" --topic "rf1-$r" --acks 1 $KAFKA_PRODUCE
done
stop_cluster

# 4. One table. Peer figures come from the shared scripts' summary (median column).
peer() { [ -f "$RESULTS/peers/summary.tsv" ] && awk -F'\t' -v n="$1" '$2 == n {v = $4} END {print v}' "$RESULTS/peers/summary.tsv"; }
NATS_PUB="$(peer nats.js.pub.core.100B.msgs_per_s || true)"
NATS_SUB="$(peer nats.js.sub.ordered.after_core.100B.msgs_per_s || true)"
REDIS_PUB="$(peer redis.xadd.P64.100B.ops_per_s || true)"
REDIS_SUB="$(peer redis.xrange.count100.100B.entries_per_s || true)"
echo
echo "# medians of $REPEATS runs, $RECORDS × 100 B, one partition; load = 1-minute load average at the end of each run (min–max); peers: NATS JetStream core publish ${NATS_PUB:-–} / ordered consume ${NATS_SUB:-–} msg/s, Redis XADD -P 64 ${REDIS_PUB:-–} / XRANGE ${REDIS_SUB:-–} entries/s"
echo "| figure | records/s (min–max) | MB/s | load | target | of target | of NATS | of Redis | of RF=1 |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'\t' -v pt="$PRODUCE_TARGET" -v ct="$CONSUME_TARGET" -v share="$RF3_SHARE" \
    -v np="$NATS_PUB" -v ns="$NATS_SUB" -v rp="$REDIS_PUB" -v rs="$REDIS_SUB" '
  function med(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function ratio(x, y) { return (y == "" || y == 0) ? "–" : sprintf("%.2f", x / y) }
  { if (!($1 in n)) order[++keys] = $1; k = $1; i = ++n[k]; rate[k, i] = $2; mb[k, i] = $3; load[k, i] = $4 }
  END {
    for (q = 1; q <= keys; q++) {
      k = order[q]; split("", r); split("", m); split("", l)
      for (i = 1; i <= n[k]; i++) { r[i] = rate[k, i]; m[i] = mb[k, i]; l[i] = load[k, i] }
      rm = med(r, n[k]); mm = med(m, n[k]); med(l, n[k]); median[k] = rm
      rmin = r[1]; rmax = r[n[k]]
      consume = (k ~ /consume/)
      # Issue 5 sets targets for these three figures only.
      target = (k == "rf1.kafka.produce.acks1") ? pt : (k == "rf1.kafka.consume") ? ct : \
        (k == "rf3.kafka.produce.acksall") ? share * median["rf1.kafka.produce.acks1"] : ""
      printf "| %s | %.0f (%.0f–%.0f) | %.1f | %s–%s | %s | %s | %s | %s | %s |\n", k, rm, rmin, rmax, mm, l[1], l[n[k]],
        (target == "") ? "–" : sprintf("%.0f", target), ratio(rm, target),
        ratio(rm, consume ? ns : np), ratio(rm, consume ? rs : rp),
        (k ~ /^rf1\./) ? "–" : ratio(rm, median["rf1.kafka.produce.acks1"])
    }
  }' "$FIGURES"
echo "# the RF=3 acks=all target is ${RF3_SHARE} × the single broker's Confluent acks=1 median; raw figures: $FIGURES"
[ "$PEERS" = 1 ] && grep -h '^# CPU accounting' "$RESULTS"/bench/results/run_*.log 2>/dev/null | sed 's/^/# peers: /' || true
echo "# uptime: $(uptime)"
