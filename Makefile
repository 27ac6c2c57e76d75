# Evidens: the two commands.
#
#   make run    install into .venv, migrate, load the demo, start the worker and the web server
#   make test   install what the tests need, then ruff, mypy, the Danish catalogue check and pytest
#
# Both work on a fresh Debian machine with Python 3.11; running them again is safe.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EVIDENS := $(BIN)/evidens
HOST ?= 127.0.0.1
PORT ?= 8000

# The data directory (SQLite database, secret key, uploads, analytics files).
EVIDENS_DATA_DIR ?= $(CURDIR)/var
override EVIDENS_DATA_DIR := $(abspath $(EVIDENS_DATA_DIR))
export EVIDENS_DATA_DIR

# Reinstall only when pyproject.toml changes: the stamp file carries its hash.
PYPROJECT_HASH := $(shell sha256sum pyproject.toml | cut -c1-16)
STAMP_RUN := $(VENV)/.installed-$(PYPROJECT_HASH)
STAMP_DEV := $(VENV)/.installed-dev-$(PYPROJECT_HASH)

IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo yes)
CATALOGUE := evidens/locale/da/LC_MESSAGES/django.po
# Tests get their own data directory, never the one `make run` uses.
TEST_DATA_DIR := $(CURDIR)/var/test

.PHONY: help run test pytest lint typecheck messages messages-check chromium pango gettext clean

help:
	@echo "make run             start Evidens with the demo on http://$(HOST):$(PORT)/"
	@echo "make test            ruff, mypy, catalogue check and the whole pytest suite"
	@echo "make pytest          only the pytest suite (PYTEST_ARGS=... passes options on)"
	@echo "make messages        update and compile the Danish catalogue"
	@echo "make messages-check  check that the Danish catalogue is complete and compiled"
	@echo "make clean           remove .venv and caches (keeps the data in $(EVIDENS_DATA_DIR))"

$(BIN)/python:
	@if ! $(PYTHON) -c "import ensurepip" 2>/dev/null; then \
	    if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
	        apt-get update && apt-get install -y python3-venv; \
	    else \
	        echo "$(PYTHON) cannot create virtual environments: install python3-venv (apt-get install python3-venv)" >&2; \
	        exit 1; \
	    fi; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP_RUN): | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(STAMP_DEV): | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,redis]"
	rm -f $(VENV)/.installed-*
	# The development install includes everything `make run` needs.
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN) pango
	$(EVIDENS) migrate --noinput
	$(EVIDENS) collectstatic --noinput --verbosity 0
	@# The demo goes only into an empty database; it prints its logins whenever it is there.
	$(EVIDENS) demo --if-empty
	@echo
	@echo "Evidens is starting on http://$(HOST):$(PORT)/ (the demo process: http://$(HOST):$(PORT)/p/almennet-2030/)"
	@echo "Data directory: $(EVIDENS_DATA_DIR). Stop with Ctrl-C."
	@echo
	@# Ctrl-C reaches the worker too: it finishes the job at hand (Ctrl-C again forces it).
	@$(EVIDENS) worker & worker=$$!; \
	trap 'wait $$worker 2>/dev/null || true' INT; \
	trap 'kill -TERM $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT TERM; \
	$(EVIDENS) serve --host $(HOST) --port $(PORT)

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	    if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
	        apt-get update && apt-get install -y chromium; \
	    else \
	        echo "Notice: /usr/bin/chromium is missing and we are not root; browser tests will fail." >&2; \
	    fi; \
	fi

# WeasyPrint lays out the PDF reports with Pango (LGPL system libraries, loaded at run time).
pango:
	@if ! ldconfig -p | grep -q libpangoft2-1.0; then \
	    if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
	        apt-get update && apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; \
	    else \
	        echo "Notice: Pango is missing and we are not root; PDF reports will fail (apt-get install libpangoft2-1.0-0)." >&2; \
	    fi; \
	fi

lint: $(STAMP_DEV)
	$(BIN)/ruff check evidens tests benchmarks

typecheck: $(STAMP_DEV)
	$(BIN)/mypy evidens

# GNU gettext extracts the strings (makemessages); compiling needs only polib.
gettext:
	@if ! command -v xgettext >/dev/null; then \
	    if [ "$(IS_ROOT)" = yes ] && command -v apt-get >/dev/null; then \
	        apt-get update && apt-get install -y gettext; \
	    else \
	        echo "makemessages needs GNU gettext: apt-get install gettext" >&2; exit 1; \
	    fi; \
	fi

messages-check: $(STAMP_DEV) gettext
	$(BIN)/python scripts/compile_messages.py --check

messages: $(STAMP_DEV) gettext
	cd evidens && ../$(EVIDENS) makemessages --all --no-obsolete --ignore 'static/*'
	$(BIN)/python scripts/compile_messages.py

# Every check runs even when an earlier one fails, so one run shows all problems; pytest comes last
# and its summary line ends the output. The exit status is non-zero when anything failed.
test: $(STAMP_DEV) chromium pango
	@failed=""; \
	for check in lint typecheck messages-check; do \
	    $(MAKE) --no-print-directory $$check || failed="$$failed $$check"; \
	done; \
	if [ -n "$$failed" ]; then echo "Failed:$$failed. Running the tests anyway."; fi; \
	status=0; \
	$(MAKE) --no-print-directory pytest || status=$$?; \
	if [ -n "$$failed" ] && [ "$$status" = 0 ]; then status=1; fi; \
	exit $$status

# The suite in two runs: everything except the browser tests in parallel (pytest-xdist, a test file on one
# process, so a module's servers and demo build are made once), then the
# browser tests (marked e2e) in one process, because they share one server and its database.
# No browser tests at all (pytest's exit status 5) is not a failure; no other tests is.
pytest: $(STAMP_DEV)
	@rm -rf $(TEST_DATA_DIR); \
	export EVIDENS_DATA_DIR=$(TEST_DATA_DIR); \
	status=0; \
	$(BIN)/pytest -n auto --dist loadfile -m "not e2e" $(PYTEST_ARGS) || status=$$?; \
	browser=0; \
	$(BIN)/pytest -m e2e $(PYTEST_ARGS) || browser=$$?; \
	if [ "$$browser" = 5 ]; then browser=0; fi; \
	if [ "$$status" = 0 ]; then status=$$browser; fi; \
	exit $$status

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache test-artifacts $(TEST_DATA_DIR) $(CURDIR)/var/test-pg
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	@echo "Kept the data directory $(EVIDENS_DATA_DIR)."
