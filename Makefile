# Two commands on a fresh machine (CONTRACT §1): `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test test-render lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

demo: $(STAMP)
	$(BIN)/aftercare demo

test: $(DEV_STAMP) lint typecheck pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check bot handlers storage tests bench examples

typecheck: $(DEV_STAMP)
	$(BIN)/mypy bot handlers storage tests bench

pytest: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not render"

# The reports looked at as a person would (LibreOffice, Chromium, axe-core): slower, so separate; .ci/run runs it.
test-render: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m render

bench: $(DEV_STAMP)
	$(BIN)/python -m bench.commands

clean:
	rm -rf $(VENV) demo-output .mypy_cache .ruff_cache
