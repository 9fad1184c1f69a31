#!/usr/bin/env bash
# Parley and the Node ChatKit port (chatkit-node-backend-sdk + Express, in memory) under the same wrk script, in
# one run: streamed turns/s, p99 and server CPU per turn for each, the ratios, and threads.list requests/s.
# Parley runs on SQLite with the `echo` provider twice: the one-agent workflow (bench/workflows/one-agent.json:
# start → agent → end) and the seed workflow (classifier → if/else → agent). The servers run one at a time and
# the rounds alternate, so a busy neighbour hurts each about equally; CPU per turn is the steadier figure.
# Usage: bench/sidebyside.sh [connections] [seconds] [rounds]   (needs wrk and node; installs the Node port
# from the npm registry into a temporary folder). With PARLEY_BENCH_BASELINE_JAR=path/to/parley.jar (an older
# build) each round also runs that jar's one-agent workflow, for a before/after in the same run.
# PARLEY_BENCH_WARMUP=seconds (default 20) is the warm-up before each measurement, the same for every server: at
# 5 s the JIT compilers were still a tenth to a fifth of the JVM's CPU during the measured turns.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
pick_jdk
. bench/wrk-check.sh
CONNS=${1:-32}
SECS=${2:-10}
ROUNDS=${3:-1}
PORT=${PARLEY_BENCH_PORT:-18083}
WORK=$(mktemp -d /tmp/parley-sbs-XXXXXX)
SERVER=
stop() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; fi; SERVER=; }
trap 'stop; rm -rf "$WORK"' EXIT
[ -f web/target/parley.jar ] || ./mvnw -q -DskipTests package

NODE_PORT_VERSION=1.1.2
# --prefer-offline: a package already in npm's cache is not fetched again; a hung registry fails after 5 minutes.
(cd "$WORK" && npm init -y > /dev/null && timeout 300 npm install --prefer-offline --no-audit --no-fund --silent \
   "chatkit-node-backend-sdk@$NODE_PORT_VERSION" express@4 > /dev/null) || { echo "npm install failed" >&2; exit 1; }
cp bench/node/server.mjs "$WORK/"

# start_<name>: starts one server on $PORT in the background (SERVER=its pid) and sets PARLEY_BENCH_SECRET.
start_node() {
  (cd "$WORK" && PORT=$PORT exec node server.mjs > /dev/null 2> "$WORK/node.err") &
  SERVER=$!
  wait_healthy
  export PARLEY_BENCH_SECRET=node-bench-user
}
start_parley() {   # $1: workflow id, $2: jar (default: this build's)
  local data; data=$(mktemp -d "$WORK/parley-XXXXXX")
  PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR=$data PARLEY_SECRET_TTL=86400 PARLEY_MODEL_PROVIDER=echo \
    PARLEY_WORKFLOWS_DIR=bench/workflows PARLEY_WORKFLOW="$1" \
    PARLEY_RATE_LIMIT_USER=0 PARLEY_RATE_LIMIT_IP=0 PARLEY_MAX_THREADS_PER_USER=0 \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${PARLEY_BENCH_JAVA_OPTS:-} -jar "${2:-web/target/parley.jar}" \
    > "$data/server.log" 2>&1 &
  SERVER=$!
  wait_healthy
  export PARLEY_BENCH_SECRET=$(curl -s -X POST "http://127.0.0.1:$PORT/api/chatkit/session" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
}
wait_healthy() {
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && return; sleep 0.2; done
  echo "server did not become healthy" >&2; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.1f", v}'; }
TURN_BODY=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" bench/turns.lua)$(sed -n "s/^  \.\. '\(.*\)'$/\1/p" bench/turns.lua | tr -d '\n')

# measure <label>: one turn by hand, wrk warm-up, measured turns, then threads.list; appends a row to $WORK/rows.
measure() {
  local label=$1 deltas before after turns rps p99 cpu lrps
  deltas=$(curl -sN "http://127.0.0.1:$PORT/chatkit" -H "Authorization: Bearer $PARLEY_BENCH_SECRET" \
    -H 'Content-Type: application/json' -d "$TURN_BODY" | grep -c 'text_delta' || true)
  # Warm-up: on a busy machine the JIT needs longer, and its compile time would count as CPU per turn.
  wrk -t2 -c"$CONNS" -d"${PARLEY_BENCH_WARMUP:-20}s" -s bench/turns.lua "http://127.0.0.1:$PORT/chatkit" > /dev/null
  before=$(cpu_ticks)
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/turns.lua "http://127.0.0.1:$PORT/chatkit" > "$WORK/wrk.txt"
  wrk_ok "$WORK/wrk.txt"
  after=$(cpu_ticks)
  turns=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt" | ms)
  cpu=$(awk -v t=$((after - before)) -v n="$turns" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t / hz / n * 1e6}')
  wrk -t2 -c"$CONNS" -d3s -s bench/list.lua "http://127.0.0.1:$PORT/chatkit" > /dev/null
  wrk -t2 -c"$CONNS" -d"${SECS}s" -s bench/list.lua "http://127.0.0.1:$PORT/chatkit" > "$WORK/list.txt"
  wrk_ok "$WORK/list.txt"
  lrps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/list.txt")
  printf '%-20s %6s %10s %8s %12s %10s\n' "$label" "$deltas" "$rps" "$p99" "$cpu" "$lrps" | tee -a "$WORK/rows"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; wrk -t2 -c$CONNS, ${SECS}s per measurement"
printf '%-20s %6s %10s %8s %12s %10s\n' server deltas turns/s p99_ms cpu_us/turn list_req/s
for _ in $(seq 1 "$ROUNDS"); do
  start_node; measure node-port; stop
  start_parley wf_bench_one_agent; measure parley-one-agent; stop
  start_parley wf_seed_agency; measure parley-seed; stop
  if [ -n "${PARLEY_BENCH_BASELINE_JAR:-}" ]; then
    start_parley wf_bench_one_agent "$PARLEY_BENCH_BASELINE_JAR"; measure baseline-one-agent; stop
  fi
done
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# Medians over the rounds, then the ratios against the Node port.
awk '
  { k = ++n[$1]; rps[$1, k] = $3; p99[$1, k] = $4; cpu[$1, k] = $5; list[$1, k] = $6 }
  function median(a, s,   k, i, j, t, b) { k = n[s]; for (i = 1; i <= k; i++) b[i] = a[s, i] + 0
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
    return k % 2 ? b[(k + 1) / 2] : (b[k / 2] + b[k / 2 + 1]) / 2 }
  END {
    nr = median(rps, "node-port"); np = median(p99, "node-port"); nc = median(cpu, "node-port"); nl = median(list, "node-port")
    printf "\nmedians over %d round(s), ratio to the Node port:\n", n["node-port"]
    k = split("parley-one-agent parley-seed baseline-one-agent", names, " ")
    for (i = 1; i <= k; i++) { s = names[i]; if (!(s in n)) continue
      r = median(rps, s); p = median(p99, s); c = median(cpu, s); l = median(list, s)
      printf "%-18s turns/s %.0f / %.0f = %.2fx   p99 %.1f / %.1f ms   CPU/turn %.0f / %.0f us (Node/Parley %.2f)   threads.list %.0f / %.0f = %.2fx\n",
        s, r, nr, r / nr, p, np, c, nc, nc / c, l, nl, l / nl }
  }' "$WORK/rows"
