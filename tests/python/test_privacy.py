"""Privacy by construction: the salt is never stored, raw personal data stops
at the first model, and a build without a salt fails outside the demo.

Every check reads the artefacts themselves (files under target/ and logs/,
the warehouse catalog, the stored values), never a flag the build wrote.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.python.dbt_helpers import REPO_ROOT, TEST_SALT, query, run_dbt

DIRECT_COLUMNS = ("email", "first_name", "last_name")


def files_containing(folder: Path, needle: str) -> list[Path]:
    data = needle.encode()
    return [path for path in folder.rglob("*") if path.is_file() and data in path.read_bytes()]


def test_the_salt_is_in_no_file_under_target_or_logs(demo_warehouse: Path) -> None:
    work_dir = demo_warehouse.parent
    assert (work_dir / "target" / "manifest.json").exists()
    assert (work_dir / "logs" / "dbt.log").exists()
    assert files_containing(work_dir / "target", TEST_SALT) == []
    assert files_containing(work_dir / "logs", TEST_SALT) == []


def test_the_salt_is_not_in_the_warehouse_catalog(demo_warehouse: Path) -> None:
    definitions = query(
        demo_warehouse,
        "select view_name, sql from duckdb_views() where not internal "
        "union all select table_name, sql from duckdb_tables()",
    )
    assert len(definitions) > 20
    assert [name for name, sql in definitions if TEST_SALT in (sql or "")] == []


def test_the_salt_that_hashed_the_emails_is_the_env_var(demo_warehouse: Path) -> None:
    # Proves the salt reached DuckDB without being in the SQL: the stored
    # hash is sha256(salt || normalised e-mail) for the env var's salt.
    (matches,) = query(
        demo_warehouse,
        f"select count(*) filter (where email_hash = sha256('{TEST_SALT}' || lower(trim(email)))), "
        "count(*) from main_staging.stg_crm__customers join main_raw.raw_customers using (customer_id) "
        "where email is not null and trim(email) <> ''",
    )
    hashed, total = matches
    assert total > 0 and hashed > 0.9 * total


def raw_personal_values() -> dict[str, set[str]]:
    """E-mails and names from the demo seed, minus names that the seed also
    uses as a non-personal value (a city called Jackson is not a leak)."""
    with (REPO_ROOT / "seeds" / "raw_customers.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    other = {value.strip() for row in rows for key, value in row.items() if key not in DIRECT_COLUMNS}
    found = {column: {row[column].strip() for row in rows if row[column].strip()} for column in DIRECT_COLUMNS}
    found["email"] |= {value.lower() for value in found["email"]}
    return {column: values - other for column, values in found.items()}


def test_no_relation_after_the_source_holds_a_raw_email_or_name(demo_warehouse: Path) -> None:
    personal = raw_personal_values()
    assert all(len(values) > 20 for values in personal.values()), {k: len(v) for k, v in personal.items()}
    text_columns = query(
        demo_warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        # main_raw holds the demo seeds: the sources themselves.
        "where data_type = 'VARCHAR' and table_schema <> 'main_raw'",
    )
    assert len(text_columns) > 100
    leaks = []
    for schema, table, column in text_columns:
        values = {
            value.strip()
            for (value,) in query(
                demo_warehouse, f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
            )
        }
        for kind, raw in personal.items():
            if values & raw:
                leaks.append((f"{schema}.{table}.{column}", kind, sorted(values & raw)[:3]))
    assert leaks == []


@pytest.fixture(scope="module")
def one_customer_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("salt") / "sources"
    (root / "raw_customers").mkdir(parents=True)
    table = pa.table({
        "customer_id": ["K1"], "email": ["k1@example.com"], "signed_up_at": ["2025-01-01 00:00:00"],
    })
    pq.write_table(table, root / "raw_customers" / "part-00000.parquet")
    return root


def test_a_build_on_your_own_tables_without_a_salt_fails_naming_the_env_var(
    one_customer_source: Path, tmp_path: Path
) -> None:
    result = run_dbt(
        ["run", "-s", "base_crm__customers"],
        tmp_path / "nosalt.duckdb",
        tmp_path,
        {"audience_segments_external_root": str(one_customer_source)},
        env={"AUDIENCE_SEGMENTS_HASH_SALT": ""},
    )
    assert not result.ok
    assert "no pseudonymisation salt" in result.output
    assert "AUDIENCE_SEGMENTS_HASH_SALT" in result.output


def test_the_salt_as_a_var_fails_at_compile_time(tmp_path: Path) -> None:
    result = run_dbt(
        ["compile", "-s", "base_crm__customers"],
        tmp_path / "var.duckdb",
        tmp_path,
        {"audience_segments_hash_salt": "leaky"},
    )
    assert not result.ok
    assert "audience_segments_hash_salt is no longer a var" in result.output
