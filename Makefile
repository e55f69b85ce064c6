# The README's two commands: `make run` and `make test`. `make bench` prints benchmark figures.
# Each first installs what is missing (scripts/deps.sh), so a fresh Debian 12 machine needs nothing else.

.PHONY: run test bench

test:
	@scripts/deps.sh
	scripts/mvn.sh verify

run:
	@scripts/deps.sh
	scripts/mvn.sh --quiet install -DskipTests
	@scripts/run.sh

bench:
	@scripts/deps.sh
	scripts/bench.sh
