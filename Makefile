# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/python -m pip install --quiet --build-constraint build-constraints.txt
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
# The browser tests load axe-core (pinned in package-lock.json) into each page they check.
NPM_STAMP := node_modules/.npm-installed
# `make run` is a developer's machine: debug pages on, demo data allowed.
RUN_ENV := DEBUG=$${DEBUG:-true}
# Two processes (the machines have two cores); tests that share a resource name an xdist group.
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: install install-dev run migrate seed test lint format messages worker beat bench deploy-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.3"

$(RUNTIME_STAMP): requirements.txt build-constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt build-constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

install: $(RUNTIME_STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-dev: $(DEV_STAMP) $(NPM_STAMP)

migrate: install
	mkdir -p var
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

run: seed
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refreshes locale/*/LC_MESSAGES/django.po from the templates and Python, then compiles the
# .mo files (committed, so that `make run` needs no gettext). Needs GNU gettext installed.
messages: install
	$(BIN)/python manage.py makemessages -l pl -l ur --no-obsolete --ignore '$(VENV)/*' \
	  --ignore 'staticfiles/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(BIN)/python manage.py compilemessages --ignore '$(VENV)/*'

worker: install
	$(BIN)/celery -A homework_mgmt worker --loglevel=INFO

beat: install
	mkdir -p var
	$(BIN)/celery -A homework_mgmt beat --loglevel=INFO --schedule=var/celerybeat-schedule

# How fast the pages are (README "How long it takes: make bench"): needs PostgreSQL at
# DATABASE_URL; options in BENCH_ARGS, e.g. make bench BENCH_ARGS="--schools 20 --pupils 1342".
# Ends with the MIS import's timings (bench/import_benchmark.py, which also runs alone).
bench: $(DEV_STAMP)
	mkdir -p var
	$(BIN)/python bench/run.py $(BENCH_ARGS)

deploy-check: install
	DEBUG=false SECRET_KEY=$${SECRET_KEY:-deploy-check-$$(date +%s)-a-long-random-value-for-the-check-only} \
	  ALLOWED_HOSTS=$${ALLOWED_HOSTS:-homework.example.org} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles node_modules
