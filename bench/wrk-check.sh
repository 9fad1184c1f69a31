# Sourced by the bench scripts: wrk_ok FILE fails the run when wrk's output in FILE reports answers that were not
# 2xx or 3xx (the Lua scripts have no response callback, which would cost wrk CPU on every turn; see turns.lua).
wrk_ok() {
  if grep -q 'Non-2xx or 3xx responses' "$1"; then
    echo "the server answered with errors during the measurement:" >&2
    grep 'Non-2xx or 3xx responses' "$1" >&2
    exit 1
  fi
}
