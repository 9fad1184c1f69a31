#!/usr/bin/env bash
# The cost of observability on a streamed turn: bench/turns.sh with metrics and tracing both off, then with
# metrics on and every turn traced (OTEL_TRACES_SAMPLER=always_on, spans exported over OTLP to a local sink),
# alternating, ROUNDS times each. Prints each run's turns/s and server CPU per turn, then the medians.
# Usage: bench/observability.sh [rounds] [connections] [seconds]     (needs wrk and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
CONNS=${2:-32}
SECS=${3:-15}
SINK_PORT=${PARLEY_BENCH_SINK_PORT:-14318}
[ -f web/target/parley.jar ] || ./mvnw -q -DskipTests package
python3 bench/otlp-sink.py "$SINK_PORT" &
SINK=$!
trap 'kill $SINK 2>/dev/null; wait $SINK 2>/dev/null' EXIT
OUT=$(mktemp -d /tmp/parley-obs-bench-XXXXXX)
# The access log is off in both arms: this measures metrics and tracing, not a log line per request.
run() {   # run NAME ROUND [TRY]
  local name=$1 round=$2 try=${3:-1}
  if [ "$name" = off ]; then
    env -u OTEL_EXPORTER_OTLP_ENDPOINT PARLEY_METRICS=false PARLEY_ACCESS_LOG=false \
      bench/turns.sh "$CONNS" "$SECS" > "$OUT/$name-$round.txt" 2>&1 || true
  else
    env PARLEY_METRICS=true PARLEY_ACCESS_LOG=false OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" \
      OTEL_TRACES_SAMPLER=always_on bench/turns.sh "$CONNS" "$SECS" > "$OUT/$name-$round.txt" 2>&1 || true
  fi
  # turns.sh ends with the status of the server it stops; a run counts when it printed its figures.
  local tps cpu
  tps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name-$round.txt")
  cpu=$(awk '/server CPU per turn/ {print $5}' "$OUT/$name-$round.txt")
  if [ -z "$tps" ] || [ -z "$cpu" ]; then
    # On a busy machine the server can take longer to start than turns.sh waits for it: try again, twice.
    [ "$try" -lt 3 ] || { echo "$name round $round failed: see $OUT/$name-$round.txt"; exit 1; }
    run "$name" "$round" $((try + 1))
    return
  fi
  echo "$name round $round: $tps turns/s, $cpu µs server CPU per turn"
  echo "$name $tps $cpu" >> "$OUT/all.txt"
}
for round in $(seq 1 "$ROUNDS"); do
  run off "$round"
  run on "$round"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
OFF_CPU=$(awk '$1 == "off" {print $3}' "$OUT/all.txt" | median)
ON_CPU=$(awk '$1 == "on" {print $3}' "$OUT/all.txt" | median)
OFF_TPS=$(awk '$1 == "off" {print $2}' "$OUT/all.txt" | median)
ON_TPS=$(awk '$1 == "on" {print $2}' "$OUT/all.txt" | median)
echo "median off: $OFF_TPS turns/s, $OFF_CPU µs/turn; on: $ON_TPS turns/s, $ON_CPU µs/turn"
awk -v a="$OFF_CPU" -v b="$ON_CPU" 'BEGIN {printf "CPU per turn with metrics and tracing on: %+.1f%%\n", (b - a) / a * 100}'
echo "(run outputs in $OUT)"
