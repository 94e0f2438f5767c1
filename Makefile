# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What `make install` puts in .venv from uv.lock: the runtime dependencies plus the
# extras for the tests and linters (dev) and the browser tests (browser).
EXTRAS := --extra dev --extra browser
# The uv that installs from the lock file is the one the lock file pins.
UV_VERSION := $(shell sed -n 's/^ *"uv==\([^"]*\)".*/\1/p' pyproject.toml)
# Never let uv fetch a Python of its own: .venv is made with $(PYTHON).
export UV_PYTHON_DOWNLOADS := never

.PHONY: install lock lock-check run serve test lint mypy format bench screens messages \
	i18n-check gettext

$(BIN)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

# Exactly what uv.lock says (versions and hashes), nothing else.
$(STAMP): pyproject.toml uv.lock | $(BIN)/uv
	@$(BIN)/uv sync --locked --quiet $(EXTRAS) || { \
	  echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock."; \
	  exit 1; }
	touch $(STAMP)

# The compiled translation catalogues (.mo, not committed), built from locale/*.po.
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(STAMP) $(MO)

# Write uv.lock again after a change of pyproject.toml's dependencies; the versions
# already locked are kept where they still fit.
lock: | $(BIN)/uv
	$(BIN)/uv lock

# Fails when uv.lock no longer matches pyproject.toml (part of `make lint`).
lock-check: | $(BIN)/uv
	@$(BIN)/uv lock --check --quiet || { \
	  echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock."; \
	  exit 1; }

# gettext's msgfmt compiles the catalogues and xgettext extracts the strings.
gettext:
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }

%.mo: %.po | gettext
	msgfmt --check-format -o $@ $<

# The web server and, beside it, the background worker; Ctrl+C stops both.
run: $(STAMP) $(MO)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The Procfile's processes, gunicorn and the worker, with honcho; the environment
# from .env (.env.example). Migrate and collect the static files first
# (docs/deployment.md).
serve: $(STAMP) $(MO)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

test: $(STAMP) $(MO)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: lock-check $(STAMP) i18n-check mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

# Type checks of the annotated code ([tool.mypy] in pyproject.toml).
mypy: $(STAMP)
	$(BIN)/mypy

# Extract every string of the code into locale/<language>/LC_MESSAGES/django.po;
# then translate what is new (docs/translations.md).
messages: $(STAMP) | gettext
	$(BIN)/python manage.py translations update

# Fails when a catalogue is stale, or holds an untranslated or fuzzy string.
i18n-check: $(STAMP) | gettext
	$(BIN)/python manage.py translations check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The scale benchmark (PostgreSQL on 127.0.0.1, databases cc_scale_*) and the HTTP load
# test; by hand, never part of `make test`. BENCH_ARGS are passed to bench/scale.py.
bench: $(STAMP)
	$(BIN)/uv sync --locked --quiet $(EXTRAS) --extra bench
	$(BIN)/python bench/scale.py $(BENCH_ARGS)
	$(BIN)/python bench/loadtest.py

# Screenshots of every page at 1280 and 360 px into docs/screens/ (needs Chromium).
screens: $(STAMP)
	$(BIN)/python docs/screens/make_screens.py
