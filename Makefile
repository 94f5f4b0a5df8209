# The two commands of the README's quick start: `make run` and `make test`.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: run test build setup clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

## Runs the controller on embedded defaults: a private broker, the sample commune, local audio.
run: build
	$(SWIFT) run $(BUILD_FLAGS) loa serve --device-configs device-configs

## Runs the whole test suite against real mosquitto, ALSA and SQLite.
test: setup
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)

clean:
	rm -rf .build .loa
