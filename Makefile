# Two commands on a fresh machine (CONTRACT §1): `make demo` and `make test`.
# Both install exactly the versions in the lock files (hash-checked), then the project itself with --no-deps.
# After changing a dependency in pyproject.toml: `make lock` (keeps every other pin), then commit both lock files.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

OTHER_PYTHONS := 3.12 3.13

.PHONY: demo test test-slow test-render lint typecheck pytest bench clean lock container-test replicas-test test-pythons

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP) $@

demo: $(STAMP)
	$(BIN)/aftercare demo

test: $(DEV_STAMP) lint typecheck pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check bot handlers storage tests bench examples tools

typecheck: $(DEV_STAMP)
	$(BIN)/mypy bot handlers storage tests bench tools

pytest: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not render and not replicas and not container"

# Whole processes and long runs (marker slow): the 10,000-request fuzz of every door, the built wheel installed in a
# fresh venv, workers stopped by SIGTERM and killed by SIGKILL, real paces, `aftercare serve`. About 6 minutes;
# .ci/run runs it after `make test`.
test-slow: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "slow and not render and not replicas and not container"

# The reports looked at as a person would (LibreOffice, Chromium, axe-core): slower, so separate; .ci/run runs it.
test-render: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m render

# Two and three workers on one PostgreSQL against the fakes, timing-sensitive (minutes; .ci/run runs it after `make test`).
replicas-test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -s -m replicas tests/delivery

# Builds the container image with podman and runs it (minutes; .ci/run runs it after `make test`).
container-test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -s -m container tests/deploy

# `make test`'s tests on the other supported Pythons (3.11 is `make test`'s): `.venv-3.12` and `.venv-3.13`, each
# installed from the same lock files. The interpreters come from PATH or pyenv (tools/python-for.sh); a missing one is an error.
test-pythons: $(foreach v,$(OTHER_PYTHONS),.venv-$(v)/.installed-dev)
	@for v in $(OTHER_PYTHONS); do \
		echo "== pytest on Python $$v"; \
		.venv-$$v/bin/python -m pytest -q -m "not slow and not render and not replicas and not container" || exit 1; \
	done

.venv-%/.installed-dev: pyproject.toml requirements-dev.lock
	python="$$(tools/python-for.sh $*)" && rm -rf .venv-$* && "$$python" -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --upgrade pip==25.3
	.venv-$*/bin/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	.venv-$*/bin/python -m pip install --quiet --no-deps -e .
	touch $@

bench: $(DEV_STAMP)
	$(BIN)/python -m bench.commands

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements-dev.lock

clean:
	rm -rf $(VENV) $(foreach v,$(OTHER_PYTHONS),.venv-$(v)) demo-output .mypy_cache .ruff_cache
