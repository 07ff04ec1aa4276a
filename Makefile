# Two entry points (see README): `make build` and `make test`.
# Both create the virtual environment on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export AUDIENCE_SEGMENTS_DB ?= target/audience_segments.duckdb

.PHONY: build test lint dbt-test pytest clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## Main job: seeds, models and their tests on the embedded DuckDB.
build: $(VENV)/.installed
	mkdir -p target
	$(BIN)/dbt build

## Whole suite: lint, dbt build with tests into a throw-away warehouse, pytest.
test: lint dbt-test pytest

lint: $(VENV)/.installed
	$(BIN)/sqlfluff lint --processes 2 models tests analyses

dbt-test: $(VENV)/.installed
	mkdir -p target
	rm -f target/ci.duckdb
	AUDIENCE_SEGMENTS_DB=target/ci.duckdb $(BIN)/dbt build

pytest: $(VENV)/.installed
	$(BIN)/pytest

clean:
	rm -rf target logs
