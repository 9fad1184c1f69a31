#!/usr/bin/env bash
# The cost of observability on a streamed turn: server CPU per turn with metrics and tracing both off, against
# metrics on and every turn traced (OTEL_TRACES_SAMPLER=always_on, spans exported over OTLP to a local sink).
#
# Two servers run side by side (one per setting, same jar, each its own SQLite data directory) and wrk drives them
# in alternating slices: OFF for SLICE seconds, then ON, CYCLES times. Each server's CPU is read from /proc over the
# whole measurement, idle time included (the exporter's batches leave after a slice ends), and divided by the
# turns it served. Alternating slices of a few seconds put both servers under the same background load, which on a
# shared machine varies far more than the effect measured; whole runs one after the other do not.
#
# Usage: bench/observability.sh [cycles] [slice seconds] [connections]      (needs wrk and python3)
# PARLEY_BENCH_ON / PARLEY_BENCH_OFF replace an arm's settings; PARLEY_BENCH_ON_JAR / PARLEY_BENCH_OFF_JAR run an arm
# from another build, so two builds can be compared with the same settings (the sink listens on 14318).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
pick_jdk
. bench/wrk-check.sh
CYCLES=${1:-20}
SLICE=${2:-5}
CONNS=${3:-16}
OFF_PORT=${PARLEY_BENCH_OFF_PORT:-18181}
ON_PORT=${PARLEY_BENCH_ON_PORT:-18182}
SINK_PORT=${PARLEY_BENCH_SINK_PORT:-14318}
[ -f web/target/parley.jar ] || ./mvnw -q -DskipTests package
OFF_JAR=${PARLEY_BENCH_OFF_JAR:-web/target/parley.jar}
ON_JAR=${PARLEY_BENCH_ON_JAR:-web/target/parley.jar}
WORK=$(mktemp -d /tmp/parley-obs-bench-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 bench/otlp-sink.py "$SINK_PORT" 2> "$WORK/sink.log" &
PIDS+=($!)

# The access log is off on both: this measures metrics and tracing, not a log line per request.
start() {   # start NAME PORT JAR ENV...
  local name=$1 port=$2 jar=$3
  shift 3
  mkdir -p "$WORK/$name"
  env -u OTEL_EXPORTER_OTLP_ENDPOINT "$@" PARLEY_PORT="$port" PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR="$WORK/$name" \
    PARLEY_SECRET_TTL=86400 PARLEY_MODEL_PROVIDER=echo PARLEY_RATE_LIMIT_USER=0 PARLEY_RATE_LIMIT_IP=0 \
    PARLEY_MAX_THREADS_PER_USER=0 PARLEY_ACCESS_LOG=false \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -jar "$jar" \
    > "$WORK/$name/server.log" 2>&1 &
  PIDS+=($!)
  echo $! > "$WORK/$name.pid"
}
# shellcheck disable=SC2086
start off "$OFF_PORT" "$OFF_JAR" ${PARLEY_BENCH_OFF:-PARLEY_METRICS=false}
# PARLEY_BENCH_ON="PARLEY_METRICS=true" (say) measures one part alone.
# shellcheck disable=SC2086
start on "$ON_PORT" "$ON_JAR" ${PARLEY_BENCH_ON:-PARLEY_METRICS=true OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$SINK_PORT OTEL_TRACES_SAMPLER=always_on}
OFF_PID=$(cat "$WORK/off.pid")
ON_PID=$(cat "$WORK/on.pid")
for port in "$OFF_PORT" "$ON_PORT"; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the server on $port did not start"; exit 1; }
done
secret() { curl -s -X POST "http://127.0.0.1:$1/api/chatkit/session" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/'; }
OFF_SECRET=$(secret "$OFF_PORT")
ON_SECRET=$(secret "$ON_PORT")

drive() {   # drive PORT SECRET SECONDS -> turns served
  local out; out=$(mktemp)
  PARLEY_BENCH_SECRET=$2 wrk -t1 -c"$CONNS" -d"$3s" -s bench/turns.lua "http://127.0.0.1:$1/chatkit" > "$out"
  (wrk_ok "$out") || { rm -f "$out"; kill $$; exit 1; }
  awk '/requests in/ {print $1}' "$out"; rm -f "$out"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Warm-up: the JIT compiles the turn's path on both before anything is counted.
for _ in 1 2 3; do drive "$OFF_PORT" "$OFF_SECRET" 10 > /dev/null; drive "$ON_PORT" "$ON_SECRET" 10 > /dev/null; done

OFF_TURNS=0
ON_TURNS=0
OFF_START=$(ticks "$OFF_PID")
ON_START=$(ticks "$ON_PID")
for cycle in $(seq 1 "$CYCLES"); do
  off_before=$(ticks "$OFF_PID"); on_before=$(ticks "$ON_PID")
  off=$(drive "$OFF_PORT" "$OFF_SECRET" "$SLICE")
  on=$(drive "$ON_PORT" "$ON_SECRET" "$SLICE")
  sleep 1   # lets the last batch of spans leave within the cycle
  off_cpu=$(( $(ticks "$OFF_PID") - off_before )); on_cpu=$(( $(ticks "$ON_PID") - on_before ))
  OFF_TURNS=$((OFF_TURNS + off)); ON_TURNS=$((ON_TURNS + on))
  awk -v c="$cycle" -v a="$off" -v b="$on" -v ca="$off_cpu" -v cb="$on_cpu" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    printf "cycle %2d: off %5d turns %5.0f µs/turn | on %5d turns %5.0f µs/turn\n", c, a, ca / hz / a * 1e6, b, cb / hz / b * 1e6 }'
done
OFF_CPU=$(( $(ticks "$OFF_PID") - OFF_START ))
ON_CPU=$(( $(ticks "$ON_PID") - ON_START ))
HZ=$(getconf CLK_TCK)
awk -v a="$OFF_TURNS" -v b="$ON_TURNS" -v ca="$OFF_CPU" -v cb="$ON_CPU" -v hz="$HZ" -v s="$SLICE" -v n="$CYCLES" 'BEGIN {
  off = ca / hz / a * 1e6; on = cb / hz / b * 1e6
  printf "off: %d turns (%.0f turns/s), %.0f µs server CPU per turn\n", a, a / (s * n), off
  printf "on:  %d turns (%.0f turns/s), %.0f µs server CPU per turn\n", b, b / (s * n), on
  printf "CPU per turn with metrics and tracing on: %+.1f%%\n", (on - off) / off * 100 }'
curl -s "http://127.0.0.1:$ON_PORT/healthz" > /dev/null
kill "${PIDS[0]}" 2>/dev/null; wait "${PIDS[0]}" 2>/dev/null || true
cat "$WORK/sink.log"
