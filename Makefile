# Two commands on a fresh machine: `make run` runs the product, `make test` tests it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check check-deploy lint format bench clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements-dev.txt
	touch $(STAMP)

run: install
	$(BIN)/python scripts/run.py

test: install check check-deploy
	$(BIN)/python -m pytest

# The static checks, fast first: lint, format, the import contracts (pyproject.toml
# [tool.importlinter]), types (pyproject.toml [tool.mypy]; cache in var/mypy-cache).
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/lint_imports.py
	$(BIN)/mypy

# Production settings pass Django's deployment checklist (no .env, DEBUG and the mock
# off, a random key): any warning fails.
check-deploy: install
	env DELLSOCIAL_ENV_FILE= DEBUG=false MOCK_PLATFORMS=false HTTPS=true \
	  DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=social.example.com WEIBO_API_BASE= TWITTER_API_BASE= RENREN_API_BASE= \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

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
