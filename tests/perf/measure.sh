#!/usr/bin/env bash
# Helpers the perf scripts share. Source it; do not run it. The caller sets SCRATCH (a directory
# for the helpers' temporary files) and BROKERS (the broker processes' PIDs, space separated).

TICK="$(getconf CLK_TCK)"

# A TCP port on 127.0.0.1 that nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Whether PORT on 127.0.0.1 can be bound now (SO_REUSEADDR: connections of an earlier run still
# in TIME_WAIT do not count): a cluster's scripts refuse to start on a port some process listens on
# rather than join someone else's cluster.
port_is_free() {
  python3 -c "import socket; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$1))" 2>/dev/null
}

# require_free_cluster_ports OFFSET: exits unless brokers 1..3's Akka (2552..) and Kafka (9092..)
# ports of the node files, shifted by OFFSET, can be bound now.
require_free_cluster_ports() {
  local i port
  for i in 1 2 3; do
    for port in $((2551 + i + $1)) $((9091 + i + $1)); do
      port_is_free "$port" || { echo "port $port is in use; set PORT_OFFSET to another value" >&2; exit 1; }
    done
  done
}

# stop_local_cluster HARNESS DIR: a graceful stop of the cluster in DIR through HARNESS
# (deploy/local-cluster.sh, which waits for each PID to exit), then a kill by the recorded PID of
# whatever is still alive, then DIR deleted: no broker outlives a perf script.
stop_local_cluster() {
  local file
  "$1" --dir "$2" stop > /dev/null 2>&1 || true
  for file in "$2"/run/node-*.pid; do
    [ -f "$file" ] && kill -KILL "$(cat "$file")" 2>/dev/null || true
  done
  rm -rf "$2"
}

# The CPU seconds (user + system) the brokers in $BROKERS have used so far.
brokers_cpu() {
  local pid total=0
  for pid in $BROKERS; do
    total=$(awk -v t="$TICK" -v s="$total" '{printf "%.2f", s + ($14 + $15) / t}' "/proc/$pid/stat")
  done
  echo "$total"
}

# The median of the numbers on standard input, one a line.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# measure LABEL COMMAND...: runs one client command and prints its summary line beside the client's
# CPU (/usr/bin/time), the brokers' CPU over the run (/proc/<pid>/stat) and the load average. Sets
# DATA_LINE (the summary: the command's first line of output), CLIENT_CPU, BROKERS_CPU and LOAD (the
# 1-minute load average at the end) for the caller.
measure() {
  local label="$1"; shift
  local before after out
  before="$(brokers_cpu)"
  out="$(/usr/bin/time -f 'client_cpu %U %S' "$@" 2> "$SCRATCH/err.txt")" ||
    { echo "$label failed:" >&2; cat "$SCRATCH/err.txt" >&2; echo "$out" >&2; return 1; }
  after="$(brokers_cpu)"
  CLIENT_CPU="$(awk '/^client_cpu/{printf "%.2f", $2 + $3}' "$SCRATCH/err.txt")"
  BROKERS_CPU="$(awk -v a="$after" -v b="$before" 'BEGIN{printf "%.2f", a - b}')"
  LOAD="$(cut -d' ' -f1 /proc/loadavg)"
  DATA_LINE="$(head -n 1 <<< "$out")"
  echo "$label | $DATA_LINE | client CPU ${CLIENT_CPU} s | brokers CPU ${BROKERS_CPU} s | load $(cut -d' ' -f1-3 /proc/loadavg)"
  # Further lines (perf end-to-end's breakdown) follow, indented.
  tail -n +2 <<< "$out" | sed 's/^/    /'
}
