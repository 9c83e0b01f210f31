#!/usr/bin/env bash
# Starts one AkkaStream broker with the embedded single-node defaults (Akka.Remote on
# 127.0.0.1:2552, Kafka clients on 127.0.0.1:9092, the web console, metrics and health on
# http://127.0.0.1:8080, data in ./data), shows a produce/consume round trip through the command
# line and the broker's readiness, then keeps it running until Ctrl-C, when it stops gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build src/AkkaStream.Cli -c Release -nologo -v quiet
akkastream() { dotnet "src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll" "$@"; }

mkdir -p data
akkastream broker > data/broker.log 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null' EXIT INT TERM

echo "Starting the broker (log: data/broker.log)..."
for _ in $(seq 1 60); do
  # Ready once the controller runs: before that the status answers with "Controller: none".
  status=$(akkastream cluster status 2>/dev/null) && ! grep -q '^Controller: none' <<< "$status" && break
  kill -0 $broker 2>/dev/null || { cat data/broker.log; exit 1; }
  sleep 1
done
akkastream cluster status

topic="hello-$(date +%s)"
akkastream topics create --topic "$topic" --partitions 1
printf 'greeting:hello\nsubject:world\nfrom:akkastream\n' |
  akkastream produce --topic "$topic" --property parse.key=true --property key.separator=:
echo "Consumed back from $topic:"
akkastream consume --topic "$topic" --from-beginning --max-messages 3 --property print.key=true --property print.offset=true

# The HTTP listener's readiness, read with bash alone (a fresh machine need not have curl).
http_get() {
  exec 3<>/dev/tcp/127.0.0.1/8080
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
  tr -d '\r' <&3 | sed '1,/^$/d'
  exec 3>&-
}
echo "Readiness (http://127.0.0.1:8080/health/ready):"
http_get /health/ready
echo

echo
echo "Web console: http://127.0.0.1:8080/  Prometheus metrics: http://127.0.0.1:8080/metrics"
echo "The broker keeps running on 127.0.0.1:2552; try 'dotnet src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll --help' in another terminal. Ctrl-C stops it."
wait $broker
