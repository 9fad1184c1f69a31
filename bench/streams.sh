#!/usr/bin/env bash
# Many chat streams open at once: the server's memory while N clients each hold a streamed turn open.
# Every turn is a threads.create whose reply the echo provider paces at PACE ms per piece (22 pieces), so each
# stream stays open about 22 × PACE ms; wrk keeps N connections busy for SECS seconds.
# Usage: bench/streams.sh [streams] [seconds] [pace_ms] [heap]   (needs wrk: apt-get install -y wrk)
# heap is an -Xmx value, or `default` (the default) for the JVM's own sizing, as `./parley` starts it.
# PARLEY_BENCH_JAR=path runs another build (a baseline).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
pick_jdk
. bench/wrk-check.sh
STREAMS=${1:-10000}
SECS=${2:-60}
PACE=${3:-1000}
HEAP=${4:-default}
HEAP_OPT=()
[ "$HEAP" = default ] || HEAP_OPT=("-Xmx$HEAP")
PORT=${PARLEY_BENCH_PORT:-18081}
DATA=$(mktemp -d /tmp/parley-streams-XXXXXX)
ulimit -n "$(ulimit -Hn)"   # each side holds one descriptor per stream
[ -f web/target/parley.jar ] || ./mvnw -q -DskipTests package
PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR=$DATA PARLEY_SECRET_TTL=86400 PARLEY_MODEL_PROVIDER=echo \
  PARLEY_ECHO_PACE_MS=$PACE PARLEY_RATE_LIMIT_USER=0 PARLEY_RATE_LIMIT_IP=0 PARLEY_MAX_THREADS_PER_USER=0 \
  PARLEY_MAX_CONNECTIONS_PER_ADDRESS=0 \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${HEAP_OPT[@]}" -jar "${PARLEY_BENCH_JAR:-web/target/parley.jar}" > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
export PARLEY_BENCH_SECRET=$(curl -s -X POST "http://127.0.0.1:$PORT/api/chatkit/session" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
echo "idle RSS: $(ps -o rss= -p $SERVER | awk '{printf "%.0f MiB", $1/1024}')"

wrk -t2 -c"$STREAMS" -d"${SECS}s" --timeout 120s --latency -s bench/turns.lua "http://127.0.0.1:$PORT/chatkit" > "$DATA/wrk.txt" &
WRK=$!
PEAK_RSS=0; PEAK_OPEN=0
while kill -0 $WRK 2>/dev/null; do
  RSS=$(ps -o rss= -p $SERVER | tr -d ' ')
  OPEN=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
  [ "$RSS" -gt "$PEAK_RSS" ] && PEAK_RSS=$RSS
  [ "$OPEN" -gt "$PEAK_OPEN" ] && PEAK_OPEN=$OPEN
  sleep 1
done
wait $WRK || true
cat "$DATA/wrk.txt"
wrk_ok "$DATA/wrk.txt"
echo "peak open connections to the server: $PEAK_OPEN"
echo "peak server RSS: $(awk -v r=$PEAK_RSS 'BEGIN {printf "%.0f MiB", r/1024}') (heap: $HEAP)"
grep -c "SEVERE\|ERROR" "$DATA/server.log" | sed 's/^/server log errors: /' || true
