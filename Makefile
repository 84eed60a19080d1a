# The two commands the README promises: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint audit typecheck format serve clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ValueScout needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	# setuptools too: the one ensurepip bundles with 3.11 (65.5) has known, since fixed CVEs
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

## demo: install, create the demo company in an embedded SQLite database, serve the app
demo: $(VENV)/.installed
	$(BIN)/valuescout demo

# Test processes (pytest-xdist): one per CPU, at most 4; `make test PYTEST_WORKERS=0` runs one.
# Browser tests stay together on one worker (xdist_group "e2e"): one server, one Chromium.
PYTEST_WORKERS ?= auto

## test: install dev tools, run lint (ruff, format, mypy, import contracts), the dependency
## audit and the whole suite
test: lint audit
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses=4 --dist loadgroup

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

## audit: known vulnerabilities in the installed dependencies, from the package index's JSON.
## Fails on a vulnerable package (unless dependency-audit-ignore.txt lists it with a reason);
## only warns when the index cannot be reached (exit 2), so an offline run still tests.
audit: $(VENV)/.installed-dev
	@status=0; $(BIN)/python scripts/audit_dependencies.py || status=$$?; \
	if [ $$status -eq 2 ]; then echo "WARNING: dependency audit incomplete (index unreachable)"; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
