# Build/test entry points for the cable archive.  Requires GNU make and Python >= 3.12.
#
#   make install        create .venv (Python >= 3.12) and install the project + dev tools
#   make run            migrate, import fixtures/seeds, serve on http://127.0.0.1:8000
#   make lint           ruff check + ruff format --check
#   make format         ruff format + ruff check --fix
#   make test           lint, migrations check, tests on SQLite and on PostgreSQL
#   make test-sqlite    tests on SQLite only
#   make test-postgres  tests on a throw-away PostgreSQL (or $$DATABASE_URL if set)
#   make clean          remove .venv, db.sqlite3, staticfiles and caches
#
# Extra pytest arguments: make test-sqlite PYTEST_ARGS="-k parser -x"

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

# Settings needed by every Django command run from the test targets.
TEST_ENV := DJANGO_SECRET_KEY=test-insecure-key
DEV_ENV  := DJANGO_DEBUG=1 DJANGO_SECRET_KEY=dev-insecure-key DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: install run lint format test test-sqlite test-postgres check-migrations clean

install: $(STAMP)

# (Re)create the venv if it is missing or its Python is older than 3.12, then install.
# The stamp is newer than pyproject.toml after a successful install, so this is skipped
# until pyproject.toml changes.
$(STAMP): pyproject.toml
	@if [ -x $(PYTHON) ] && $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Using existing $(VENV) ($$($(PYTHON) --version))"; \
	else \
		py=$$(bash scripts/find-python.sh) || exit 1; \
		rm -rf $(VENV); \
		echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
		"$$py" -m venv $(VENV); \
	fi
	$(PYTHON) -m pip install --disable-pip-version-check --quiet -e '.[dev]'
	@touch $@

run: install
	export $(DEV_ENV); \
	$(PYTHON) manage.py migrate --noinput; \
	$(PYTHON) manage.py import_cables fixtures/seeds; \
	exec $(PYTHON) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: install
	env -u DATABASE_URL $(TEST_ENV) $(PYTHON) manage.py makemigrations --check --dry-run

test-sqlite: install
	env -u DATABASE_URL $(TEST_ENV) $(PYTHON) -m pytest $(PYTEST_ARGS)

test-postgres: install
	env $(TEST_ENV) bash scripts/with-postgres.sh $(PYTHON) -m pytest $(PYTEST_ARGS)

# Sequential on purpose (even under make -j): lint, migrations, SQLite, PostgreSQL.
test: install
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check-migrations
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm staticfiles \
		.pytest_cache .ruff_cache build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
