#!/usr/bin/env bash
# librdkafka's kcat (C, no managed wrapper) producing to or consuming from one partition, with the
# summary line of the Kafka benchmark (tests/AkkaStream.Kafka.Benchmarks), so that kafka-perf.sh
# can show what the listener serves when the client costs less per record than Confluent.Kafka's
# .NET layer. The time includes kcat's start and, for produce, waiting for every delivery report
# (kcat exits only then, non-zero when a record failed).
#
# Usage: tests/perf/kcat-perf.sh produce BOOTSTRAP TOPIC RECORDS ACKS LINGER_MS
#        tests/perf/kcat-perf.sh consume BOOTSTRAP TOPIC RECORDS
set -euo pipefail
mode=$1 bootstrap=$2 topic=$3 records=$4
size=100
scratch="$(mktemp -d /tmp/akkastream-kcat-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

if [ "$mode" = produce ]; then
  # RECORDS lines of SIZE random letters; each line is one record's value.
  python3 -c "import random, string, sys; line = ''.join(random.choices(string.ascii_letters, k=$size)) + '\n'; sys.stdout.write(line * $records)" > "$scratch/values"
  start=$(date +%s%N)
  kcat -P -q -b "$bootstrap" -t "$topic" -p 0 -X "acks=$5" -X "linger.ms=$6" -l "$scratch/values"
  done=$records verb=sent
else
  start=$(date +%s%N)
  kcat -C -q -b "$bootstrap" -t "$topic" -p 0 -o beginning -c "$records" -e -f '%S\n' > "$scratch/sizes"
  done=$(wc -l < "$scratch/sizes") verb=received
  size=$(awk '{s += $1} END {print (NR ? s / NR : 0)}' "$scratch/sizes")
fi
end=$(date +%s%N)
awk -v n="$done" -v s="$size" -v ns="$((end - start))" -v verb="$verb" -v want="$records" 'BEGIN {
  t = ns / 1e9; mb = n * s / 1048576
  printf "%d records %s, %.1f records/sec (%.2f MB/sec), %.2f MB in %.0f ms, %d failed.\n", n, verb, n / t, mb / t, mb, ns / 1e6, want - n
  exit (n == want) ? 0 : 1 }'
