# The front door. README: `make run` serves the app, `make test` runs every test.
.DEFAULT_GOAL := help
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test setup setup-dev lint format docs bench load clean

help:
	@echo "make run    - set up (venv, dependencies, database, rules, first admin) and serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite (needs Chromium for the browser tests)"
	@echo "make lint   - ruff (with the complexity rules), format check, mypy, makemigrations --check"
	@echo "make docs   - regenerate docs/questionnaire.md from the question catalog"
	@echo "make bench  - run every benchmark and write bench/RESULTS.md"
	@echo "make load   - load test: 2 gunicorns + 2 PDF workers + PostgreSQL, 50 simultaneous users"

setup:
	@scripts/setup.sh

setup-dev:
	@scripts/setup.sh dev

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_rules
	$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)/
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup-dev
	@case '$(PYTEST_ARGS)' in *'not browser'*) ;; *) scripts/check-browser.sh ;; esac
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run

format: setup-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

docs: setup
	$(PY) scripts/build_docs.py

bench: setup-dev
	$(PY) bench/run_all.py

load: setup-dev
	$(PY) bench/load.py

clean:
	rm -rf .venv staticfiles var .pytest_cache .ruff_cache .mypy_cache .hypothesis
