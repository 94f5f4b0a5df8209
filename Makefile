# The two commands of the README's quick start: `make run` and `make test`.
SWIFT ?= swift
BUILD_FLAGS ?=

.PHONY: run test build setup clean format lint fuzz fuzz-libfuzzer

setup:
	@scripts/setup

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

## The first run: the controller on its embedded broker with the sample commune, simulated receivers, and a
## Vietnamese announcement streamed to them and played locally (scripts/demo). Ctrl-C ends it.
run: build
	scripts/demo --loa "$$($(SWIFT) build $(BUILD_FLAGS) --show-bin-path)/loa"

## Runs the whole test suite against real mosquitto, ALSA and SQLite, after the formatting check.
test: setup lint
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error $(BUILD_FLAGS)
	$(SWIFT) test --skip-build --no-parallel $(BUILD_FLAGS)

## Every parser of network input over 1,000,000 generated inputs each, in a release build (issue 14; about
## 10 min on 2 cores, so not part of `make test`, which runs a 5,000-input smoke pass of the same generator).
## FUZZ_FLAGS passes options on: `make fuzz FUZZ_FLAGS="--seed 7 --parser alert"`.
FUZZ_FLAGS ?=
fuzz: setup
	$(SWIFT) build -c release --product loa-fuzz $(BUILD_FLAGS)
	"$$($(SWIFT) build -c release --show-bin-path $(BUILD_FLAGS))/loa-fuzz" $(FUZZ_FLAGS)

## The same parsers, coverage-guided: libFuzzer (`-sanitize=fuzzer`) over 1,000,000 runs each, seeded with the
## generator's inputs (scripts/libfuzzer/run; Foundation itself is not instrumented).
fuzz-libfuzzer: setup
	scripts/libfuzzer/run all -runs=1000000

## The house style (.swift-format: swift-nio's, 120 columns): `make format` applies it, `make lint` checks it.
format:
	$(SWIFT) format format --in-place --parallel --recursive Sources Tests Package.swift Benchmarks

lint:
	$(SWIFT) format lint --strict --parallel --recursive Sources Tests Package.swift Benchmarks

clean:
	rm -rf .build .loa
