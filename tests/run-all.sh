#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# Installs what the tests need first, when it is missing, so that it works on a fresh machine
# that has only the .NET SDK.
set -uo pipefail
cd "$(dirname "$0")/.."

results_dir=.test-results
rm -rf "$results_dir"
mkdir -p "$results_dir"

echo "== tools"
# kcat (librdkafka's command-line client) for the Kafka interop test. A failed install fails a CI
# run here; elsewhere the interop test fails and says how to install it. Never a silent skip.
if ! command -v kcat >/dev/null 2>&1; then
  as_root=""
  [ "$(id -u)" -ne 0 ] && as_root="sudo"
  if ! { $as_root apt-get install -y kcat || { $as_root apt-get update && $as_root apt-get install -y kcat; }; }; then
    echo "kcat could not be installed (apt-get install -y kcat)"
    if [ "${CI:-}" = "true" ]; then echo "0 passed, 1 failed"; exit 1; fi
  fi
fi
# Debian's Chromium for the web console's end-to-end test (Playwright drives /usr/bin/chromium
# headless; nothing is downloaded). Same rule as kcat: a CI run without it fails here.
if [ ! -x /usr/bin/chromium ]; then
  as_root=$([ "$(id -u)" -eq 0 ] || echo sudo)
  apt="$as_root env DEBIAN_FRONTEND=noninteractive apt-get"
  { $apt install -y chromium || { $apt update && $apt install -y chromium; }; } \
    || { echo "chromium could not be installed (apt-get install -y chromium)"; [ "${CI:-}" = "true" ] && { echo "0 passed, 1 failed"; exit 1; }; }
fi

echo "== restore"
dotnet restore AkkaStream.sln || { echo "0 passed, 1 failed"; exit 1; }

echo "== build (Release)"
dotnet build AkkaStream.sln -c Release --no-restore -warnaserror || { echo "0 passed, 1 failed"; exit 1; }

echo "== test"
dotnet test AkkaStream.sln -c Release --no-build \
  --logger "trx" --results-directory "$results_dir" \
  --blame-hang-timeout 10m
test_status=$?

# Sum the counters of every test run's report.
passed=0
failed=0
for trx in "$results_dir"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(printf '%s' "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(printf '%s' "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The run failed without a failing test (a crash, a hang): count it as a failure.
  failed=1
fi
# The fault test's figures (faults, acknowledged, lost, duplicated, longest time without a leader).
if [ -f "$results_dir/fault-report.txt" ]; then
  echo "== fault test report"
  cat "$results_dir/fault-report.txt"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
