# make run: create the environment, write the default data if the landing folder is empty,
#           build, check, publish and say where the results are.
# make test: create the environment and run every check (lint, dbt build + tests, pytest;
#            Debian's chromium is installed when missing, for the dashboards' browser tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint env clean benchmark

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

env: $(STAMP)

run: $(STAMP)
	$(BIN)/nyckeltal run

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	# the dbt templater connects to the profile's database: lint against an in-memory one
	NYCKELTAL_BUILD_PATH=:memory: $(BIN)/sqlfluff lint models tests --processes 2 --disable-progress-bar

test: lint
	scripts/ensure_chromium.sh
	$(BIN)/pytest

# SCALE=small|medium|large or a number of tickets; figures appended to benchmarks/history.jsonl
SCALE ?= medium
benchmark: $(STAMP)
	$(BIN)/nyckeltal bench --scale $(SCALE)

clean:
	rm -rf warehouse target logs .pytest_cache
