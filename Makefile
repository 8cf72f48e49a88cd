# Build/test entry points for the cable archive.  Requires GNU make and Python >= 3.12.
#
#   make install        create .venv (Python >= 3.12) and install the project + dev tools
#   make run            migrate, import fixtures/seeds, serve on http://127.0.0.1:8000
#   make lint           ruff check + ruff format --check
#   make format         ruff format + ruff check --fix
#   make test           chromium, lint, migrations check, tests on SQLite and on PostgreSQL
#   make test-sqlite    tests on SQLite only
#   make test-postgres  tests on a throw-away PostgreSQL (or $$DATABASE_URL if set)
#   make chromium       install Debian's chromium package where missing (for tests/browser/)
#   make test-browser   the browser tests alone (SQLite)
#   make screenshots    the browser tests, writing the README's screenshots to docs/
#   make load           benchmarks/load.py: gunicorn + PostgreSQL under 50 clients for 60 s
#   make clean          remove .venv, db.sqlite3, staticfiles and caches
#
# Extra pytest arguments: make test-sqlite PYTEST_ARGS="-k parser -x"
# The SQLite and PostgreSQL passes run on TEST_WORKERS pytest-xdist workers (2: the CI
# machine's cores; each worker has its own test database).  TEST_WORKERS=0 runs in-process.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
TEST_WORKERS ?= 2

# Settings needed by every Django command run from the test targets.
TEST_ENV := DJANGO_SECRET_KEY=test-insecure-key
DEV_ENV  := DJANGO_DEBUG=1 DJANGO_SECRET_KEY=dev-insecure-key DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost

# The browser the tests drive (Debian's package; Playwright never downloads one).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: install run lint format test test-sqlite test-postgres check-migrations clean \
	chromium test-browser screenshots load

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
	env -u DATABASE_URL $(TEST_ENV) $(PYTHON) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install
	env $(TEST_ENV) bash scripts/with-postgres.sh $(PYTHON) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Debian's chromium for the browser tests, installed where missing: as root with apt-get,
# otherwise through sudo; anything else stops here with the reason (never skipped).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "Chromium: $$("$(CHROMIUM)" --version 2>/dev/null || echo "$(CHROMIUM)")"; \
		exit 0; \
	fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make chromium: $(CHROMIUM) is missing and there is no apt-get to install" \
			"Debian's chromium package: install Chromium and set CHROMIUM=/path/to/it" >&2; \
		exit 1; \
	fi; \
	if [ "$$(id -u)" -eq 0 ]; then \
		as=(); \
	elif command -v sudo >/dev/null 2>&1; then \
		as=(sudo); \
	else \
		echo "make chromium: $(CHROMIUM) is missing; install it as root:" \
			"apt-get install -y chromium (no sudo here)" >&2; \
		exit 1; \
	fi; \
	echo "Installing Debian's chromium package ($${as[*]:-as root})"; \
	export DEBIAN_FRONTEND=noninteractive; \
	"$${as[@]}" apt-get install -y -qq chromium \
		|| { "$${as[@]}" apt-get update -qq && "$${as[@]}" apt-get install -y -qq chromium; } \
		|| { echo "make chromium: apt-get install chromium failed (output above)" >&2; exit 1; }; \
	[ -x "$(CHROMIUM)" ] || { echo "make chromium: installed, but $(CHROMIUM) is still missing" >&2; exit 1; }; \
	echo "Chromium: $$("$(CHROMIUM)" --version)"

# axe-core, which the browser tests run in each page (from the npm registry, as
# package-lock.json pins it).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: npm (Node.js) is needed for axe-core in" \
		"the browser tests: apt-get install -y npm" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

test-browser: install chromium $(NODE_STAMP)
	env -u DATABASE_URL $(TEST_ENV) $(PYTHON) -m pytest tests/browser $(PYTEST_ARGS)

# The browser tests always save their screenshots in build/screenshots/; this also copies
# them to docs/ (docs/browse.png is the README's).
screenshots: install chromium $(NODE_STAMP)
	env -u DATABASE_URL $(TEST_ENV) UPDATE_SCREENSHOTS=1 $(PYTHON) -m pytest tests/browser $(PYTEST_ARGS)

# Bounded load on loopback: gunicorn against a throw-away PostgreSQL (or $$DATABASE_URL).
LOAD_ARGS ?=
load: install
	env $(TEST_ENV) bash scripts/with-postgres.sh $(PYTHON) benchmarks/load.py $(LOAD_ARGS)

# Sequential on purpose (even under make -j): chromium, lint, migrations, SQLite, PostgreSQL.
# The browser tests (tests/browser/) run in both passes.
test: install
	$(MAKE) --no-print-directory chromium
	$(MAKE) --no-print-directory $(NODE_STAMP)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check-migrations
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm staticfiles \
		.pytest_cache .ruff_cache build dist *.egg-info node_modules
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
