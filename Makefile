# The README's two commands: `make demo` and `make test`. Both start from nothing but python3.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DB ?= sqlite:///bioatlas.db

.PHONY: install demo test lint bench score train cv clean system-deps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m bioatlas.kb.vectors derive  # search by meaning: the per-piece table, from the installed encoder (~1 min)
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/bioatlas extract examples/corpus --format json --out out/extract --report out/extract-report.json
	$(BIN)/bioatlas ingest examples/corpus --db $(DB)
	$(BIN)/bioatlas setup --admin admin --if-needed --db $(DB)
	BIOATLAS_PUBLIC_READ=1 $(BIN)/bioatlas serve --db $(DB)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

system-deps:
	bash scripts/system-deps.sh

test: lint system-deps
	$(BIN)/pytest -q

# Rebuild every shipped model file from the annotated pages (train + dev + data/training).
train: install
	$(PY) -m bioatlas.learn.train

# Train on ../shared/corpus/train (+ data/training) only, then score ../shared/corpus/dev.
score: install
	rm -rf out/dev out/models-score
	$(PY) -m bioatlas.learn.train --parts train --out out/models-score
	BIOATLAS_MODEL_DIR=out/models-score $(BIN)/bioatlas extract ../shared/corpus/dev --format json --out out/dev
	$(PY) ../shared/corpus/score.py --gold ../shared/corpus/dev --pred out/dev

# Leave-pages-out cross-validation over dev + train, per language.
cv: install
	$(PY) -m bioatlas.learn.crossval --folds 5 --json out/cv.json

bench: install
	taskset -c 0 $(PY) bench/read_speed.py
	taskset -c 0 $(PY) bench/extract_speed.py
	taskset -c 0 $(PY) bench/search_latency.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
