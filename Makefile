# Set-up and everyday commands. Only Python 3.11+ and make are needed on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: install run test bench clean api-doc

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate the SQLite file, load the demo data, serve on http://127.0.0.1:8000
run: install
	$(BIN)/inventaire db upgrade
	$(BIN)/inventaire demo
	$(BIN)/inventaire serve --host $(HOST) --port $(PORT)

## make test: install and run the whole suite (SQLite always, PostgreSQL and Chromium when present)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: the performance benchmark (about 15 minutes; BENCH_ARGS=--quick for about 3), see BENCHMARKS.md
bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

## make api-doc: write docs/api.md from the OpenAPI schema (a test checks they agree)
api-doc: install
	$(BIN)/python -m inventaire.api_reference > docs/api.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis tests/artifacts
