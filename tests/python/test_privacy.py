"""Privacy by construction: the salt is never stored, raw personal data stops
at the first model, and a build without a salt fails outside the demo.

Every check reads the artefacts themselves (files under target/ and logs/,
the warehouse catalog, the stored values), never a flag the build wrote.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.python.dbt_helpers import REPO_ROOT, TEST_SALT, last_run_results, manifest_node, query, relation, run_dbt

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
        f"count(*) from {relation(demo_warehouse, 'stg_crm__customers')} "
        f"join {relation(demo_warehouse, 'raw_customers')} using (customer_id) "
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


def distinct_values(database: Path, schema: str, table: str, column: str) -> set[str]:
    """The column's distinct non-NULL values as trimmed text."""
    rows = query(database, f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null')
    return {str(value).strip() for (value,) in rows}


def test_no_relation_after_the_source_holds_a_raw_email_or_name(demo_warehouse: Path) -> None:
    personal = raw_personal_values()
    assert all(len(values) > 20 for values in personal.values()), {k: len(v) for k, v in personal.items()}
    text_columns = query(
        demo_warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        # The seeds' schema holds the demo sources themselves.
        f"where data_type = 'VARCHAR' and table_schema <> '{manifest_node(demo_warehouse, 'raw_customers')['schema']}'",
    )
    assert len(text_columns) > 100
    leaks = []
    for schema, table, column in text_columns:
        values = distinct_values(demo_warehouse, schema, table, column)
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
        # Customers only: no erasure requests to read.
        {"audience_segments_external_root": str(one_customer_source), "audience_segments_using_erasure_requests": False},
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


# ------------------------------------------------------------------ erasure

def customer_row(customer_id: str, email: str | None, signed_up_at: str = "2025-01-01 00:00:00") -> dict[str, str | None]:
    return {"customer_id": customer_id, "email": email, "signed_up_at": signed_up_at}


RETAINED = [customer_row(f"R{i}", f"r{i}@example.com") for i in range(1, 7)]
# The erasure variants: the exact id, an id padded with a tab and a
# no-break space, another case (ids are case-insensitive in this build),
# and one person exported twice under two ids with one e-mail.
ERASED = [
    customer_row("E1", "e1@example.com"),
    customer_row("E2", "e2@example.com"),
    customer_row("E3", "e3@example.com"),
    customer_row("E4", "e4@example.com"),
    customer_row("E4B", " E4@Example.com "),
]
REQUESTS = ["E1", "\tE2\u00a0", "e3", "E4"]
ERASED_IDS = {"e1", "e2", "e3", "e4", "e4b"}


def orders_for(customers: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    # Erased people buy the most and the latest: left in, they would move
    # every retained buyer's RFM quintile and the reference date.
    rows = []
    for index, row in enumerate(customers):
        key = str(row["customer_id"])
        big = key.startswith("E")
        for n in range(1 + index % 3):
            rows.append({
                "order_id": f"O-{key}-{n}", "customer_id": key, "status": "completed",
                "ordered_at": f"2026-0{6 if big else 3}-{10 + n + index} 10:00:00",
                "amount": "5000" if big else str(20 * (index + 1)), "currency": "USD",
            })
    return rows


def events_for(customers: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    # Erased people's latest day would set the reference date; their old
    # day lies before the second build's window, so the post-hook, not the
    # replaced days, has to erase it.
    return [
        {"customer_id": str(row["customer_id"]), "event_type": "login", "feature_name": None,
         "event_date": day, "event_count": "2"}
        for row in customers
        for day in (["2026-06-28", "2026-04-01"] if str(row["customer_id"]).startswith("E") else ["2026-05-01"])
    ]


def write_sources(root: Path, customers: list[dict[str, str | None]], requests: list[str]) -> None:
    tables = {
        "raw_customers": customers,
        "raw_orders": orders_for(customers),
        "raw_events": events_for(customers),
        "raw_erasure_requests": [{"customer_id": r, "requested_at": "2026-06-30 00:00:00"} for r in requests],
    }
    columns = {"raw_erasure_requests": ["customer_id", "requested_at"]}
    for name, rows in tables.items():
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        names = columns.get(name) or list(rows[0])
        table = pa.table({c: pa.array([r.get(c) for r in rows], pa.string()) for c in names})
        pq.write_table(table, folder / "part-00000.parquet")


ERASURE_VARS = {
    "audience_segments_case_insensitive_ids": True,
    "audience_segments_using_accounts": False,
    "audience_segments_using_subscriptions": False,
    "audience_segments_using_survey_responses": False,
    "audience_segments_scheme_preset": "b2c_ecommerce",
    "audience_segments_min_segment_size": 0,
}


@pytest.fixture(scope="module")
def erasure_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(late, never): `late` is built with everyone, then again after the
    erasure requests arrive; `never` is built from sources that never held
    the erased people."""

    def build(name: str) -> Path:
        work_dir = tmp_path_factory.mktemp(name)
        root, database = work_dir / "sources", work_dir / f"{name}.duckdb"
        steps = [(RETAINED + ERASED, [])] if name == "late" else []
        steps.append((RETAINED + ERASED, REQUESTS) if name == "late" else (RETAINED, []))
        for customers, requests in steps:
            write_sources(root, customers, requests)
            result = run_dbt(["run"], database, work_dir, {**ERASURE_VARS, "audience_segments_external_root": str(root)})
            assert result.ok, result.output[-4000:]
        return database

    with ThreadPoolExecutor(max_workers=2) as pool:
        late, never = pool.map(build, ["late", "never"])
    return late, never


def test_every_erasure_variant_leaves_the_person_out_of_the_marts(erasure_builds: tuple[Path, Path]) -> None:
    late, _ = erasure_builds
    assert sorted(r for (r,) in query(late, f"select customer_id from {relation(late, 'customer_360')}")) == [
        f"r{i}" for i in range(1, 7)
    ]


def erased_traces() -> dict[str, str]:
    """Value -> what it is, for everything that would identify an erased
    person: the ids, the e-mails and the e-mail hashes."""
    traces = {customer_id: "id" for customer_id in ERASED_IDS}
    for row in ERASED:
        email = str(row["email"]).strip().lower()
        traces[email] = "e-mail"
        traces[hashlib.sha256(f"{TEST_SALT}{email}".encode()).hexdigest()] = "e-mail hash"
    return traces


def test_no_relation_holds_an_erased_person(erasure_builds: tuple[Path, Path]) -> None:
    # Every relation the build wrote, base and staging included: the
    # sources are Parquet files outside the warehouse.
    late, _ = erasure_builds
    traces = erased_traces()
    text_columns = query(
        late,
        "select table_schema, table_name, column_name from information_schema.columns where data_type = 'VARCHAR'",
    )
    assert {schema for schema, _, _ in text_columns} >= {
        manifest_node(late, name)["schema"] for name in ("base_crm__customers", "int_customers", "customer_360")
    }
    found = [
        (f"{schema}.{table}.{column}", traces[value], value)
        for schema, table, column in text_columns
        for (value,) in query(late, f'select distinct lower("{column}") from "{schema}"."{table}"')
        if value in traces
    ]
    assert found == []


def test_the_audit_keeps_only_keyed_hashes_of_the_requests(erasure_builds: tuple[Path, Path]) -> None:
    late, _ = erasure_builds
    stored = {h for (h,) in query(late, f"select customer_key_hash from {relation(late, 'stg_privacy__erasure_requests')}")}
    expected = {hashlib.sha256(f"{TEST_SALT}{key}".encode()).hexdigest() for key in ("e1", "e2", "e3", "e4")}
    assert stored == expected


def test_erased_rows_are_counted_and_every_raw_row_reconciles(erasure_builds: tuple[Path, Path]) -> None:
    late, _ = erasure_builds
    rows = {
        source: (raw, staged, quarantined, duplicates, erased)
        for source, raw, staged, quarantined, duplicates, erased in query(
            late,
            "select source_key, raw_row_count, staged_row_count, quarantined_row_count, duplicate_row_count, "
            f"erased_row_count from {relation(late, 'stg_audit__row_reconciliation')}",
        )
    }
    erased_orders = len(orders_for(RETAINED + ERASED)) - len(orders_for(RETAINED))
    assert rows["customers"][4] == len(ERASED)
    assert rows["events"][4] == 2 * len(ERASED)
    assert rows["orders"][4] == erased_orders > 0
    assert rows["erasure_requests"][4] == 0
    assert all(raw == sum(parts) for raw, *parts in rows.values()), rows


@pytest.mark.parametrize("mart", ["customer_360", "segment_assignments", "segment_memberships"])
def test_erased_people_change_no_one_elses_figures(erasure_builds: tuple[Path, Path], mart: str) -> None:
    # RFM quintiles, the reference date and every feature of the retained
    # customers equal those of a build that never saw the erased people.
    late, never = erasure_builds
    rows_late = query(late, f"select * from {relation(late, mart)}")
    rows_never = query(never, f"select * from {relation(never, mart)}")
    assert len(rows_late) > 0
    assert sorted(map(repr, rows_late)) == sorted(map(repr, rows_never))


# ------------------------------------------------------------ k-anonymity

# (customer_id, a, b): c1 and c2 share (x, p); c3 and c4 share only p;
# c5 shares nothing. With k = 2: c1, c2 keep both; c3, c4 lose a; c5 alone
# would lose both and be a group of one, so c3 and c4 (the smallest group
# of the most suppressed level) join it.
SUPPRESSION_ROWS = [("c1", "x", "p"), ("c2", "x", "p"), ("c3", "y", "p"), ("c4", "z", "p"), ("c5", "w", "q")]


def suppressed(tmp_path: Path, k: int) -> list[tuple[str, str | None, str | None]]:
    values = ", ".join(f"('{i}', '{a}', '{b}')" for i, a, b in SUPPRESSION_ROWS)
    inline = (
        "{{ audience_segments.k_anonymous_select("
        f'"(select * from (values {values}) as fixture (customer_id, a, b))", "customer_id", ["a", "b"], {k}) }}}}'
    )
    result = run_dbt(["compile", "--inline", inline], tmp_path / "k.duckdb", tmp_path)
    assert result.ok, result.output[-4000:]
    (compiled,) = [r["compiled_code"] for r in last_run_results(tmp_path)["results"]]
    with duckdb.connect() as connection:
        return sorted(connection.execute(compiled).fetchall())


def test_suppression_keeps_every_group_at_k_or_more(tmp_path: Path) -> None:
    assert suppressed(tmp_path, 2) == [
        ("c1", "x", "p"), ("c2", "x", "p"), ("c3", None, None), ("c4", None, None), ("c5", None, None),
    ]


def test_k_of_one_publishes_the_values_unsuppressed(tmp_path: Path) -> None:
    assert suppressed(tmp_path, 1) == sorted(SUPPRESSION_ROWS)


def test_the_demo_marts_are_k_anonymous_and_publish_no_exact_quasi_identifier(demo_warehouse: Path) -> None:
    customer_360 = relation(demo_warehouse, "customer_360")
    columns = {name for (name,) in query(
        demo_warehouse,
        "select column_name from information_schema.columns where table_name = 'customer_360'",
    )}
    assert {"birth_date", "postal_code", "city", "job_title", "age"} & columns == set()
    (smallest, suppressed_rows, total), = query(
        demo_warehouse,
        "with groups as (select count(*) as n from " + customer_360
        + " group by postal_prefix, region, country_code, age_band, gender, market_region) "
        f"select min(n), (select count(*) from {customer_360} where market_region is null and country_code is null), "
        f"(select count(*) from {customer_360}) from groups",
    )
    assert smallest >= 5
    # Suppression is local: most customers keep their country.
    assert suppressed_rows < 0.05 * total, (suppressed_rows, total)


def test_no_relation_holds_a_raw_birth_date_or_postal_code(demo_warehouse: Path) -> None:
    # Values, not column names: the demo's exact birth dates and postal
    # codes appear in no mart (they stop at staging, which derives the band
    # and the prefix).
    with (REPO_ROOT / "seeds" / "raw_customers.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    birth_dates = {row["birth_date"].strip() for row in rows if row["birth_date"].strip()}
    postal_codes = {row["postal_code"].strip() for row in rows if len(row["postal_code"].strip()) > 3}
    marts_schema = manifest_node(demo_warehouse, "customer_360")["schema"]
    # Text and date columns: a postal code such as 1000 also reads as a
    # number of days, which is no leak.
    columns = query(
        demo_warehouse,
        "select table_name, column_name, data_type from information_schema.columns "
        f"where table_schema = '{marts_schema}' and data_type in ('VARCHAR', 'DATE')",
    )
    assert len(columns) > 30
    leaks = []
    for table, column, data_type in columns:
        values = distinct_values(demo_warehouse, marts_schema, table, column)
        for kind, raw in (("birth date", birth_dates), ("postal code", postal_codes)):
            if (kind == "birth date" or data_type == "VARCHAR") and values & raw:
                leaks.append((f"{table}.{column}", kind, sorted(values & raw)[:3]))
    assert leaks == []
