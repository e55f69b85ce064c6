# The README's two commands: `make run` and `make test`. `make bench` prints benchmark figures.
# Each installs what it needs first (scripts/deps.sh), so a fresh Debian 12 machine needs nothing else.

.PHONY: run test bench deps

deps:
	@scripts/deps.sh

test: deps
	scripts/mvn.sh verify

run: deps
	scripts/mvn.sh --quiet install -DskipTests
	@scripts/run.sh

bench: deps
	scripts/bench.sh
