# Tidtam: `make run` sets everything up and serves http://127.0.0.1:8000; `make test` runs every test;
# `make serve` runs the production configuration (README "Deployment").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEEDS ?= ../shared/seeds
HOST ?= 127.0.0.1:8000
export TIDTAM_DEV ?= 1

.PHONY: run serve setup install migrate data test test-postgres lint api-fuzz bench bench-postgres scale-test messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	scripts/ensure-pdf-libs.sh

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Reference data, then the seed pages (when the shared folder is there), the project's samples
# and a few hundred synthetic projects of the current fiscal year (skipped once there).
data: migrate
	$(BIN)/python manage.py load_reference
	if [ -d "$(SEEDS)" ]; then $(BIN)/python manage.py import_legacy "$(SEEDS)"; fi
	$(BIN)/python manage.py import_legacy samples/legacy
	$(BIN)/python manage.py generate_demo --projects 300 --years 1 --seed 1
	$(BIN)/python manage.py refresh_standings
	$(BIN)/python manage.py rebuild_search_index
	$(BIN)/python manage.py load_demo_accounts

setup: data

# The web server, with a background worker (manage.py db_worker) for exports and other jobs.
run: setup
	scripts/run-dev.sh $(BIN)/python $(HOST)

# Production: gunicorn (deploy/gunicorn.conf.py) and the job worker beside it, on HOST, with the
# settings of the environment, never in development mode (the script unsets TIDTAM_DEV). The
# database must be migrated first (make migrate); static files are collected at each start.
serve: install
	scripts/serve.sh $(BIN) $(HOST)

test: install
	scripts/ensure-chromium.sh
	$(BIN)/pytest

# The deployment checks and the same suite on a throw-away PostgreSQL 15 server (installed with
# apt-get when missing).
test-postgres: install
	scripts/with-postgres.sh sh -c 'scripts/check-deploy.sh $(BIN)/python && $(BIN)/pytest -p no:cacheprovider -m "not browser"'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tidtam
	$(BIN)/python manage.py makemigrations --check --dry-run
	DATABASE_URL=sqlite:///:memory: scripts/check-deploy.sh $(BIN)/python

# schemathesis against the open API's schema, as the public and as an officer, on a throw-away
# database: no server error, no answer outside the schema (API_FUZZ_EXAMPLES per operation).
api-fuzz: install
	BIN=$(BIN) scripts/api-fuzz.sh

# Speed against the targets on SQLite; the city-scale data set (120,000 projects) is generated
# once into var/bench/ and reused. BENCH_PROJECTS=6000 BENCH_YEARS=1 for a quick run.
bench: install
	$(BIN)/python bench/run.py

# The same figures on a throw-away PostgreSQL 15 server (the data set is generated each time),
# given the memory a production server of the city's would have (its defaults are sized for a
# laptop: 128 MB of shared buffers against a 5 GB database).
BENCH_PG_OPTIONS = -c shared_buffers=2GB -c effective_cache_size=12GB -c work_mem=16MB -c random_page_cost=1.1
bench-postgres: install
	TIDTAM_PG_OPTIONS="$(BENCH_PG_OPTIONS)" scripts/with-postgres.sh env BENCH_POSTGRES=1 $(BIN)/python bench/run.py

# Several servers on one machine (README "Deployment"): nginx, two application servers, PostgreSQL,
# Redis and an RQ job worker on loopback, a mixed load, one server and the worker killed with
# SIGKILL midway; prints requests, server errors, acknowledged writes lost and jobs completed.
scale-test: install
	scripts/scale-test.sh $(BIN)

messages: install
	$(BIN)/python manage.py makemessages -l th --no-obsolete --ignore '.venv/*'
	$(BIN)/python manage.py compilemessages -l th --ignore '.venv/*'

clean:
	rm -rf var staticfiles .pytest_cache .mypy_cache .ruff_cache
