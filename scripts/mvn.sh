#!/bin/sh
# Runs the Maven wrapper with the project's JDK 25, quietly unless asked otherwise.
set -eu
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/java-home.sh)
export JAVA_HOME
exec ./mvnw --batch-mode --no-transfer-progress "$@"
