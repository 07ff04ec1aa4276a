"""An incremental run after a daily delta equals a full refresh, row for row.

Build on generated Parquet data, append a delta (new day, late rows inside the
lookback window, newer versions of old orders, a double load of events, an
order whose customer only arrives in the delta, and a customer whose signup
moves so that old orders become `before_signup`), run incrementally, then
build the same files from scratch and compare every table and view.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts import generate_data
from scripts.benchmark import append_daily_delta
from tests.python.dbt_helpers import query, run_dbt

CUSTOMERS = 3000
LATE_CUSTOMER = "C8000001"
SCHEMAS = ("main_staging", "main_intermediate", "main_marts")


def write_part(root: Path, table: str, rows: list[dict[str, str | None]], part: int) -> None:
    columns = list(rows[0])
    arrow = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns})
    pq.write_table(arrow, root / table / f"part-{part:05d}.parquet")


def orphan_order_for_late_customer(root: Path) -> None:
    """First load: an order whose customer has not arrived yet (orphan)."""
    write_part(root, "raw_orders", [{
        "order_id": "OLATE1", "customer_id": LATE_CUSTOMER, "ordered_at": "2026-06-20 10:00:00",
        "status": "completed", "amount": "42.00", "currency": "USD", "sales_channel": "web",
        "product_category": "services", "updated_at": "2026-06-20 10:00:00",
    }], 90_000)


def customer_changes(root: Path) -> None:
    """Delta: the late customer arrives; an old customer's signup moves later."""
    with duckdb.connect() as connection:
        template, mover = connection.execute(
            f"""
            select * exclude (n) from (
                select *, row_number() over (order by customer_id) as n
                from read_parquet('{root}/raw_customers/*.parquet')
                where customer_id in (
                    select customer_id from read_parquet('{root}/raw_orders/*.parquet')
                    where ordered_at < '2026-01-01'
                )
                and try_cast(signed_up_at as timestamp) < timestamp '2025-01-01'
                and email like '%@%.%'
            ) where n <= 2 order by n
            """
        ).to_arrow_table().to_pylist()
    late = {**template, "customer_id": LATE_CUSTOMER, "signed_up_at": "2026-01-01 00:00:00",
            "updated_at": "2026-07-01 00:00:00", "email": "late@example.com"}
    moved = {**mover, "signed_up_at": "2026-01-01 00:00:00", "updated_at": "2026-07-01 00:00:00"}
    write_part(root, "raw_customers", [late, moved], 99_999)


def relations(database: Path, kind: str) -> list[tuple[str, str]]:
    return query(
        database,
        "select table_schema, table_name from information_schema.tables "
        f"where table_schema in {SCHEMAS} and table_type = '{kind}' order by 1, 2",
    )


def fingerprint(database: Path, schema: str, name: str) -> tuple[int, int]:
    """Order-free fingerprint of a view (views name their own catalog, so
    they cannot be compared across an ATTACH)."""
    return query(
        database, f'select count(*), sum(hash(relation)) from "{schema}"."{name}" as relation'
    )[0]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("incremental")
    root = work / "sources"
    assert generate_data.main([
        "--customers", str(CUSTOMERS), "--format", "parquet", "--out", str(root),
        "--chunk-size", "1000", "--orders-per-customer", "10", "--event-rows-per-customer", "50",
    ]) == 0
    orphan_order_for_late_customer(root)
    dbt_vars = {
        "audience_segments_external_root": str(root),
        "audience_segments_use_demo_seeds": False,
        # A 3,000-customer base is too small for the production segment-size floor.
        "audience_segments_min_segment_size": 1,
    }
    build = ["build", "--exclude", "resource_type:seed", "resource_type:unit_test"]

    incremental = work / "incremental.duckdb"
    first = run_dbt(build, incremental, work / "first", dbt_vars)
    assert first.ok, first.output[-4000:]
    assert append_daily_delta(root) > 0
    customer_changes(root)
    second = run_dbt(build, incremental, work / "second", dbt_vars)
    assert second.ok, second.output[-4000:]
    assert "incremental model main_staging.base_shop__orders" in second.output

    full = work / "full.duckdb"
    scratch = run_dbt(build, full, work / "full", dbt_vars)
    assert scratch.ok, scratch.output[-4000:]
    return incremental, full


def test_every_table_equals_a_full_refresh_row_by_row(warehouses: tuple[Path, Path]) -> None:
    incremental, full = warehouses
    names = relations(incremental, "BASE TABLE")
    assert names == relations(full, "BASE TABLE")
    assert ("main_marts", "customer_360") in names
    differences = {}
    with duckdb.connect(str(incremental), read_only=True) as connection:
        connection.execute(f"attach '{full}' as full_refresh (read_only)")
        for schema, name in names:
            mine, theirs = f'"{schema}"."{name}"', f'full_refresh."{schema}"."{name}"'
            only_mine, only_theirs = connection.execute(
                f"select (select count(*) from (select * from {mine} except all select * from {theirs})),"
                f" (select count(*) from (select * from {theirs} except all select * from {mine}))"
            ).fetchone()
            if only_mine or only_theirs:
                differences[f"{schema}.{name}"] = (only_mine, only_theirs)
    assert not differences, differences


def test_every_view_equals_a_full_refresh(warehouses: tuple[Path, Path]) -> None:
    incremental, full = warehouses
    names = relations(incremental, "VIEW")
    assert names == relations(full, "VIEW")
    assert ("main_staging", "stg_shop__orders") in names
    for schema, name in names:
        assert fingerprint(incremental, schema, name) == fingerprint(full, schema, name), name


def test_delta_exercised_the_hard_cases(warehouses: tuple[Path, Path]) -> None:
    incremental, _ = warehouses
    # The orphan order was re-classified when its customer arrived.
    assert query(
        incremental,
        "select row_disposition from main_staging.base_shop__orders where order_id = 'OLATE1'",
    ) == [("staged",)]
    # Newer versions of old orders beat the stored ones.
    assert query(
        incremental,
        "select count(*) > 0 from main_staging.base_shop__orders "
        "where row_disposition = 'duplicate' and order_status <> 'refunded'",
    ) == [(True,)]
    # The moved signup turned earlier orders into before_signup.
    assert query(
        incremental,
        "select count(*) > 0 from main_staging.base_shop__orders "
        "where quarantine_reason = 'before_signup' and _window_date < date '2026-06-01'",
    ) == [(True,)]
    # Reconciliation still holds after the incremental run.
    assert query(
        incremental,
        "select count(*) from main_staging.stg_audit__row_reconciliation "
        "where raw_row_count <> staged_row_count + quarantined_row_count + duplicate_row_count",
    ) == [(0,)]
