# The two commands of the README: `make run` and `make test`.
# Both create .venv on first use and install the pinned dependencies.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9

.PHONY: install run test lint messages clean

# The portal needs requirements.txt (runtime); the tests need requirements-dev.txt (the
# same pins plus pytest, Playwright, ruff...). Production images take the first only.
$(VENV)/.runtime: requirements.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	# xstatic-bootstrap's build still imports pkg_resources: build it with an older setuptools.
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.txt --build-constraint build-constraints.txt
	touch $@

$(VENV)/.installed: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements-dev.txt --build-constraint build-constraints.txt
	touch $@

install: $(VENV)/.installed

# Runs the portal on the embedded default (SQLite, tasks in-process) with demo data.
run: $(VENV)/.runtime
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true DEBUG_ERROR_PAGES=false $(PY) manage.py runserver 127.0.0.1:8000

# Runs the whole test suite. DATABASE_URL / REDIS_URL in the environment point it at
# PostgreSQL and Redis (as .ci/run does); without them it uses SQLite and skips the
# tests that need a real broker or browser, saying why.
test: install
	$(PY) -m pytest -n 2 --dist loadgroup

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: install
	DEBUG=true $(PY) manage.py makemessages -l en --no-obsolete
	DEBUG=true $(PY) manage.py compilemessages -l en

clean:
	rm -rf $(VENV) db.sqlite3 var test-artifacts
