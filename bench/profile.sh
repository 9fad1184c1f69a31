#!/usr/bin/env bash
# Where a streamed turn's CPU goes: Parley (SQLite, `echo` provider, a workflow from bench/workflows or the seed)
# under wrk with Java Flight Recorder on, then the share of its CPU samples by what a turn does (jfr_breakdown.py).
# Usage: bench/profile.sh [workflow id] [seconds] [connections] [wrk script: bench/turns.lua or bench/list.lua]
# (needs wrk). The warm-up always streams turns, so bench/list.lua has threads to list. PARLEY_BENCH_JAR=path
# profiles another build (a baseline); PARLEY_PROFILE_VIEWS=1 adds JFR's own hot-method and allocation views.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
pick_jdk
. bench/wrk-check.sh
WORKFLOW=${1:-wf_bench_one_agent}
SECS=${2:-20}
CONNS=${3:-32}
SCRIPT=${4:-bench/turns.lua}
PORT=${PARLEY_BENCH_PORT:-18084}
DATA=$(mktemp -d /tmp/parley-profile-XXXXXX)
[ -f web/target/parley.jar ] || ./mvnw -q -DskipTests package
PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR=$DATA PARLEY_SECRET_TTL=86400 PARLEY_MODEL_PROVIDER=echo \
  PARLEY_WORKFLOWS_DIR=bench/workflows PARLEY_WORKFLOW="$WORKFLOW" \
  PARLEY_RATE_LIMIT_USER=0 PARLEY_RATE_LIMIT_IP=0 PARLEY_MAX_THREADS_PER_USER=0 \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+FlightRecorder -jar "${PARLEY_BENCH_JAR:-web/target/parley.jar}" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
export PARLEY_BENCH_SECRET=$(curl -s -X POST "http://127.0.0.1:$PORT/api/chatkit/session" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
wrk -t2 -c"$CONNS" -d10s -s bench/turns.lua "http://127.0.0.1:$PORT/chatkit" > /dev/null   # warm-up, not recorded
"$JAVA_HOME/bin/jcmd" $SERVER JFR.start name=turns settings=profile ${PARLEY_PROFILE_JFR_OPTS:-} filename="$DATA/turns.jfr" > /dev/null
read -r USER0 SYS0 < <(awk '{print $14, $15}' /proc/$SERVER/stat)
wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$SCRIPT" "http://127.0.0.1:$PORT/chatkit" | tee "$DATA/wrk.txt" | grep -E 'requests in|Requests/sec'
wrk_ok "$DATA/wrk.txt"
read -r USER1 SYS1 < <(awk '{print $14, $15}' /proc/$SERVER/stat)
"$JAVA_HOME/bin/jcmd" $SERVER JFR.stop name=turns > /dev/null
echo "server CPU per request: $(awk -v u=$((USER1 - USER0)) -v s=$((SYS1 - SYS0)) \
  -v n="$(awk '/requests in/ {print $1}' "$DATA/wrk.txt")" -v hz="$(getconf CLK_TCK)" \
  'BEGIN {printf "%.0f us (%.0f user, %.0f kernel)", (u + s) / hz / n * 1e6, u / hz / n * 1e6, s / hz / n * 1e6}') \
  (load average $(cut -d' ' -f1 /proc/loadavg))"
python3 bench/jfr_breakdown.py "$DATA/turns.jfr"
if [ -n "${PARLEY_PROFILE_VIEWS:-}" ]; then
  for view in hot-methods allocation-by-site contention-by-site; do
    "$JAVA_HOME/bin/jfr" view --width 200 --truncate beginning "$view" "$DATA/turns.jfr" || true
  done
fi
[ -n "${PARLEY_PROFILE_KEEP:-}" ] && cp "$DATA/turns.jfr" "$PARLEY_PROFILE_KEEP" && echo "recording kept in $PARLEY_PROFILE_KEEP"
