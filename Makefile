# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo browse test test-long lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@# `scrapy browse` is tested in a real headless Chromium: the system's, as any other test dependency
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium chromium-driver; }
	@# cluster mode is tested against a real Redis: the system's redis-server
	command -v redis-server >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q redis-server; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/python -m crawler.demo $(DEMO_ARGS)

# after `make demo`: the demo archive in Datasette on http://127.0.0.1:8001 (a copy nothing writes: immutable)
browse: setup
	$(BIN)/python -m scrapy browse --immutable -s INGEST_DB_PATH=demo-news.db

lint: setup
	$(BIN)/ruff check crawler pipelines tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

test: setup lint
	$(BIN)/python -m pytest -n 2 -q

test-long: setup
	INGEST_LONG_TESTS=1 $(BIN)/python -m pytest -n 2 -q -m slow

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache demo-news.db* demo-warcs
