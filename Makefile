# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-long lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	command -v redis-server || (apt-get update && apt-get install -y redis-server)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/python -m crawler.demo

lint: setup
	$(BIN)/ruff check crawler pipelines tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

test: setup lint
	$(BIN)/python -m pytest -n 2 -q

test-long: setup
	INGEST_LONG_TESTS=1 $(BIN)/python -m pytest -n 2 -q -m slow

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache demo-news.db*
