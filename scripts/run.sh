#!/bin/sh
# `make run` after the build: starts the platform with its embedded defaults.
set -eu
cd "$(dirname "$0")/.."
cat <<'MSG'
Built: the libraries error, exver and patchdb.
There is nothing to run yet: the daemon (startd) arrives with the issue "The daemon's core".
`make test` runs every test; `make bench` prints the benchmark figures.
MSG
