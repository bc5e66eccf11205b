# Two commands set everything up on a fresh machine:
#   make demo   - chat with the bot in this terminal (console + SQLite + bundled model)
#   make test   - lint, type-check and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/intake-bot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/intake-bot
	$(BIN)/intake-bot demo

test: lint typecheck pytest

lint: $(BIN)/intake-bot
	$(BIN)/ruff check .

typecheck: $(BIN)/intake-bot
	$(BIN)/mypy

pytest: $(BIN)/intake-bot
	$(BIN)/pytest -n auto -q

bench: $(BIN)/intake-bot
	$(BIN)/python bench/bench_startup.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
