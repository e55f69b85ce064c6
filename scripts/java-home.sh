#!/bin/sh
# Prints the home of the JDK 25 the build uses: $JAVA_HOME if it is a JDK 25 or newer, else
# /usr/lib/jvm/temurin-25*. Otherwise says what to install and fails.
set -eu

is_jdk25() {
  [ -x "$1/bin/javac" ] || return 1
  major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  [ -n "$major" ] && [ "$major" -ge 25 ]
}

if [ -n "${JAVA_HOME:-}" ] && is_jdk25 "$JAVA_HOME"; then
  echo "$JAVA_HOME"
  exit 0
fi
for candidate in /usr/lib/jvm/temurin-25*; do
  if [ -d "$candidate" ] && is_jdk25 "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done
cat >&2 <<'MSG'
error: no JDK 25 found.
  Hearth builds with Java 25. Either point JAVA_HOME at a JDK 25, or install Eclipse Temurin 25
  (Debian package temurin-25-jdk from the Adoptium repository), which lands in
  /usr/lib/jvm/temurin-25-jdk-amd64 where this script looks.
MSG
exit 1
