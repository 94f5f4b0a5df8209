# The two commands of the README's quick start: `make run` and `make test`.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: run test build setup clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

## The first run: the controller on its embedded broker with the sample commune, simulated receivers, and a
## Vietnamese announcement streamed to them and played locally (scripts/demo). Ctrl-C ends it.
run: build
	scripts/demo --loa "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/loa"

## Runs the whole test suite against real mosquitto, ALSA and SQLite.
test: setup
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error $(BUILD_FLAGS)
	$(SWIFT) test --skip-build --no-parallel $(BUILD_FLAGS)

clean:
	rm -rf .build .loa
