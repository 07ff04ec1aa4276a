"""An incremental run after a daily delta equals a full refresh, row for row.

Build on generated Parquet data, then change the sources the way a day of a
real warehouse does and run incrementally:

* appended (new Parquet parts): a new day, late rows inside the lookback
  window, newer versions of old orders, a double load of events, an order
  whose customer only arrives in the delta, and a customer whose signup moves
  so that old orders become `before_signup`;
* updated in place (the part that holds the row is rewritten with the changed
  row replacing the old one): an old order refunded with a newer updated_at,
  an old order whose amount is corrected without touching updated_at, a
  recent order whose ordered_at moves to an old date, a customer whose
  marketing consent and country change, and a subscription that is
  cancelled;
* deleted (the row is removed from its part): an old order, and a customer
  whose orders, events and subscription stay behind as orphans;
* erased: a request for a customer whose stored orders and events lie
  before the window (the events table turns them into its blank per-day
  erased rows, the orders table into removed versions).

Then build the same files from scratch and compare every table and view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts import generate_data
from scripts.benchmark import GENERATED_FX_RATES, append_daily_delta
from tests.python.dbt_helpers import DbtResult, query, relation_in, run_dbt

CUSTOMERS = 3000
LATE_CUSTOMER = "C8000001"
SCHEMAS = ("main_staging", "main_intermediate", "main_marts")


@dataclass(frozen=True)
class InPlaceChanges:
    """What `update_and_delete_in_place` changed, for the assertions."""

    refunded_order: str
    corrected_order: str
    corrected_amount: str
    moved_order: str
    moved_ordered_at: str
    deleted_order: str
    updated_customer: str
    deleted_customer: str
    erased_customer: str
    cancelled_subscription: str


@dataclass(frozen=True)
class Warehouses:
    incremental: Path
    full: Path
    second_run: DbtResult
    changes: InPlaceChanges


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


def _typed(value: str | None, column_type: pa.DataType) -> Any:
    """A text value in the part's own column type (every column is text today)."""
    if value is None or pa.types.is_string(column_type) or pa.types.is_large_string(column_type):
        return value
    return pa.array([value], pa.string()).cast(column_type)[0].as_py()


def rewrite_parts(
    root: Path, table: str, key: str, changes: dict[str, dict[str, str | None] | None]
) -> None:
    """Update or delete rows in place, as a warehouse export does.

    Every part file that holds a key of `changes` is rewritten: the row of that
    key is replaced by its changed version (a dict of column -> new value) or
    dropped (None). Other rows, their order and the part's schema stay; no part
    is added. Each key must be exactly one raw row.
    """
    with duckdb.connect() as connection:
        parts = [Path(name) for (name,) in connection.execute(
            f"select distinct filename from read_parquet('{root}/{table}/*.parquet', filename = true) "
            f"where list_contains(?, {key})",
            [list(changes)],
        ).fetchall()]
    seen: dict[str, int] = defaultdict(int)
    for part in parts:
        arrow = pq.read_table(part)
        rows = []
        for row in arrow.to_pylist():
            if row[key] in changes:
                seen[row[key]] += 1
                change = changes[row[key]]
                if change is None:
                    continue
                row = {**row, **{  # noqa: PLW2901 - the changed version replaces the raw row
                    column: _typed(value, arrow.schema.field(column).type)
                    for column, value in change.items()
                }}
            rows.append(row)
        scratch = part.with_name(part.name + ".rewrite")
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow.schema), scratch, compression="zstd")
        scratch.replace(part)
    assert seen == dict.fromkeys(changes, 1), (table, dict(seen))


def update_and_delete_in_place(root: Path, database: Path) -> InPlaceChanges:
    """Delta, in place: pick clean staged rows of the first build (one raw row
    per key, a distinct clean customer each) and rewrite the parts that hold
    them. Old means well before the incremental window, recent inside it."""
    with duckdb.connect(str(database), read_only=True) as connection:
        for table in ("customers", "orders", "subscriptions", "erasure_requests"):
            connection.execute(
                f"create temp view raw_{table} as select * from read_parquet('{root}/raw_{table}/*.parquet')"
            )
        # Customers with one raw row, staged, not erased, with staged orders,
        # events and a subscription (so a deleted one leaves orphans of each).
        connection.execute("""
            create temp view clean_customers as
            select customer_id, country_code, has_marketing_consent, signed_up_at
            from main_staging.stg_crm__customers
            where customer_id in (select customer_id from raw_customers group by 1 having count(*) = 1)
              and customer_id not in (
                  select customer_id from raw_erasure_requests where customer_id is not null)
              and customer_id in (select customer_id from main_staging.stg_shop__orders)
              and customer_id in (select customer_id from main_staging.stg_product__events)
              and customer_id in (
                  select customer_id from main_staging.stg_billing__subscriptions)
        """)
        # The window start the incremental run computes (default lookback of
        # 3 days), and the stamp of the new day (append_daily_delta's rows).
        window_start, stamp = connection.execute("""
            select
                (select max(cast(greatest(ordered_at, coalesce(updated_at, ordered_at)) as date)) - 3 from main_staging.base_shop__orders
                 where cast(greatest(ordered_at, coalesce(updated_at, ordered_at)) as date) <= current_date),
                (select strftime(max(try_cast(updated_at as timestamp)), '%Y-%m-%d %H:%M:%S')
                 from raw_orders where try_cast(updated_at as timestamp) < timestamp '2050-01-01')
        """).fetchone()
        moved_at = f"{window_start.replace(year=window_start.year - 1):%Y-%m-%d} 09:30:00"
        used: list[str] = []

        def pick(sql: str, *params: Any) -> tuple[Any, ...]:
            row = connection.execute(
                f"select * from ({sql}) where not list_contains(?, customer_id) order by 1 limit 1",
                [*params, used],
            ).fetchone()
            assert row is not None, sql
            used.append(row[1])
            return row

        orders = """
            select staged.order_id, staged.customer_id, raw.amount
            from main_staging.base_shop__orders as staged
            join raw_orders as raw on raw.order_id = staged.order_id
            join clean_customers on clean_customers.customer_id = staged.customer_id
            where staged.row_disposition = 'staged' and raw.status = 'completed'
              and staged.order_id in (select order_id from raw_orders group by 1 having count(*) = 1)
              and {}
        """
        old = orders.format(
            "cast(greatest(staged.ordered_at, coalesce(staged.updated_at, staged.ordered_at)) as date)"
            " < cast(? as date) - 30"
        )
        refunded, *_ = pick(old, window_start)
        corrected, _, amount = pick(old, window_start)
        deleted_order, *_ = pick(old, window_start)
        moved, *_ = pick(orders.format(
            "staged.ordered_at >= cast(? as date) and clean_customers.signed_up_at < cast(? as timestamp)"
        ), window_start, moved_at)
        deleted_customer, _ = pick("select customer_id as picked, customer_id from clean_customers")
        updated_customer, _ = pick(
            "select customer_id as picked, customer_id from clean_customers "
            "where country_code = 'US' and has_marketing_consent"
        )
        # Events well before the window, so the post-hook, not the replaced
        # days, has to erase them.
        erased_customer, _ = pick(
            "select customer_id as picked, customer_id from clean_customers where customer_id in ("
            f"select customer_id from {relation_in(database.parent / 'first', 'stg_product__events')} group by 1 "
            "having max(event_date) < cast(? as date) - 30)",
            window_start,
        )
        subscription, *_ = pick("""
            select staged.subscription_id, staged.customer_id
            from main_staging.base_billing__subscriptions as staged
            join raw_subscriptions as raw on raw.subscription_id = staged.subscription_id
            join clean_customers on clean_customers.customer_id = staged.customer_id
            where staged.row_disposition = 'staged' and raw.status = 'active'
              and raw.started_at is not null
              and staged.subscription_id in (
                  select subscription_id from raw_subscriptions group by 1 having count(*) = 1)
        """)

    corrected_amount = f"{float(amount) + 7.77:.2f}"
    rewrite_parts(root, "raw_orders", "order_id", {
        # A refund: new status, newer updated_at.
        refunded: {"status": "refunded", "updated_at": stamp},
        # A late correction that does not touch updated_at.
        corrected: {"amount": corrected_amount},
        # A recent order re-dated a year back, far outside any lookback window.
        moved: {"ordered_at": moved_at, "updated_at": stamp},
        # A hard delete.
        deleted_order: None,
    })
    rewrite_parts(root, "raw_customers", "customer_id", {
        updated_customer: {"marketing_consent": "false", "country_code": "NL", "updated_at": stamp},
        # Its orders, events and subscription stay in the sources: orphans now.
        deleted_customer: None,
    })
    write_part(root, "raw_erasure_requests", [{"customer_id": erased_customer, "requested_at": stamp}], 99_998)
    rewrite_parts(root, "raw_subscriptions", "subscription_id", {
        subscription: {"status": "cancelled", "cancelled_at": stamp, "updated_at": stamp},
    })
    return InPlaceChanges(
        refunded_order=refunded, corrected_order=corrected, corrected_amount=corrected_amount,
        moved_order=moved, moved_ordered_at=moved_at, deleted_order=deleted_order,
        updated_customer=updated_customer, deleted_customer=deleted_customer,
        erased_customer=erased_customer, cancelled_subscription=subscription,
    )


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
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Warehouses:
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
        "audience_segments_fx_rates": GENERATED_FX_RATES,
        # A 3,000-customer base is too small for the production segment-size floor.
        "audience_segments_min_segment_size": 1,
    }
    build = ["build", "--exclude", "resource_type:seed", "resource_type:unit_test"]

    incremental = work / "incremental.duckdb"
    first = run_dbt(build, incremental, work / "first", dbt_vars)
    assert first.ok, first.output[-4000:]
    assert append_daily_delta(root) > 0
    customer_changes(root)
    changes = update_and_delete_in_place(root, incremental)
    # A red incremental build is reported by its own test, after the
    # comparisons have said which tables it got wrong.
    second = run_dbt(build, incremental, work / "second", dbt_vars)

    full = work / "full.duckdb"
    scratch = run_dbt(build, full, work / "full", dbt_vars)
    assert scratch.ok, scratch.output[-4000:]
    return Warehouses(incremental, full, second, changes)


def test_every_table_equals_a_full_refresh_row_by_row(warehouses: Warehouses) -> None:
    incremental, full = warehouses.incremental, warehouses.full
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
    assert not differences, "rows only in the incremental build / only in the full refresh:\n" + "\n".join(
        f"  {name}: {only_mine} / {only_theirs}" for name, (only_mine, only_theirs) in differences.items()
    )


def test_every_view_equals_a_full_refresh(warehouses: Warehouses) -> None:
    incremental, full = warehouses.incremental, warehouses.full
    names = relations(incremental, "VIEW")
    assert names == relations(full, "VIEW")
    assert ("main_staging", "stg_shop__orders") in names
    differences = [
        name for schema, name in names
        if fingerprint(incremental, schema, name) != fingerprint(full, schema, name)
    ]
    assert not differences, differences


def test_the_incremental_build_is_green(warehouses: Warehouses) -> None:
    second = warehouses.second_run
    failed = [line for line in second.output.splitlines() if " FAIL " in line or " ERROR " in line]
    assert second.ok, "\n".join(failed) or second.output[-4000:]
    assert "incremental model main_staging.base_shop__orders" in second.output


def test_delta_exercised_the_hard_cases(warehouses: Warehouses) -> None:
    incremental, changes = warehouses.incremental, warehouses.changes
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
        "where quarantine_reason = 'before_signup' and cast(ordered_at as date) < date '2026-06-01'",
    ) == [(True,)]
    # Orders updated in place: one version each (the old one left the
    # source), staged with the new values.
    staged_orders = dict(query(
        incremental,
        "select base.order_id, list(base.row_disposition order by base.row_disposition) from main_staging.base_shop__orders as base "
        f"where base.order_id in ('{changes.refunded_order}', '{changes.corrected_order}', "
        f"'{changes.moved_order}', '{changes.deleted_order}') group by 1",
    ))
    assert staged_orders == {
        changes.refunded_order: ["staged"], changes.corrected_order: ["staged"],
        changes.moved_order: ["staged"],
    }
    rows = {
        order_id: (status, str(amount), str(ordered_at))
        for order_id, status, amount, ordered_at in query(
            incremental,
            "select order_id, order_status, cast(amount as varchar), "
            "strftime(ordered_at, '%Y-%m-%d %H:%M:%S') from main_staging.stg_shop__orders "
            f"where order_id in ('{changes.refunded_order}', '{changes.corrected_order}', "
            f"'{changes.moved_order}', '{changes.deleted_order}')",
        )
    }
    assert set(rows) == {changes.refunded_order, changes.corrected_order, changes.moved_order}
    assert rows[changes.refunded_order][0] == "refunded"
    assert float(rows[changes.corrected_order][1]) == float(changes.corrected_amount)
    assert rows[changes.moved_order][2] == changes.moved_ordered_at
    # The customer updated in place is staged with its new consent and country.
    assert query(
        incremental,
        "select has_marketing_consent, country_code from main_staging.stg_crm__customers "
        f"where customer_id = '{changes.updated_customer}'",
    ) == [(False, "NL")]
    # The deleted customer is gone; its orders, events and subscription stayed
    # in the sources and are quarantined as orphans (events: on read, in the
    # checked view over the customer-independent events table).
    deleted = changes.deleted_customer
    assert query(
        incremental,
        f"select count(*) from main_staging.base_crm__customers where customer_id = '{deleted}'",
    ) == [(0,)]
    for base in ("base_shop__orders", "base_product__events_checked", "base_billing__subscriptions"):
        assert query(
            incremental,
            f"select count(*) > 0, count(*) filter (where quarantine_reason is distinct from 'orphan_customer') "
            f"from main_staging.{base} where customer_id = '{deleted}'",
        ) == [(True, 0)], base
    # The erased customer left no row behind; the events stored for them
    # became blank erased rows of their days.
    erased = changes.erased_customer
    second = incremental.parent / "second"
    for base in ("base_crm__customers", "base_shop__orders", "base_product__events", "base_billing__subscriptions"):
        assert query(
            incremental, f"select count(*) from {relation_in(second, base)} where customer_id = '{erased}'"
        ) == [(0,)], base
    assert query(
        incremental,
        "select count(*) > 0, count(*) filter (where event_id is not null or event_type is not null) "
        f"from {relation_in(second, 'base_product__events')} where row_disposition = 'erased'",
    ) == [(True, 0)]
    # The subscription updated in place is staged as cancelled.
    assert query(
        incremental,
        "select subscription_status, cancelled_at is not null from main_staging.stg_billing__subscriptions "
        f"where subscription_id = '{changes.cancelled_subscription}'",
    ) == [("cancelled", True)]
    # Reconciliation still holds after the incremental run.
    assert query(
        incremental,
        "select source_name, raw_row_count, staged_row_count, quarantined_row_count, duplicate_row_count, "
        f"erased_row_count from {relation_in(incremental.parent / 'second', 'stg_audit__row_reconciliation')} "
        "where raw_row_count <> staged_row_count + quarantined_row_count + duplicate_row_count + erased_row_count",
    ) == []
