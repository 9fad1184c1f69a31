#!/usr/bin/env bash
# Streamed chat turns per second against a real Parley server with SQLite persistence on.
# Usage: bench/turns.sh [connections] [seconds]      (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
pick_jdk
. bench/wrk-check.sh
CONNS=${1:-32}
SECS=${2:-15}
PORT=${PARLEY_BENCH_PORT:-18080}
DATA=$(mktemp -d /tmp/parley-bench-XXXXXX)
[ -f web/target/parley.jar ] || ./mvnw -q -DskipTests package
PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR=$DATA PARLEY_SECRET_TTL=86400 PARLEY_MODEL_PROVIDER=${PARLEY_BENCH_PROVIDER:-echo} PARLEY_RATE_LIMIT_USER=0 PARLEY_RATE_LIMIT_IP=0 PARLEY_MAX_THREADS_PER_USER=0 \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g ${PARLEY_BENCH_JAVA_OPTS:-} -jar web/target/parley.jar > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
export PARLEY_BENCH_SECRET=$(curl -s -X POST "http://127.0.0.1:$PORT/api/chatkit/session" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')

# One turn by hand, to show what is measured.
EVENTS=$(curl -sN "http://127.0.0.1:$PORT/chatkit" -H "Authorization: Bearer $PARLEY_BENCH_SECRET" \
  -H 'Content-Type: application/json' -d "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" bench/turns.lua)$(sed -n "s/^  \.\. '\(.*\)'$/\1/p" bench/turns.lua | tr -d '\n')" \
  | grep -c '^data: ' || true)
DELTAS=$(curl -sN "http://127.0.0.1:$PORT/chatkit" -H "Authorization: Bearer $PARLEY_BENCH_SECRET" \
  -H 'Content-Type: application/json' -d "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" bench/turns.lua)$(sed -n "s/^  \.\. '\(.*\)'$/\1/p" bench/turns.lua | tr -d '\n')" \
  | grep -c 'text_delta' || true)
echo "one turn = $EVENTS SSE events, $DELTAS of them text deltas"

wrk -t2 -c"$CONNS" -d5s -s bench/turns.lua "http://127.0.0.1:$PORT/chatkit" > /dev/null   # warm-up
cpu_ticks() { awk '{print $14 + $15}' /proc/$SERVER/stat; }
BEFORE=$(cpu_ticks)
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/turns.lua "http://127.0.0.1:$PORT/chatkit" | tee "$DATA/wrk.txt"
wrk_ok "$DATA/wrk.txt"
AFTER=$(cpu_ticks)
TURNS=$(awk '/requests in/ {print $1}' "$DATA/wrk.txt")
echo "server CPU per turn: $(awk -v t=$((AFTER - BEFORE)) -v n=$TURNS -v hz=$(getconf CLK_TCK) 'BEGIN {printf "%.0f µs", t / hz / n * 1e6}')"
echo "server RSS: $(ps -o rss= -p $SERVER | awk '{printf "%.0f MiB", $1/1024}')"
echo "threads stored: $(ls -la "$DATA"/parley.db* | awk '{s+=$5} END {printf "%.1f MiB on disk", s/1048576}')"
