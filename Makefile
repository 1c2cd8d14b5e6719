# Two commands do all set-up on a fresh machine:
#   make demo   install into .venv and run the morning diagnosis on sample_data/
#   make test   install into .venv (with test extras) and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo demo-week test install install-test bench bench-full clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	$(BIN)/shopdoc diagnose sample_data --config sample_data/shopdoc.yaml --no-history

# The demo with a week of history behind it: 11-16 … 11-21 run quietly into a scratch history, then
# 11-22 printed (what is new today, what has been open for days, old problems in one line).
DEMO_HISTORY := .demo-history.sqlite3
demo-week: install
	rm -f $(DEMO_HISTORY)
	for day in 16 17 18 19 20 21; do \
	  $(BIN)/shopdoc diagnose sample_data --config sample_data/shopdoc.yaml --history $(DEMO_HISTORY) \
	    --date 2026-11-$$day --quiet > /dev/null || exit 1; done
	$(BIN)/shopdoc diagnose sample_data --config sample_data/shopdoc.yaml --history $(DEMO_HISTORY) --date 2026-11-22

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
