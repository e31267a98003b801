# Two commands on a fresh machine: `make run` runs the product, `make test` tests it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements-dev.txt
	touch $(STAMP)

run: install
	$(BIN)/python scripts/run.py

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/nlp.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/coupons.py
	$(BIN)/python benchmarks/ambassadors.py

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3
