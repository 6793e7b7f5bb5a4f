# Set-up and everyday commands. Only Python 3.11+ and make are needed on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# make test spreads the suite over the CPUs (pytest-xdist): 10 min instead of 18 on 2 cores.
TEST_WORKERS ?= auto
BENCH_ARGS ?=

.PHONY: install lock lint run test test-fast bench clean api-doc

# Every dependency, transitive ones included, at the version the lock file pins; then the
# project itself without resolving anything again.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make lock: recompute requirements.lock after adding or changing a dependency in pyproject.toml
lock: install
	$(BIN)/pip-compile --quiet --strip-extras --extra test --extra dev --no-emit-index-url \
		--no-emit-find-links --output-file $(LOCK) pyproject.toml

## make lint: ruff (style, imports, likely bugs), mypy (types) and import-linter (layers), as CI runs them before the tests
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

## make run: install, migrate the SQLite file, load the demo data, serve on http://127.0.0.1:8000
run: install
	$(BIN)/inventaire db upgrade
	$(BIN)/inventaire demo
	$(BIN)/inventaire serve --host $(HOST) --port $(PORT)

## make test: install and run the whole suite on every CPU (TEST_WORKERS=0: one process), see the README
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

## make test-fast: the inner loop, SQLite only and no browser (PostgreSQL and Chromium tests left out)
test-fast: install
	INVENTAIRE_TEST_BACKENDS=sqlite $(BIN)/python -m pytest -q -m "not postgres and not browser" $(PYTEST_ARGS)

## make bench: the performance benchmark (about 15 minutes; BENCH_ARGS=--quick for about 3), see BENCHMARKS.md
bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

## make api-doc: write docs/api.md from the OpenAPI schema (a test checks they agree)
api-doc: install
	$(BIN)/python -m inventaire.api_reference > docs/api.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/artifacts
