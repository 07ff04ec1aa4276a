"""Bring your own warehouse: the package on source tables shaped unlike its
demo seeds, read in place from Parquet files with native column types, the
tool's own column names and values, and most sources switched off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.python.dbt_helpers import query, run_dbt

UTC = dt.UTC
ZURICH = dt.timezone(dt.timedelta(hours=2))


def write(root: Path, name: str, table: pa.Table) -> None:
    (root / name).mkdir(parents=True, exist_ok=True)
    pq.write_table(table, root / name / "part-00000.parquet")


def shop_tables(root: Path) -> None:
    """A B2C shop: bigint ids, tz-aware timestamps, booleans, decimals, its
    own column names, statuses and currencies, and a raw event stream."""
    write(root, "raw_customers", pa.table({
        "id": pa.array([101, 102, 103, 104], pa.int64()),
        "email": [" Ann@Example.com", "bob@example.com", None, "dan@example.com"],
        # 2026-01-01 01:30 in Zurich (+02:00) is 2025-12-31 23:30 UTC.
        "created_at": pa.array([
            dt.datetime(2026, 1, 1, 1, 30, tzinfo=ZURICH),
            dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC),
            dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC),
            None,
        ], pa.timestamp("us", tz="UTC")),
        "accepts_marketing": pa.array([True, False, None, True]),
        "country": ["ch", "DE", "US", "US"],
    }))
    write(root, "raw_orders", pa.table({
        "name": pa.array([1001, 1002, 1003, 1004, 1005, 1006], pa.int64()),
        "customer": pa.array([101, 101, 101, 102, 102, 102], pa.int64()),
        "financial_status": ["Shipped", "returned", "PAID", "shipped", "cancelled", "paid"],
        "total_price": pa.array(
            [Decimal("100.00"), Decimal("40.00"), Decimal("10.00"), Decimal("50.00"),
             Decimal("999.00"), Decimal("20.00")], pa.decimal128(12, 2)),
        "currency": ["CHF", "CHF", "USD", "USD", "USD", "JPY"],
        "processed_at": pa.array([
            dt.datetime(2026, 6, 20, 10, 0, tzinfo=UTC),
            dt.datetime(2026, 6, 21, 10, 0, tzinfo=UTC),
            dt.datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
            dt.datetime(2026, 6, 1, 10, 0, tzinfo=UTC),
            dt.datetime(2026, 6, 2, 10, 0, tzinfo=UTC),
            dt.datetime(2026, 6, 3, 10, 0, tzinfo=UTC),
        ], pa.timestamp("us", tz="UTC")),
    }))
    stamps = [
        dt.datetime(2026, 6, 29, 9, 0, tzinfo=UTC),
        dt.datetime(2026, 6, 29, 9, 5, tzinfo=UTC),
        dt.datetime(2026, 6, 29, 23, 30, tzinfo=UTC),
        dt.datetime(2026, 6, 20, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 6, 20, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 6, 18, 8, 0, tzinfo=UTC),
    ]
    write(root, "raw_events", pa.table({
        "message_id": ["e1", "e2", "e3", "e4", "e4", None],
        "user_id": pa.array([101, 101, 101, 101, 101, 101], pa.int64()),
        "event": ["sign_in", "Product Viewed", "Added To Cart", "Order Completed",
                  "Order Completed", "sign_in"],
        "timestamp": pa.array(stamps, pa.timestamp("us", tz="UTC")),
    }))


SHOP_VARS: dict[str, Any] = {
    "audience_segments_use_demo_seeds": False,
    "audience_segments_using_accounts": False,
    "audience_segments_using_subscriptions": False,
    "audience_segments_using_survey_responses": False,
    "audience_segments_using_erasure_requests": False,
    "audience_segments_customers_columns": {
        "customer_id": "id", "signed_up_at": "created_at",
        "marketing_consent": "accepts_marketing", "country_code": "country",
    },
    "audience_segments_orders_columns": {
        "order_id": "name", "customer_id": "customer", "status": "financial_status",
        "amount": "total_price", "ordered_at": "processed_at",
    },
    "audience_segments_events_columns": {
        "event_id": "message_id", "customer_id": "user_id", "event_type": "event",
        "occurred_at": "timestamp",
    },
    "audience_segments_fx_rates": {"CHF": 1.25},
    "audience_segments_as_of_date": "2026-06-30",
    "audience_segments_max_valid_timestamp": "2026-06-30 23:59:59",
    "audience_segments_min_segment_size": 1,
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("shop")
    shop_tables(work / "sources")
    database = work / "shop.duckdb"
    dbt_vars = {**SHOP_VARS, "audience_segments_external_root": str(work / "sources")}
    result = run_dbt(["run"], database, work, dbt_vars)
    assert result.ok, result.output[-4000:]
    return database


def test_native_types_and_own_names_are_staged(shop: Path) -> None:
    rows = dict(query(shop, """
        select customer_id, signed_up_at from main_staging.stg_crm__customers order by 1
    """))
    # bigint ids become text; the Zurich timestamp is UTC; the customer
    # without a signup date is quarantined, not staged.
    assert rows == {
        "101": dt.datetime(2025, 12, 31, 23, 30),
        "102": dt.datetime(2025, 6, 1, 12, 0),
        "103": dt.datetime(2025, 6, 1, 12, 0),
    }
    assert query(shop, """
        select order_id, order_status, order_status_class, currency, reporting_amount
        from main_staging.stg_shop__orders order by 1
    """) == [
        ("1001", "shipped", "purchase", "CHF", Decimal("125.000000")),
        ("1002", "returned", "refund", "CHF", Decimal("50.000000")),
        ("1003", "paid", "purchase", "USD", Decimal("10.000000")),
        ("1004", "shipped", "purchase", "USD", Decimal("50.000000")),
        ("1005", "cancelled", "cancellation", "USD", Decimal("999.000000")),
    ]


def test_unknown_currency_and_missing_signup_are_quarantined(shop: Path) -> None:
    assert query(shop, """
        select source_key, natural_key, reason_code, column_name, raw_value
        from main_staging.stg_audit__quarantined_rows order by 1, 2
    """) == [
        ("customers", "104", "missing_timestamp", "signed_up_at", None),
        ("orders", "1006", "unknown_currency", "currency", "JPY"),
    ]


def test_raw_events_are_counted_per_day_and_mapped_to_signals(shop: Path) -> None:
    assert query(shop, """
        select event_date, event_type, signal_kind, event_count
        from main_staging.stg_product__events order by 1, 2
    """) == [
        (dt.date(2026, 6, 18), "sign_in", "login", 1),
        (dt.date(2026, 6, 20), "order_completed", "other", 1),  # e4 twice: one event
        (dt.date(2026, 6, 29), "added_to_cart", "add_to_cart", 1),
        (dt.date(2026, 6, 29), "product_viewed", "page_view", 1),
        (dt.date(2026, 6, 29), "sign_in", "login", 1),
    ]
    duplicates = query(shop, """
        select duplicate_row_count from main_staging.stg_audit__row_reconciliation
        where source_key = 'events'
    """)
    assert duplicates == [(1,)]


def test_customer_360_from_a_b2c_shop(shop: Path) -> None:
    rows = {row[0]: row[1:] for row in query(shop, """
        select customer_id, count_orders, count_refunded_orders, total_revenue,
            count_active_days_last_30_days, count_logins_last_30_days, has_abandoned_cart,
            is_b2b, has_marketing_consent, company_size_band, current_mrr, primary_goal
        from main_marts.customer_360 order by 1
    """)}
    # 101: shipped 100 CHF (125 USD) + paid 10 USD; the returned order is a refund.
    assert rows["101"] == (2, 1, Decimal("135.000000"), 3, 2, False, False, True, None, 0, None)
    # 102: one shipped order; the cancelled one and the JPY one do not count.
    assert rows["102"] == (1, 0, Decimal("50.000000"), 0, 0, False, False, False, None, 0, None)


def test_schemes_needing_switched_off_sources_are_left_out(shop: Path) -> None:
    schemes = {name for (name,) in query(
        shop, "select distinct scheme_name from main_marts.segment_definitions"
    )}
    assert "value_rfm" in schemes
    assert not schemes & {"firmographic", "technographic", "need_based"}


# ------------------------------------------------------- compile errors

def compile_error(tmp_path: Path, tables: dict[str, pa.Table], dbt_vars: dict[str, Any]) -> str:
    root = tmp_path / "sources"
    for name, table in tables.items():
        write(root, name, table)
    result = run_dbt(
        ["compile", "--select", "base_shop__orders", "stg_shop__orders"],
        tmp_path / "c.duckdb",
        tmp_path,
        {**SHOP_VARS, "audience_segments_external_root": str(root), **dbt_vars},
    )
    assert not result.ok
    return result.output


def test_a_missing_required_column_names_source_column_and_relation(tmp_path: Path) -> None:
    shop_tables(tmp_path / "sources")
    orders = pq.read_table(tmp_path / "sources" / "raw_orders" / "part-00000.parquet")
    output = compile_error(tmp_path, {"raw_orders": orders.drop_columns(["total_price"])}, {})
    assert "source orders" in output
    assert "has no column total_price" in output
    assert "'amount'" in output
    assert "raw_orders" in output


def test_an_unknown_contract_column_in_the_mapping_fails(tmp_path: Path) -> None:
    shop_tables(tmp_path / "sources")
    output = compile_error(tmp_path, {}, {
        "audience_segments_orders_columns": {"ammount": "total_price"},
    })
    assert "audience_segments_orders_columns: 'ammount' is not a column of the orders contract" in output


def test_a_timestamp_format_reads_non_iso_dates(tmp_path: Path) -> None:
    shop_tables(tmp_path / "sources")
    root = tmp_path / "sources"
    orders = pq.read_table(root / "raw_orders" / "part-00000.parquet")
    text_dates = pa.array(["20260620", "20260621", "20260301", "20260601", "2026-06-02", "20260603"])
    write(root, "raw_orders", orders.set_column(
        orders.schema.get_field_index("processed_at"), "processed_at", text_dates
    ))
    dbt_vars = {
        **SHOP_VARS,
        "audience_segments_external_root": str(root),
        "audience_segments_orders_timestamp_format": "%Y%m%d",
    }
    result = run_dbt(["run", "--select", "+stg_shop__orders"], tmp_path / "f.duckdb", tmp_path, dbt_vars)
    assert result.ok, result.output[-4000:]
    rows = query(tmp_path / "f.duckdb", """
        select order_id, ordered_at, quarantine_reason, quarantine_value
        from main_staging.base_shop__orders order by 1
    """)
    assert rows[0] == ("1001", dt.datetime(2026, 6, 20), None, None)
    # ISO text does not match the configured format: quarantined, with the value.
    assert rows[4] == ("1005", None, "unparseable_timestamp", "2026-06-02")


def test_a_status_mapping_adds_to_the_defaults(tmp_path: Path) -> None:
    shop_tables(tmp_path / "sources")
    dbt_vars = {
        **SHOP_VARS,
        "audience_segments_external_root": str(tmp_path / "sources"),
        # shipped moves from purchase to refund; paid stays a purchase.
        "audience_segments_order_statuses": {"refund": ["shipped"]},
    }
    result = run_dbt(["run", "--select", "+stg_shop__orders"], tmp_path / "s.duckdb", tmp_path, dbt_vars)
    assert result.ok, result.output[-4000:]
    assert dict(query(tmp_path / "s.duckdb", """
        select order_status, max(order_status_class) from main_staging.stg_shop__orders group by 1
    """)) == {"shipped": "refund", "returned": "refund", "paid": "purchase", "cancelled": "cancellation"}


def test_an_unknown_status_class_fails_naming_the_var(tmp_path: Path) -> None:
    shop_tables(tmp_path / "sources")
    output = compile_error(tmp_path, {}, {"audience_segments_order_statuses": {"sale": ["paid"]}})
    assert "audience_segments_order_statuses: unknown class 'sale'" in output


def test_case_insensitive_ids_make_one_customer(tmp_path: Path) -> None:
    root = tmp_path / "sources"
    write(root, "raw_customers", pa.table({
        "customer_id": ["C1", " c1\t", "C2"],
        "signed_up_at": ["2026-01-01 00:00:00", "2026-02-01 00:00:00", "2026-01-01 00:00:00"],
        "updated_at": ["2026-01-01 00:00:00", "2026-02-01 00:00:00", None],
    }))
    dbt_vars = {
        "audience_segments_use_demo_seeds": False,
        "audience_segments_external_root": str(root),
        **{f"audience_segments_using_{name}": False for name in (
            "accounts", "orders", "events", "subscriptions", "survey_responses", "erasure_requests")},
    }
    select = ["run", "--select", "base_crm__customers"]
    sensitive = run_dbt(select, tmp_path / "a.duckdb", tmp_path, dbt_vars)
    insensitive = run_dbt(select, tmp_path / "b.duckdb", tmp_path,
                          {**dbt_vars, "audience_segments_case_insensitive_ids": True})
    assert sensitive.ok and insensitive.ok, (sensitive.output + insensitive.output)[-4000:]
    disposition = "select customer_id, row_disposition from main_staging.base_crm__customers order by 1, 2"
    assert query(tmp_path / "a.duckdb", disposition) == [("C1", "staged"), ("C2", "staged"), ("c1", "staged")]
    assert query(tmp_path / "b.duckdb", disposition) == [("c1", "duplicate"), ("c1", "staged"), ("c2", "staged")]
