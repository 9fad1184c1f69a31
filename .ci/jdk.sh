# Sourced by ./parley and .ci/run: points JAVA_HOME at a JDK >= 21 when the default one is older.
java_major() {
  # A JDK's release file names its version; reading it is instant, where asking the JVM takes a start-up.
  local release
  release="$(dirname "$(readlink -f "$1")")/../release"
  if [ -r "$release" ] && grep -q '^JAVA_VERSION="[0-9]' "$release"; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}
pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}/bin/java" "$(command -v java 2>/dev/null)" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME=$(cd "$(dirname "$candidate")/.." && pwd)
      export JAVA_HOME
      return 0
    fi
  done
  echo "Parley needs a JDK 21 or newer; install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME." >&2
  return 1
}
