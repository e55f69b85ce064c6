# The README's two commands: `make run` and `make test`. `make bench` prints benchmark figures.
# Each first installs what is missing (scripts/deps.sh), so a fresh Debian 12 machine needs nothing else.

.PHONY: run test bench

test:
	@scripts/deps.sh
	cd web && npm ci --no-audit --no-fund && npm test && npm run build
	$(MAKE) --no-print-directory -C container-runtime
	scripts/mvn.sh verify
	$(MAKE) --no-print-directory -C container-runtime test
	cd web && npm run e2e

run:
	@scripts/deps.sh
	cd web && npm ci --no-audit --no-fund && npm run build
	$(MAKE) --no-print-directory -C container-runtime
	scripts/mvn.sh --quiet install -DskipTests
	@scripts/run.sh

bench:
	@scripts/deps.sh
	scripts/bench.sh
