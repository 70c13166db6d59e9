# newscrawl: `make demo` and `make test` work on a fresh machine; each creates .venv itself.
# Both install exactly the versions in requirements.lock (hash-checked), then the project itself
# without resolving again. `make lock` refreshes the lock from pyproject.toml on purpose;
# `make test-latest` runs the suite against the newest releases pyproject.toml allows.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
LATEST := .venv-latest
# The platforms and Python the lock is resolved for (one lock serves every machine of the team).
LOCK_FLAGS := --extra dev --generate-hashes --universal --python-version 3.11 --custom-compile-command 'make lock'

.PHONY: demo test test-latest lint format install lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	rm -rf *.egg-info  # a stale one in the checkout would shadow the installed metadata
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newscrawl demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/python -m pytest

# Refresh the lock from pyproject.toml (runtime, dev extras and the build backend), newest allowed.
lock: $(STAMP)
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))' > $(VENV)/build-requires.in
	$(BIN)/uv pip compile pyproject.toml $(VENV)/build-requires.in $(LOCK_FLAGS) --upgrade --quiet -o $(LOCK)
	@echo "requirements.lock refreshed: review 'git diff $(LOCK)', run 'make test', commit both."

# The canary: the newest releases that pyproject.toml allows, in a venv of their own.
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	$(LATEST)/bin/python -m pip list --format=freeze > $(LATEST)/versions.txt
	NEWSCRAWL_UNLOCKED=1 $(LATEST)/bin/python -m pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) $(LATEST) build *.egg-info .pytest_cache .ruff_cache
