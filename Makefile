# Conduct: one target per habit. `make demo` and `make test` are the two set-up commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# PostgreSQL and Redis for the second run of the suite (CI has both on these addresses).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/conduct
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
# The on-call benchmark's second run, on Redis (a database of its own).
REDIS_BENCH_URL ?= redis://127.0.0.1:6379/6
# The reports benchmark's PostgreSQL run: a database of its own, emptied each run (bench_*).
PG_BENCH_URL ?= postgres://postgres@127.0.0.1:5432/bench_reports
# The page benchmark's PostgreSQL runs: a database of its own, emptied each run (bench_*).
PG_PAGES_URL ?= postgres://postgres@127.0.0.1:5432/bench_pages
# Its multi-process run: uvicorn with a worker per core (docs/deploy.md).
BENCH_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# 0 leaves out the page benchmark's runs on five years of history (about ten minutes each).
BENCH_PAGES_HISTORY ?= 1
# Services and selectors are type-checked (STYLE.md).
TYPED = $(wildcard */services.py */selectors.py */services/*.py */selectors/*.py) conduct/roles.py

.PHONY: demo serve system-packages test test-sqlite test-postgres lint format migrations-check bench chromium clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Conduct needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

## system-packages: Debian's Pango for PDFs (WeasyPrint), installed when missing and we are root
system-packages:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else echo "!! Pango is missing: PDFs (registers, letters) need 'apt-get install libpango-1.0-0 libpangoft2-1.0-0'"; fi; }

## demo: install, migrate SQLite, load the demo school when empty, and serve on $(HOST):$(PORT)
## with the worker (digest, messages) beside the web server
demo: $(VENV)/.installed system-packages
	$(PY) manage.py migrate --no-input -v0
	PORT=$(PORT) $(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input -v0
	@echo "Serving Conduct on http://$(HOST):$(PORT)/ with the worker beside it (Ctrl-C stops both)"
	@# The demo school signs in with the printed logins alone: two-factor sign-in is off here
	@# (CONDUCT_REQUIRE_2FA, on by default everywhere else; docs/security.md).
	CONDUCT_REQUIRE_2FA=0 $(PY) bin/serve_with_worker.py --host $(HOST) --port $(PORT)

## test: lint, migrations check, and the whole suite on SQLite then PostgreSQL + Redis
test: $(VENV)/.installed system-packages chromium lint migrations-check test-sqlite test-postgres

test-sqlite: $(VENV)/.installed
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	@if $(PY) bin/service_up.py "$(PG_TEST_URL)"; then \
	  echo "== the suite again on PostgreSQL ($(PG_TEST_URL)) with Redis ($(REDIS_TEST_URL)) =="; \
	  DATABASE_URL="$(PG_TEST_URL)" REDIS_URL="$(REDIS_TEST_URL)" $(PY) -m pytest $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $(PG_TEST_URL): CI must test on it"; exit 1; \
	else echo "!! PostgreSQL not reachable at $(PG_TEST_URL): the PostgreSQL run was SKIPPED"; fi

## chromium: Debian's chromium for the browser tests (installed when missing and we are root)
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "!! chromium is missing and we are not root: browser tests will be skipped (apt-get install chromium)"; fi; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(TYPED)

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(VENV)/.installed
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run

## bench: every benchmark in bench/ (about an hour; BENCH_PAGES_HISTORY=0 saves 20 min); figures in bench/RESULTS.md
bench: $(VENV)/.installed
	$(PY) bench/bench_import.py
	$(PY) bench/bench_zipbomb.py
	$(PY) bench/bench_on_call.py
	@if $(PY) bin/service_up.py "$(REDIS_BENCH_URL)"; then \
	  $(PY) bench/bench_on_call.py --redis "$(REDIS_BENCH_URL)"; \
	else echo "!! Redis not reachable at $(REDIS_BENCH_URL): the on-call benchmark on Redis was SKIPPED"; fi
	$(PY) bench/bench_reports.py
	@if $(PY) bin/service_up.py "$(PG_BENCH_URL)"; then \
	  $(PY) bench/bench_reports.py --postgres "$(PG_BENCH_URL)"; \
	else echo "!! PostgreSQL not reachable at $(PG_BENCH_URL): the reports benchmark on PostgreSQL was SKIPPED"; fi
	$(PY) bench/bench_pages.py
	$(PY) bench/bench_sweep.py --results bench/RESULTS.md
	@if [ "$(BENCH_PAGES_HISTORY)" = 1 ]; then $(PY) bench/bench_pages.py --history; fi
	@if $(PY) bin/service_up.py "$(PG_PAGES_URL)"; then \
	  $(PY) bench/bench_pages.py --postgres "$(PG_PAGES_URL)" && \
	  if [ "$(BENCH_PAGES_HISTORY)" = 1 ]; then $(PY) bench/bench_pages.py --postgres "$(PG_PAGES_URL)" --history; fi; \
	else echo "!! PostgreSQL not reachable at $(PG_PAGES_URL): the page benchmark on PostgreSQL was SKIPPED"; fi
	@if $(PY) bin/service_up.py "$(PG_PAGES_URL)" && $(PY) bin/service_up.py "$(REDIS_BENCH_URL)"; then \
	  $(PY) bench/bench_pages.py --server uvicorn --workers $(BENCH_WORKERS) --postgres "$(PG_PAGES_URL)" --redis "$(REDIS_BENCH_URL)"; \
	else echo "!! PostgreSQL or Redis not reachable ($(PG_PAGES_URL), $(REDIS_BENCH_URL)): the multi-process page benchmark (uvicorn × $(BENCH_WORKERS)) was SKIPPED"; fi

clean:
	rm -rf var/ .pytest_cache
