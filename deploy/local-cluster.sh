#!/usr/bin/env bash
# A local AkkaStream cluster: N broker processes on 127.0.0.1, started from hocon/node-<i>.conf,
# each with its own data directory, log file and ports, plus the process faults the fault tests
# inject (kill -9, SIGSTOP/SIGCONT).
#
#   deploy/local-cluster.sh [--dir DIR] [--port-offset K] COMMAND
#
#   start N      starts brokers 1..N (builds the CLI first when needed) and waits until each has joined
#   stop [i]     stops broker i, or every broker, gracefully (SIGTERM) and waits for it to exit
#   restart i    stops broker i gracefully, starts it again and waits until it has joined
#   kill i       kills broker i at once (kill -9): no shutdown, the cluster has to detect it
#   pause i      freezes broker i (SIGSTOP): it stops answering heartbeats and replica fetches
#   resume i     lets a paused broker run again (SIGCONT)
#   status       each broker's pid, state, port, data directory and log, then `cluster status`
#   wipe         stops every broker and deletes DIR
#
# DIR (default ./local-cluster, or $AKKASTREAM_CLUSTER_DIR) holds data/node-<i>/ (the broker's data
# directory), data/cluster.db (the journal the brokers share, as node-<i>.conf says), logs/node-<i>.log
# and run/node-<i>.pid. K (default 0, or $AKKASTREAM_PORT_OFFSET) is added to every port of the node
# files (Akka 2552..), so several clusters on one machine never collide; `start` remembers DIR's N
# and K, and later commands on the same DIR reuse them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dll="$root/src/AkkaStream.Cli/bin/Release/net10.0/akkastream.dll"
dir=${AKKASTREAM_CLUSTER_DIR:-$PWD/local-cluster}
port_offset=${AKKASTREAM_PORT_OFFSET:-}
# How long a broker gets to join, and to stop gracefully, before the command gives up.
join_timeout=${AKKASTREAM_JOIN_TIMEOUT:-90}
stop_timeout=${AKKASTREAM_STOP_TIMEOUT:-60}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() { echo "local-cluster: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --port-offset) [ $# -ge 2 ] || usage; port_offset=$2; shift 2 ;;
    --port-offset=*) port_offset=${1#--port-offset=}; shift ;;
    -h|--help) usage ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || usage
command=$1
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
state_file="$dir/cluster.env"

akkastream() { dotnet "$dll" "$@"; }

# The node files are the source of each broker's base port: listener.port in hocon/node-<i>.conf.
base_port() {
  local file="$root/hocon/node-$1.conf"
  [ -f "$file" ] || die "there is no $file (brokers 1..$(ls "$root"/hocon/node-*.conf | wc -l) have node files)"
  sed -n 's/.*listener *{.*port *= *\([0-9][0-9]*\).*/\1/p' "$file" | head -n 1
}

port_of() { echo $(( $(base_port "$1") + port_offset )); }

# The port of a listener section (kafka, http) of node i's file, shifted by the same offset; the
# documented port when the file names none.
section_port_of() {
  local section=$1 default=$2 base
  base=$(sed -n "s/.*$section *{.*port *= *\([0-9][0-9]*\).*/\1/p" "$root/hocon/node-$3.conf" | head -n 1)
  echo $(( ${base:-$default} + port_offset ))
}
kafka_port_of() { section_port_of kafka $((9091 + $1)) "$1"; }
http_port_of() { section_port_of http $((8079 + $1)) "$1"; }

load_state() {
  if [ -f "$state_file" ]; then
    # shellcheck disable=SC1090
    . "$state_file"
    if [ -n "$port_offset" ] && [ "$port_offset" != "$saved_port_offset" ]; then
      die "$dir runs with port offset $saved_port_offset, not $port_offset"
    fi
    port_offset=$saved_port_offset
  else
    size=0
    port_offset=${port_offset:-0}
  fi
  [[ "$port_offset" =~ ^[0-9]+$ ]] || die "the port offset must be a number, not '$port_offset'"
}

save_state() { printf 'size=%s\nsaved_port_offset=%s\n' "$size" "$port_offset" > "$state_file"; }

pid_file() { echo "$dir/run/node-$1.pid"; }

pid_of() {
  local file
  file=$(pid_file "$1")
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
  return 0
}

# running, paused (SIGSTOP), or stopped (no process).
state_of() {
  local pid
  pid=$(pid_of "$1")
  if [ -z "$pid" ]; then echo stopped; return; fi
  case "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" in
    T|t) echo paused ;;
    Z|"") echo stopped ;;
    *) echo running ;;
  esac
}

require_node() {
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || die "a broker number is needed (1..$size)"
  [ "$1" -le "$size" ] || die "broker $1 is not part of the cluster in $dir (brokers 1..$size; 'start N' first)"
}

# Builds the CLI in Release when it is missing or older than any source file.
ensure_built() {
  if [ ! -f "$dll" ] || [ -n "$(find "$root/src" "$root/hocon" "$root/Directory.Packages.props" -newer "$dll" \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.conf' -o -name '*.props' \) -print -quit)" ]; then
    echo "Building the akkastream command (Release)..."
    dotnet build "$root/src/AkkaStream.Cli" -c Release -nologo -v quiet > "$dir/build.log" 2>&1 ||
      { cat "$dir/build.log" >&2; die "the build failed"; }
  fi
}

# The seed list for broker $1 joining: every broker, 1 first, when the cluster starts; only the
# others when one broker starts into a running cluster, because a broker whose own address comes
# first forms a new cluster by itself when no other seed answers within seed-node-timeout.
seed_nodes() {
  local self=$1 joining=$2 seeds="" i
  for i in $(seq 1 "$size"); do
    [ "$joining" = yes ] && [ "$i" = "$self" ] && continue
    seeds+="${seeds:+,}\"akka.tcp://akkastream@127.0.0.1:$(port_of "$i")\""
  done
  echo "[$seeds]"
}

# Every broker's address as port_of (default) or kafka_port_of (for Kafka clients) gives it.
bootstrap_list() {
  local port=${1:-port_of} list="" i
  for i in $(seq 1 "$size"); do list+="${list:+,}127.0.0.1:$("$port" "$i")"; done
  echo "$list"
}

others_running() {
  local n
  for n in $(seq 1 "$size"); do
    [ "$n" != "$1" ] && [ -n "$(pid_of "$n")" ] && return 0
  done
  return 1
}

# Starts broker i; it joins through the others when any of them runs.
start_node() {
  local i=$1 joining=no pid
  pid=$(pid_of "$i")
  [ -z "$pid" ] || { echo "Broker $i is already running (pid $pid)."; return; }
  mkdir -p "$dir/run" "$dir/logs" "$dir/data"
  others_running "$i" && joining=yes
  # Paths and ports are set explicitly so the broker does not depend on its working directory;
  # the seed list names only the brokers of this cluster, so `start 2` forms a 2-broker cluster.
  (
    cd "$dir"
    exec nohup dotnet "$dll" broker --config "$root/hocon/node-$i.conf" \
      --set "akkastream.data-dir=\"$dir/data/node-$i\"" \
      --set "akkastream.journal.sqlite-path=\"$dir/data/cluster.db\"" \
      --set "akkastream.listener.port=$(port_of "$i")" \
      --set "akkastream.kafka.port=$(kafka_port_of "$i")" \
      --set "akkastream.http.port=$(http_port_of "$i")" \
      --set "akka.cluster.seed-nodes=$(seed_nodes "$i" "$joining")"
  ) >> "$dir/logs/node-$i.log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$i")"
  echo "Started broker $i (pid $!, port $(port_of "$i"), log $dir/logs/node-$i.log)."
}

# How many brokers the cluster reports through broker i's gateway.
brokers_seen_by() {
  akkastream cluster status --bootstrap "127.0.0.1:$(port_of "$1")" 2>/dev/null | grep -c '^Broker:' || true
}

# Waits until broker i answers and sees every broker of the cluster that is running.
wait_joined() {
  local i=$1 expected deadline n
  deadline=$((SECONDS + join_timeout))
  while :; do
    [ -n "$(pid_of "$i")" ] || { tail -n 30 "$dir/logs/node-$i.log" >&2; die "broker $i exited while starting"; }
    expected=0
    for n in $(seq 1 "$size"); do [ "$(state_of "$n")" = running ] && expected=$((expected + 1)); done
    [ "$(brokers_seen_by "$i")" -ge "$expected" ] && break
    [ $SECONDS -lt $deadline ] || die "broker $i did not join within ${join_timeout}s (log: $dir/logs/node-$i.log)"
    sleep 1
  done
  echo "Broker $i has joined."
}

stop_node() {
  local i=$1 pid deadline
  pid=$(pid_of "$i")
  [ -n "$pid" ] || { echo "Broker $i is not running."; return; }
  # A paused process cannot act on SIGTERM until it runs again.
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid"
  deadline=$((SECONDS + stop_timeout))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "broker $i (pid $pid) did not stop within ${stop_timeout}s"
    sleep 0.2
  done
  rm -f "$(pid_file "$i")"
  echo "Stopped broker $i."
}

signal_node() {
  local i=$1 signal=$2 verb=$3 pid
  pid=$(pid_of "$i")
  [ -n "$pid" ] || die "broker $i is not running"
  kill "-$signal" "$pid"
  if [ "$signal" = KILL ]; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rm -f "$(pid_file "$i")"
  fi
  echo "$verb broker $i (pid $pid)."
}

status() {
  local i pid state
  printf '%-7s %-8s %-8s %-6s %-6s %-6s %s\n' BROKER PID STATE PORT KAFKA HTTP "DATA DIR / LOG"
  for i in $(seq 1 "$size"); do
    pid=$(pid_of "$i")
    state=$(state_of "$i")
    printf '%-7s %-8s %-8s %-6s %-6s %-6s %s\n' "$i" "${pid:--}" "$state" "$(port_of "$i")" "$(kafka_port_of "$i")" "$(http_port_of "$i")" \
      "$dir/data/node-$i  $dir/logs/node-$i.log"
  done
  for i in $(seq 1 "$size"); do
    if [ "$(state_of "$i")" = running ]; then
      echo
      akkastream cluster status --bootstrap "127.0.0.1:$(port_of "$i")" || true
      return
    fi
  done
}

load_state
case "$command" in
  start)
    [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || die "usage: start N"
    [ "$size" -eq 0 ] || [ "$size" -eq "$1" ] || [ -z "$(for n in $(seq 1 "$size"); do pid_of "$n"; done)" ] ||
      die "$dir already runs a $size-broker cluster; stop it first"
    size=$1
    for i in $(seq 1 "$size"); do base_port "$i" > /dev/null; done
    save_state
    ensure_built
    for i in $(seq 1 "$size"); do start_node "$i"; done
    for i in $(seq 1 "$size"); do wait_joined "$i"; done
    echo "The cluster of $size brokers is up: --bootstrap $(bootstrap_list)"
    echo "Kafka clients: bootstrap.servers=$(bootstrap_list kafka_port_of)"
    echo "Web console: http://127.0.0.1:$(http_port_of 1)/ (every broker serves one: $(bootstrap_list http_port_of))"
    ;;
  stop)
    if [ $# -ge 1 ]; then require_node "$1"; stop_node "$1"; else for i in $(seq 1 "$size"); do stop_node "$i"; done; fi
    ;;
  restart)
    require_node "${1:-}"
    ensure_built
    stop_node "$1"
    start_node "$1"
    wait_joined "$1"
    ;;
  kill) require_node "${1:-}"; signal_node "$1" KILL Killed ;;
  pause) require_node "${1:-}"; signal_node "$1" STOP Paused ;;
  resume) require_node "${1:-}"; signal_node "$1" CONT Resumed ;;
  status) status ;;
  wipe)
    for i in $(seq 1 "$size"); do stop_node "$i"; done
    rm -rf "$dir"
    echo "Deleted $dir."
    ;;
  *) usage ;;
esac
