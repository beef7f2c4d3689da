# The two commands: `make run` (install, migrate, demo data, serve with the background worker) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install lint messages bench-dosimetry bench-scheduling bench-http

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The worker (django-q2's qcluster, its scheduler inside) runs beside the development server on the same
# database; Ctrl-C stops both (SIGINT is the signal qcluster stops cleanly on).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@$(BIN)/python manage.py qcluster & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy src/cryoclinic
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	cd src/cryoclinic && ../../$(BIN)/python ../../manage.py makemessages -l ru --no-location && ../../$(BIN)/python ../../manage.py compilemessages -l ru

bench-scheduling: install
	$(BIN)/python bench/scheduling/run.py

bench-dosimetry: install
	$(BIN)/python bench/dosimetry/run.py

bench-http: install
	@command -v wrk >/dev/null || { echo "bench-http needs wrk: apt-get install -y wrk (Debian)"; exit 2; }
	$(BIN)/python bench/http/run.py
