#!/usr/bin/env bash
# End-to-end latency of AkkaStream beside a peer's, NATS JetStream, on this machine in one run
# (docs/BENCHMARKS.md, "Beside NATS JetStream"). For each of PAIRS rounds: a fresh three-broker
# AkkaStream cluster from this checkout with Confluent.Kafka end to end (acks=all, RF=3,
# min.insync.replicas=2; tests/perf/latency-runs.sh), then a fresh three-server NATS cluster
# (Debian's nats-server, JetStream on file storage in a scratch directory) with
# AkkaStream.Peer.Benchmarks end to end on a fresh 3-replica stream (every publish acknowledged
# once a majority holds it; an ordered consumer reads what the stream has committed). Each system
# runs every rate in RATES, 24 s of records a run, the first 4 s left out. Prints every run (with
# the servers' CPU and the load) and, per system and rate, the p99s' range and median and the runs
# that failed (the client gave up: the system did not keep up with the rate).
#
# Usage: tests/perf/latency-vs-nats.sh     (PAIRS=2 RATES="500 10000 50000" PORT_OFFSET=3400 NATS_PORT=14222)
#   build this checkout first: dotnet build AkkaStream.sln -c Release; needs nats-server (apt-get install nats-server)
set -euo pipefail
cd "$(dirname "$0")/../.."

PAIRS="${PAIRS:-2}"
RATES="${RATES:-500 10000 50000}"
PORT_OFFSET="${PORT_OFFSET:-3400}"
NATS_PORT="${NATS_PORT:-14222}"
command -v nats-server > /dev/null || { echo "nats-server is missing: apt-get install nats-server" >&2; exit 1; }
source tests/perf/measure.sh
source tests/perf/latency-runs.sh
require_built "$KAFKA_BENCH" "$PEER_BENCH"
require_free_cluster_ports "$PORT_OFFSET"
for i in 0 1 2; do
  for port in $((NATS_PORT + i)) $((NATS_PORT + 2000 + i)); do
    port_is_free "$port" || { echo "port $port is in use; set NATS_PORT to another value" >&2; exit 1; }
  done
done

SCRATCH="$(mktemp -d /tmp/akkastream-latency-vs-nats-XXXXXX)"
NATS_SERVERS="nats://127.0.0.1:$NATS_PORT,nats://127.0.0.1:$((NATS_PORT + 1)),nats://127.0.0.1:$((NATS_PORT + 2))"
NATS_PIDS=""
STREAM=0

stop_nats() {
  local pid
  for pid in $NATS_PIDS; do kill "$pid" 2>/dev/null || true; done
  for pid in $NATS_PIDS; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  NATS_PIDS=""
}
trap 'stop_cluster; stop_nats; rm -rf "$SCRATCH"' EXIT

# run_nats LABEL: a fresh three-server NATS cluster, then one end-to-end run per rate on a fresh stream.
run_nats() {
  local label="$1" dir i rate routes=""
  dir="$(mktemp -d "$SCRATCH/nats-XXXXXX")"
  for i in 0 1 2; do routes="$routes${routes:+, }nats-route://127.0.0.1:$((NATS_PORT + 2000 + i))"; done
  for i in 0 1 2; do
    cat > "$dir/n$i.conf" <<CONF
server_name: n$i
listen: 127.0.0.1:$((NATS_PORT + i))
jetstream { store_dir: "$dir/data-$i" }
cluster { name: latency, listen: 127.0.0.1:$((NATS_PORT + 2000 + i)), routes: [ $routes ] }
CONF
    nats-server -c "$dir/n$i.conf" -l "$dir/n$i.log" &
    NATS_PIDS="$NATS_PIDS $!"
  done
  BROKERS="$NATS_PIDS"
  for i in 0 1 2; do
    for _ in $(seq 1 100); do grep -q "Server is ready" "$dir/n$i.log" 2>/dev/null && break; sleep 0.1; done
  done
  # The same warm-up as AkkaStream's: 200,000 messages at 20,000/s (JetStream elects its meta leader meanwhile).
  STREAM=$((STREAM + 1))
  warm_up "$label" dotnet "$PEER_BENCH" nats-end-to-end --servers "$NATS_SERVERS" --stream "latency-$STREAM" --rate 20000 \
    --num-records 200000 --warmup-records 50000 --timeout-ms 20000
  for rate in $RATES; do
    STREAM=$((STREAM + 1))
    record_p99 "$label" "$rate" dotnet "$PEER_BENCH" nats-end-to-end --servers "$NATS_SERVERS" --stream "latency-$STREAM" \
      --rate "$rate" --num-records $((rate * 24)) --warmup-records $((rate * 4)) --timeout-ms 20000
  done
  stop_nats
}

LABEL_AKKASTREAM="AkkaStream $(git describe --always --dirty)"
LABEL_NATS="NATS $(nats-server --version | awk '{print $2}')"
echo "# $PAIRS pairs at $RATES records/s; RF=3 / 3 replicas, acks from a majority"
for pair in $(seq 1 "$PAIRS"); do
  run_akkastream "$LABEL_AKKASTREAM" "$PWD"
  run_nats "$LABEL_NATS"
done
print_p99_summary "$LABEL_AKKASTREAM" "$LABEL_NATS"
