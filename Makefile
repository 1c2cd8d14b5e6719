# Two commands do all set-up on a fresh machine:
#   make demo   install into .venv and run the morning diagnosis on sample_data/
#   make test   install into .venv (with test extras) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-test bench bench-full clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	$(BIN)/shopdoc diagnose sample_data --config sample_data/shopdoc.yaml --no-history

test: install-test
	$(BIN)/python -m pytest

# make bench BENCH_ARGS="--sizes 10k --large-runs 1 --skip-startup"   (see benchmarks/README.md)
BENCH_ARGS ?=
bench: install-test
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# the 300k account too (SPEC §8: still within 1.5x and under 1 GiB); a first run generates it (~3 min)
bench-full: install-test
	$(BIN)/python benchmarks/bench.py --full $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
