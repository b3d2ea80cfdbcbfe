# Journeymap: `make run` to try it, `make test` to check it. Everything installs itself.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# The embedded defaults: SQLite file, in-memory channel layer, console email.
DEV_ENV := DEBUG=true
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs a second time on PostgreSQL; this is the server these machines run locally.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: setup run lint test test-python test-postgres test-frontend frontend messages bench clean

setup: $(VENV)/.installed frontend

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: frontend/node_modules/.installed
	cd frontend && npm run --silent build

run: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEV_ENV) $(PY) manage.py seed_demo --url http://$(HOST):$(PORT)
	$(DEV_ENV) $(PY) -m daphne --bind $(HOST) --port $(PORT) journeymap.asgi:application

lint: $(VENV)/.installed frontend/node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd frontend && npm run --silent lint

test: lint test-python test-postgres test-frontend

test-python: setup
	$(PY) -m pytest

# The same suite on PostgreSQL (browser tests ran above; they add nothing database-specific).
test-postgres: setup
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -m "not browser" -p no:cacheprovider

test-frontend: frontend/node_modules/.installed
	cd frontend && npm run --silent test

messages: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py makemessages --locale fr --locale en --ignore '.venv/*' --ignore 'frontend/*'
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore '.venv/*'

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) frontend/node_modules static/frontend staticfiles .test-*.sqlite3*
