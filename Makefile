# The two commands of the contract: `make run` and `make test`. Everything else is a helper.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgresql lint bench fuzz clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Front-end packages (NL Design System CSS, bpmn-js, dmn-js, Chart.js) from the npm registry,
# served by the Flask app from node_modules; never committed, never fetched from a CDN.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

run: $(STAMP) $(NODE_STAMP)
	$(BIN)/mda init --demo
	$(BIN)/mda serve --host 127.0.0.1 --port 5000

test: $(STAMP) $(NODE_STAMP) lint
	$(BIN)/pytest -q

# Only the PostgreSQL variants of the database tests (TEST_DATABASE_URL must be set).
test-postgresql: $(STAMP) $(NODE_STAMP)
	@test -n "$(TEST_DATABASE_URL)" || (echo "set TEST_DATABASE_URL" >&2; exit 2)
	$(BIN)/pytest -q -k postgresql

lint: $(STAMP)
	$(BIN)/ruff check engine web forms config tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

# Schemathesis against the served API with a valid token: no 5xx, no response outside its schemas.
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz_api

clean:
	rm -rf $(VENV) instance *.egg-info node_modules
