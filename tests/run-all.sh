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
# What tests need from outside, from Debian's packages: kcat (librdkafka's command-line client)
# for the Kafka interop test, PostgreSQL's server for the cluster journal test (the test runs a
# server of its own; the package's service is not used). A failed install fails a CI run here;
# elsewhere the test that needs it fails and says how to install it. Never a silent skip.
as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
apt_updated=""
# No questions: CI has no terminal, and a package's configuration prompt would wait forever.
apt_get() { $as_root env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
# install_package PACKAGE CHECK...: runs CHECK; when it fails, installs PACKAGE (apt-get update once, if the first try fails).
install_package() {
  local package=$1
  shift
  "$@" >/dev/null 2>&1 && return 0
  if apt_get install -y "$package" \
      || { [ -z "$apt_updated" ] && apt_updated=1 && apt_get update && apt_get install -y "$package"; }; then
    return 0
  fi
  echo "$package could not be installed (apt-get install -y $package)"
  if [ "${CI:-}" = "true" ]; then echo "0 passed, 1 failed"; exit 1; fi
}
postgresql_server_installed() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
install_package kcat command -v kcat
install_package postgresql postgresql_server_installed
# Debian's Chromium for the web console's end-to-end test (Playwright drives /usr/bin/chromium headless; nothing is downloaded).
install_package chromium test -x /usr/bin/chromium

echo "== restore"
dotnet restore AkkaStream.sln || { echo "0 passed, 1 failed"; exit 1; }

echo "== build (Release)"
dotnet build AkkaStream.sln -c Release --no-restore -warnaserror || { echo "0 passed, 1 failed"; exit 1; }

echo "== publish (the self-contained executable for this machine, which a test starts)"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host_rid=linux-x64 ;;
  Linux-aarch64) host_rid=linux-arm64 ;;
  Darwin-arm64) host_rid=osx-arm64 ;;
  *) host_rid="" ;;
esac
if [ -n "$host_rid" ]; then
  deploy/publish.sh "$host_rid" >"$results_dir/publish.log" 2>&1 || { tail -n 30 "$results_dir/publish.log"; echo "0 passed, 1 failed"; exit 1; }
fi

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
