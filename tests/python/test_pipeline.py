"""The pipeline built from scratch: row conservation, grain, privacy, and
hand-computed features for a handful of fixture customers."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.python.dbt_helpers import REPO_ROOT, TEST_SALT, query, relation, run_dbt, scalar

SOURCES = {
    "crm.customers": "raw_customers",
    "crm.accounts": "raw_accounts",
    "shop.orders": "raw_orders",
    "product.events": "raw_events",
    "billing.subscriptions": "raw_subscriptions",
    "survey.survey_responses": "raw_survey_responses",
    "privacy.erasure_requests": "raw_erasure_requests",
    "finance.fx_rates": "raw_fx_rates",
}


def csv_rows(name: str) -> list[dict[str, str]]:
    with (REPO_ROOT / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def clean_id(value: str) -> str:
    # As clean_key trims: every kind of whitespace, zero-width and BOM too.
    return value.strip().strip("\u200b\u200c\u200d\u2060\ufeff").strip()


def erased_ids() -> set[str]:
    """The people the demo's erasure requests name, computed from the CSV
    files alone: the requested ids and every id sharing their e-mail."""
    requested = {clean_id(row["customer_id"]) for row in csv_rows("raw_erasure_requests")} - {""}
    customers = csv_rows("raw_customers")
    emails = {
        row["email"].strip().lower() for row in customers if clean_id(row["customer_id"]) in requested
    } - {""}
    return requested | {clean_id(row["customer_id"]) for row in customers if row["email"].strip().lower() in emails}


@pytest.mark.parametrize("source_name", sorted(SOURCES))
def test_every_raw_row_is_staged_quarantined_a_duplicate_or_erased(
    demo_warehouse: Path, source_name: str
) -> None:
    raw, staged, quarantined, duplicates, erased = query(
        demo_warehouse,
        "select raw_row_count, staged_row_count, quarantined_row_count, duplicate_row_count, erased_row_count "
        f"from main_staging.stg_audit__row_reconciliation where source_name = '{source_name}'",
    )[0]
    # The raw and erased counts come from the CSV files, not from the warehouse.
    rows = csv_rows(SOURCES[source_name])
    assert raw == len(rows)
    people = erased_ids()
    expected_erased = (
        sum(clean_id(row["customer_id"]) in people for row in rows)
        if "customer_id" in rows[0] and source_name != "privacy.erasure_requests"
        else 0
    )
    assert erased == expected_erased
    assert raw == staged + quarantined + duplicates + erased


def test_demo_dirt_is_quarantined_with_reasons(demo_warehouse: Path) -> None:
    reasons = {
        (source, reason)
        for source, reason in query(
            demo_warehouse,
            "select distinct source_name, reason_code from main_staging.stg_audit__quarantined_rows",
        )
    }
    for expected in [
        ("crm.customers", "malformed_email"),
        ("crm.customers", "missing_key"),
        ("crm.customers", "future_timestamp"),
        ("shop.orders", "orphan_customer"),
        ("shop.orders", "negative_amount"),
        ("shop.orders", "missing_amount"),
        ("shop.orders", "before_signup"),
        ("product.events", "invalid_count"),
    ]:
        assert expected in reasons


def test_customer_360_has_one_row_per_valid_customer(demo_warehouse: Path) -> None:
    total, distinct = query(
        demo_warehouse,
        "select count(*), count(distinct customer_id) from main_marts.customer_360",
    )[0]
    staged = {c for (c,) in query(demo_warehouse, f"select customer_id from {relation(demo_warehouse, 'stg_crm__customers')}")}
    assert total == distinct == len(staged)
    people = erased_ids()
    assert len(people) > 20, "the demo data must exercise erasure"
    # Erased people never reach staging, let alone the marts.
    assert staged & people == set()


def test_no_personal_data_reaches_the_marts(demo_warehouse: Path) -> None:
    columns = {
        name
        for (name,) in query(
            demo_warehouse,
            "select column_name from information_schema.columns where table_schema = 'main_marts'",
        )
    }
    assert not columns & {"email", "first_name", "last_name"}
    assert scalar(
        demo_warehouse,
        "select count(*) from main_marts.customer_360 where email_hash like '%@%'",
    ) == 0


# --------------------------------------------------------------- fixtures

CUSTOMER_COLUMNS = [
    "customer_id", "email", "first_name", "last_name", "birth_date", "gender", "country_code",
    "region", "city", "postal_code", "job_title", "seniority", "acquisition_channel",
    "signed_up_at", "marketing_consent", "account_id", "updated_at",
]


def customer(**values: str) -> dict[str, str | None]:
    return {column: values.get(column) for column in CUSTOMER_COLUMNS}


FIXTURE: dict[str, list[dict[str, str | None]]] = {
    "raw_customers": [
        customer(customer_id="F1", email=" F1@Example.com ", birth_date="1990-07-01",
                 country_code="us", city="Old City", account_id="A1", marketing_consent="yes",
                 acquisition_channel=" Paid Search", signed_up_at="2025-01-01 09:00:00",
                 updated_at="2025-01-01 09:00:00"),
        customer(customer_id="F1", email="f1@example.com", birth_date="1990-07-01",
                 country_code="US", city="Boston", postal_code="02 116", account_id="A1", marketing_consent="yes",
                 acquisition_channel="paid_search", signed_up_at="2025-01-01 09:00:00",
                 updated_at="2025-03-01 09:00:00"),
        customer(customer_id="F2", email=None, country_code="XX", marketing_consent="no",
                 signed_up_at="2026-06-10 10:00:00", updated_at="2026-06-10 10:00:00"),
        customer(customer_id="F3", email="f3@example.com", signed_up_at="2025-01-01 00:00:00"),
        customer(customer_id="F4", email="f4@@example.com", signed_up_at="2025-01-01 00:00:00"),
    ],
    "raw_accounts": [
        {"account_id": "A1", "account_name": "Acme", "industry": " Manufacturing",
         "employee_count": "250", "annual_revenue": "5000000", "country_code": "US",
         "tech_stack": "Salesforce|aws", "growth_stage": "growth",
         "updated_at": "2025-01-01 00:00:00"},
    ],
    "raw_orders": [
        {"order_id": f"O{i}", "customer_id": customer_id, "ordered_at": at, "status": status,
         "amount": amount, "currency": "USD", "sales_channel": "web",
         "product_category": "services", "updated_at": at}
        for i, (customer_id, at, status, amount) in enumerate([
            ("F1", "2026-06-25 10:00:00", "completed", "100"),
            ("F1", "2026-05-01 10:00:00", "Completed", "200"),
            ("F1", "2025-12-15 10:00:00", "completed", "50"),
            ("F1", "2026-06-01 10:00:00", "refunded", "75"),
            ("F4", "2026-06-01 10:00:00", "completed", "75"),
        ])
    ],
    "raw_events": [
        {"customer_id": "F1", "event_date": day, "event_type": kind, "feature_name": feature,
         "event_count": count}
        for day, kind, feature, count in [
            ("2026-06-29", "login", None, "3"),
            ("2026-06-20", "feature_used", "api", "2"),
            ("2026-06-28", "add_to_cart", None, "1"),
        ]
    ],
    "raw_subscriptions": [
        {"subscription_id": "S1", "customer_id": "F1", "plan": "pro",
         "trial_started_at": None, "started_at": "2026-01-01 00:00:00", "cancelled_at": None,
         "mrr": "100", "status": "active", "updated_at": None},
    ],
    "raw_survey_responses": [
        {"response_id": "R1", "customer_id": "F1", "answered_at": "2026-01-01 00:00:00",
         "primary_goal": "cut_costs", "main_pain_point": "manual_work", "motivation": "price"},
        {"response_id": "R2", "customer_id": "F1", "answered_at": "2026-03-01 00:00:00",
         "primary_goal": "Save Time", "main_pain_point": "manual_work", "motivation": "price"},
    ],
    "raw_erasure_requests": [{"customer_id": "F3", "requested_at": "2026-02-01 00:00:00"}],
}


@pytest.fixture(scope="module")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hand-made source rows as Parquet, read in place (no seeds)."""
    work_dir = tmp_path_factory.mktemp("fixture")
    root = work_dir / "sources"
    for name, rows in FIXTURE.items():
        (root / name).mkdir(parents=True)
        columns = list(rows[0])
        table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns})
        pq.write_table(table, root / name / "part-00000.parquet")
    database = work_dir / "fixture.duckdb"
    result = run_dbt(
        ["run"],
        database,
        work_dir,
        # Two customers cannot be 5-anonymous: k=1 keeps the values to check.
        {"audience_segments_external_root": str(root), "audience_segments_k_anonymity": 1},
    )
    assert result.ok, result.output[-4000:]
    return database


def test_fixture_customers_get_hand_computed_features(fixture_warehouse: Path) -> None:
    rows = query(
        fixture_warehouse,
        """
        select customer_id, as_of_date, count_orders, count_refunded_orders, total_revenue,
            days_since_last_order, count_orders_last_30_days, count_orders_last_90_days,
            count_orders_last_6_months, count_active_days_last_30_days,
            count_features_adopted_last_90_days, engagement_score, has_abandoned_cart,
            is_b2b, company_size_band, revenue_band, industry, uses_salesforce, count_tools,
            age_band, tenure_days, country_code, postal_prefix, acquisition_channel,
            has_marketing_consent, primary_goal, current_subscription_status, current_mrr,
            recency_score, email_hash
        from main_marts.customer_360 order by customer_id
        """,
    )
    by_id = {row[0]: row for row in rows}
    # F3 asked to be forgotten; F4 was quarantined for a malformed e-mail.
    assert sorted(by_id) == ["F1", "F2"]

    as_of = date(2026, 6, 29)  # latest valid activity: F1's login
    f1 = by_id["F1"]
    assert f1[1:15] == (
        as_of, 3, 1, 350, 4, 1, 2, 2, 3, 1,
        13,  # 40*3/20 + 20*1/5 + 20*3/20 + 0 = 6 + 4 + 3 = 13
        False,  # carted, but bought within the 30 days
        True, "mid_market",
    )
    assert f1[15:25] == (
        "1m_to_10m", "manufacturing", True, 2, "35_44", 544, "US", "02", "paid_search", True,
    )
    assert f1[25:29] == ("save_time", "active", 100, 1)
    salted = hashlib.sha256(f"{TEST_SALT}f1@example.com".encode()).hexdigest()
    assert f1[29] == salted

    f2 = by_id["F2"]
    assert f2[2] == 0 and f2[5] is None and f2[11] == 0
    assert f2[13] is False and f2[14] is None
    assert f2[20] == 19 and f2[21] is None  # unknown country code becomes NULL
    assert f2[24] is False and f2[28] is None


def test_fixture_quarantine_names_the_broken_rows(fixture_warehouse: Path) -> None:
    rows = query(
        fixture_warehouse,
        "select source_name, natural_key, reason_code from main_staging.stg_audit__quarantined_rows "
        "order by 1, 2",
    )
    assert rows == [
        ("crm.customers", "F4", "malformed_email"),
        ("shop.orders", "O4", "orphan_customer"),
    ]
