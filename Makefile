# The README's two commands: `make demo` and `make test`. Both start from nothing but python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DB ?= sqlite:///bioatlas.db

.PHONY: install demo test lint bench score clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/bioatlas extract examples/corpus --format json --out out/extract --report out/extract-report.json

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

score: install
	rm -rf out/dev && $(BIN)/bioatlas extract ../shared/corpus/dev --format json --out out/dev
	$(PY) ../shared/corpus/score.py --gold ../shared/corpus/dev --pred out/dev

bench: install
	$(PY) bench/read_speed.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
