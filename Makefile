# Two commands for a fresh machine: `make run` (the demo store) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000

.PHONY: run test lint messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

run: messages
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(ADDR)

test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
