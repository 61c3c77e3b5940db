# quizapp: `make run` serves the app, `make test` runs the whole suite.
# Both set up everything they need on a fresh machine and are quick when run again.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint audit lock install install-test browser clean

run: install
	$(BIN)/quizapp db upgrade
	$(BIN)/quizapp data load
	@echo "quizapp is serving on http://$(HOST):$(PORT)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py "quizapp.app:create_app()"

# The suite runs in one pytest worker process per core (pytest-xdist), each with databases
# of its own; `make test TEST_WORKERS=0` runs it in one process, as `pytest FILE` does.
TEST_WORKERS ?= auto
test: install-test browser
	$(BIN)/ruff check quizapp tests benchmarks
	$(BIN)/bandit --quiet --recursive quizapp --exclude quizapp/migrations --severity-level high
	$(BIN)/pytest --numprocesses $(TEST_WORKERS) --dist loadgroup

lint: install-test
	$(BIN)/ruff check quizapp tests benchmarks
	$(BIN)/ruff format --check quizapp tests benchmarks

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Dependencies come from the lock files, every file checked against its sha256; quizapp
# itself is installed on top without touching them. `make lock` refreshes the locks.
$(VENV)/.installed: requirements/run.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
		echo "make: requirements/*.txt lack what pyproject.toml asks for: run make lock"; exit 1; }
	touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# Pin every dependency with its hashes, for Python 3.11 on any platform. Keeps the current
# versions where pyproject.toml allows them; `make lock UPGRADE=1` takes the newest.
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	$(if $(UPGRADE),--upgrade) pyproject.toml requirements/build.in
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(LOCK) -o requirements/run.txt
	$(LOCK) --extra test -o requirements/test.txt

# Known vulnerabilities in the installed dependencies (quizapp itself is not on PyPI).
audit: install-test
	@$(BIN)/pip-audit --strict --skip-editable --progress-spinner off >$(VENV)/audit.log 2>&1; \
	status=$$?; cat $(VENV)/audit.log; \
	if [ $$status -ne 0 ] && grep -qiE "not found on PyPI|connection|resolve|timed out|unreachable" $(VENV)/audit.log; then \
		echo "make audit: NOTHING WAS CHECKED: the vulnerability data (PyPI, OSV) could not be reached."; exit 2; \
	elif [ $$status -ne 0 ]; then echo "make audit: vulnerable dependencies, listed above"; exit 1; \
	else echo "make audit: no known vulnerability in the locked dependencies"; fi

# Playwright drives Debian's chromium: its own browser download does not work offline.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tests/artifacts
