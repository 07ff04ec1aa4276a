# Two entry points (see README): `make build` and `make test`.
# Both create the virtual environment on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export AUDIENCE_SEGMENTS_DB ?= target/audience_segments.duckdb

.PHONY: build test lint dbt-test gate pytest browser clean

$(VENV)/.installed: pyproject.toml scripts/data_docs_assets.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/audience-segments data-docs-assets
	touch $@

## Main job: seeds, models and their tests on the embedded DuckDB.
build: $(VENV)/.installed
	mkdir -p target
	$(BIN)/python -m scripts.check_seeds
	$(BIN)/dbt build

## Whole suite: lint, dbt build with tests into a throw-away warehouse, the
## Great Expectations gate on that build, pytest.
test: lint dbt-test gate pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy scripts
	$(BIN)/sqlfluff lint --processes 2 models tests analyses

dbt-test: $(VENV)/.installed
	mkdir -p target
	$(BIN)/python -m scripts.check_seeds
	rm -f target/ci.duckdb
	AUDIENCE_SEGMENTS_DB=target/ci.duckdb $(BIN)/dbt build

## Data-quality gate; leaves target/quality_gate/result.json and Data Docs.
gate: $(VENV)/.installed
	$(BIN)/python -m scripts.quality_gate --database target/ci.duckdb \
		--output target/quality_gate/result.json \
		--docs-dir target/quality_gate/data_docs

pytest: $(VENV)/.installed browser
	$(BIN)/pytest

## Headless Chromium (Debian's package) for the test that opens the Data Docs
## offline; where it cannot be installed (no root), that test skips, saying why.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
		echo "chromium not installed (apt-get install chromium): the Data Docs browser test will skip"

clean:
	rm -rf target logs
