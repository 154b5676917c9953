# Touchpoint: the only commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per logical CPU; `make test TEST_WORKERS=0` runs serially.
TEST_WORKERS ?= logical

.PHONY: run test lint format clean widget widget-deps translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

## run: install, migrate the SQLite database, create the demo site, replace the quickstart token, serve on :8000
run: $(VENV)/.installed
	$(BIN)/touchpoint db upgrade
	$(BIN)/touchpoint quickstart --url http://$(HOST):$(PORT)
	$(BIN)/touchpoint serve --host $(HOST) --port $(PORT)

## test: install the dev extra, lint, and run the whole suite on every core
# loadgroup: the tests marked with an xdist_group (the deployment tests) share one worker.
test: $(VENV)/.dev-installed lint widget-deps
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 8 --dist loadgroup

## widget: build widget/src into widget/dist/ (bundle, lazy modules, .gz and .br) and print sizes
widget: widget/node_modules/.installed
	cd widget && npm run --silent build

widget/node_modules/.installed: widget/package.json widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund
	touch $@

# The widget's tests (axe-core, the fresh-build check) need its npm packages; without npm
# they skip, so `make test` still works on a machine without Node.js.
widget-deps:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory widget/node_modules/.installed; \
	else echo "npm not found: the widget's build and axe-core checks will be skipped"; fi

CATALOGS := server/dashboard/translations

## translations: extract the dashboard's texts, update every language's catalog, compile them
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F $(CATALOGS)/babel.cfg -k _l --no-location --sort-output \
		--project Touchpoint --copyright-holder Touchpoint -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS)
	$(BIN)/pybabel compile -d $(CATALOGS) --statistics

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache widget/node_modules
