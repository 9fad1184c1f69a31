#!/usr/bin/env bash
# Start-up benchmark: how long from launching the JVM until GET /healthz answers 200, for
#   - a first start: no ahead-of-time cache, a new data folder (creates the database, indexes the knowledge base);
#   - repeated starts of the same build with the AOT cache, on the same data folder (what ./parley does);
#   - repeated starts without the cache, for comparison;
#   - ./parley itself with nothing changed (command → healthy), when its build stamp is current;
# and the size of parley.jar. Each start also reports the CPU time the process used until healthy, which varies
# far less than wall time on a shared machine; the load average is printed for the same reason.
#
#   bench/startup.sh            # RUNS=5 by default; needs web/target/parley.jar (./parley or ./mvnw -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
pick_jdk
JAVA="$JAVA_HOME/bin/java"
JAR=web/target/parley.jar
RUNS=${RUNS:-5}
PORT=${PORT:-18571}
[ -f "$JAR" ] || { echo "startup.sh: $JAR is missing; build it first (./parley, or ./mvnw -DskipTests package)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
cpu_ms() { local s; read -r -a s < "/proc/$1/stat"; echo $(( (s[13] + s[14]) * 1000 / $(getconf CLK_TCK) )); }

# start LABEL DATA_DIR [JVM options…]: launches the server, waits for /healthz, prints one line, stops it.
start() {
  local label=$1 data=$2; shift 2
  local t0 pid wall cpu
  t0=$(date +%s%N)
  PARLEY_DATA_DIR="$data" PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 \
    "$JAVA" "$@" --enable-native-access=ALL-UNNAMED -jar "$JAR" > "$work/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$pid" 2>/dev/null || { echo "startup.sh: the server exited; its log:" >&2; cat "$work/server.log" >&2; exit 1; }
    [ "$(ms_since "$t0")" -lt 120000 ] || { echo "startup.sh: not healthy after 120 s" >&2; kill "$pid"; exit 1; }
    sleep 0.01
  done
  wall=$(ms_since "$t0"); cpu=$(cpu_ms "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-44s %6d ms   (CPU %5d ms)\n' "$label" "$wall" "$cpu"
  echo "$wall" >> "$work/$label.ms"
}

summary() {
  sort -n "$work/$1.ms" | awk -v l="$1" '{a[NR]=$1} END {printf "  → %s: best %d ms, median %d ms of %d\n", l, a[1], a[int((NR+1)/2)], NR}'
}

echo "JDK: $("$JAVA" -version 2>&1 | head -n1); $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "parley.jar: $(( $(stat -c %s "$JAR") / 1048576 )) MB, $(unzip -Z1 "$JAR" | wc -l) entries"

start "first start (no cache, new data folder)" "$work/first"

t0=$(date +%s%N)
"$JAVA" -XX:AOTCacheOutput="$work/parley.aot" --enable-native-access=ALL-UNNAMED -jar "$JAR" training-run \
  > "$work/training.log" 2>&1 || { echo "startup.sh: the training run failed; its log:" >&2; cat "$work/training.log" >&2; exit 1; }
echo "training run + AOT cache: $(ms_since "$t0") ms, cache $(( $(stat -c %s "$work/parley.aot") / 1048576 )) MB"

for _ in $(seq "$RUNS"); do start "repeated start, AOT cache" "$work/first" -XX:AOTCache="$work/parley.aot" "-Xlog:aot*=error"; done
for _ in $(seq "$RUNS"); do start "repeated start, no cache" "$work/first"; done
summary "repeated start, AOT cache"
summary "repeated start, no cache"

# ./parley with nothing to build: the command a user types, until healthy (its own cache, made if missing).
if [ -f web/target/parley.jar.sources ]; then
  PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR="$work/first" ./parley > "$work/parley.log" 2>&1 < /dev/null &
  pid=$!
  # The first run after a build makes the cache; time the second, as a user's next start.
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$pid" 2>/dev/null || { echo "startup.sh: ./parley exited:" >&2; cat "$work/parley.log" >&2; exit 1; }
    sleep 0.05
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if grep -q "sources changed\|building parley.jar" "$work/parley.log"; then
    echo "./parley: it rebuilt (the sources differ from the last build); not timed"
  else
    t0=$(date +%s%N)
    PARLEY_PORT=$PORT PARLEY_HOST=127.0.0.1 PARLEY_DATA_DIR="$work/first" ./parley > "$work/parley.log" 2>&1 < /dev/null &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.01; done
    echo "./parley, nothing changed: command → healthy in $(ms_since "$t0") ms"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  fi
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
