# Sourced by ./mvnw before Maven starts: OnePG needs JDK 25, and an older JVM must get a clear
# message instead of failing on a JVM option it does not know.
onepg_required_java=25

if [ -n "${JAVA_HOME-}" ]; then
  onepg_java="$JAVA_HOME/bin/java"
  onepg_java_source="JAVA_HOME=$JAVA_HOME"
else
  onepg_java="$(command -v java || true)"
  onepg_java_source="the java on PATH"
fi
if [ -z "$onepg_java" ] || [ ! -x "$onepg_java" ]; then
  printf 'OnePG needs a JDK %s or newer, and %s has no java.\nInstall a JDK %s and point JAVA_HOME at it, for example:\n  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64\n' \
    "$onepg_required_java" "$onepg_java_source" "$onepg_required_java" >&2
  exit 1
fi
onepg_java_version="$("$onepg_java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
onepg_java_major="${onepg_java_version#1.}"
onepg_java_major="${onepg_java_major%%.*}"
case "$onepg_java_major" in '' | *[!0-9]*) onepg_java_major=0 ;; esac
if [ "$onepg_java_major" -lt "$onepg_required_java" ]; then
  printf 'OnePG needs a JDK %s or newer, but %s (%s) is Java %s.\nInstall a JDK %s and point JAVA_HOME at it, for example:\n  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64\n' \
    "$onepg_required_java" "$onepg_java" "$onepg_java_source" "${onepg_java_version:-of an unknown version}" "$onepg_required_java" >&2
  exit 1
fi
# Maven's own libraries use sun.misc.Unsafe; JDK 24+ warns about that unless told otherwise.
MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS-}"
export MAVEN_OPTS
