# fulian — `make demo` and `make test` are all a fresh machine needs (Python 3.11+, Node.js/npm).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/fulian/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo serve test test-pg lint bench static messages clean install schemathesis rq-check api-client

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) static

# front-end libraries come from the npm registry (package.json + lock file), never from the repository
$(VENDOR)/.built: package.json package-lock.json Makefile
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp -r node_modules/leaflet/dist/images $(VENDOR)/
	touch $@

static: $(VENDOR)/.built

# the background worker (imports), the outbox (notifications) and the audit sealer run beside the server; Ctrl-C
# stops all four
demo: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py demo_setup --url http://$(HOST):$(PORT)
	$(BIN)/python manage.py tasks_worker & w=$$!; $(BIN)/python manage.py outbox_send --loop & o=$$!; \
	  $(BIN)/python manage.py audit_seal --loop & s=$$!; \
	  trap 'kill $$w $$o $$s 2>/dev/null' EXIT INT TERM; $(BIN)/python manage.py runserver $(HOST):$(PORT)

# two worker processes (pytest-xdist; PYTEST_WORKERS=0 runs the suite in one process, as `pytest` alone does);
# how the tests are dealt out to them under --dist load: conftest.py
PYTEST_WORKERS ?= 2
test: install
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist load

schemathesis: install
	bash scripts/schemathesis_ci.sh

rq-check: install
	bash scripts/rq_check.sh

.PHONY: faults
# the fault drill (README, Fault drill): its own PostgreSQL cluster, a worker killed mid-import, a database
# restart under load; about 4 minutes
faults: install
	$(BIN)/python scripts/faults.py $(FAULTS_ARGS)

# a client generated from the OpenAPI schema (openapi-python-client) without a single warning
api-client: $(STAMP)
	bash scripts/api_client_check.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	cd src && ../$(BIN)/lint-imports --no-cache ../pyproject.toml

bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

messages: $(STAMP)
	cd src/fulian && ../../$(BIN)/python ../../manage.py makemessages -l en --no-obsolete
	cd src/fulian && ../../$(BIN)/python ../../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
