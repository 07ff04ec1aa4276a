"""The package as consuming projects use it, on three shapes of customer data.

Each project under integration_tests/ installs the package with `local:`,
loads its own small fixture tables (native types, its own table and column
names, realistic dirt) with `dbt seed` and reads them as sources through the
package vars; the package's demo seeds are switched off. Each is built from
scratch into a throw-away DuckDB file with the package's default severities:
the build must be green (warnings allowed, nothing failed or skipped), the
project's own tests (hand-computed values in seeds/expected/) must have run
and passed, and the package's own unit tests must not run in it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.python.dbt_helpers import REPO_ROOT, query, run_dbt, scalar
from tests.python.test_quality_gate import gx_project_copy

PROJECTS = REPO_ROOT / "integration_tests"
HEALTH_CHECKS = {"min_size", "max_share", "completeness", "quarantine_share"}
# The landing tables are loaded by `dbt seed` first (sources are not linked to
# the seeds in the DAG); `cautious` keeps the project's tests, which also read
# its expected seeds, in the build.
BUILD = ["build", "--exclude", "resource_type:seed", "--indirect-selection", "cautious"]


@dataclass(frozen=True)
class Shape:
    """What a consuming project is expected to give."""

    # registry source (customers, orders, ...) -> landing CSV it is read from
    landing: dict[str, str]
    # staged rows per source, counted by hand from the CSV files
    staged: dict[str, int]
    # rows of customer_360
    customers: int
    # every quarantined (source, natural key, reason code), events apart
    quarantined: set[tuple[str, str, str]]
    # reason code -> rows of the events source (its natural key is the
    # package's aggregation key, not the tool's event id)
    quarantined_events: dict[str, int]
    schemes_present: set[str]
    schemes_absent: set[str]
    # the project's own singular tests, each must run and pass
    own_tests: set[str]


COMMON_TESTS = {
    "assert_customer_values_match_expected",
    "assert_primary_segments_match_expected",
    "assert_absent_customers_are_in_no_mart",
}

SHAPES = {
    "b2c_shop": Shape(
        landing={
            "customers": "shopify_customers",
            "orders": "shopify_orders",
            "events": "segment_tracks",
        },
        # customers: 21 rows, 1003 twice, 1004 malformed e-mail;
        # orders: 31 ids in 33 rows, 5104 (JPY) and 5301 (customer 1004) out
        staged={"customers": 19, "orders": 29},
        customers=19,
        quarantined={
            ("customers", "1004", "malformed_email"),
            ("orders", "5104", "unknown_currency"),
            ("orders", "5301", "orphan_customer"),
        },
        # ajs-0302 (customer 1004), ajs-0301 (anonymous)
        quarantined_events={"orphan_customer": 1, "missing_key": 1},
        schemes_present={"shop_targets", "lifecycle_ecommerce", "engagement_ecommerce"},
        # their rules read accounts, subscriptions or the survey, all off
        schemes_absent={"firmographic", "technographic", "need_based", "account_health", "lifecycle"},
        own_tests=COMMON_TESTS,
    ),
    "transactions_only": Shape(
        landing={"customers": "online_retail_customers", "orders": "online_retail_invoices"},
        # customers: 16 rows, 12350 twice, 12360 without a signup date;
        # orders: 27 ids in 28 rows, 581030 (no customer) and 581031 (20260230) out
        staged={"customers": 14, "orders": 25},
        customers=14,
        quarantined={
            ("customers", "12360", "missing_timestamp"),
            ("orders", "581031", "unparseable_timestamp"),
            ("orders", "581030", "orphan_customer"),
        },
        quarantined_events={},
        schemes_present={"value_rfm"},
        schemes_absent={
            "lifecycle", "engagement", "intent", "firmographic", "technographic",
            "need_based", "account_health",
        },
        own_tests=COMMON_TESTS,
    ),
    "b2b_full": Shape(
        landing={
            "customers": "crm_contacts",
            "accounts": "crm_accounts",
            "orders": "shop_orders",
            "events": "product_events_daily",
            "subscriptions": "billing_subscriptions",
            "survey_responses": "survey_answers",
            "erasure_requests": "privacy_erasure_requests",
        },
        # customers: 31 rows, C005 twice, C029 malformed, C030 erased (never staged);
        # orders: 24 ids in 26 rows, four quarantined
        staged={"customers": 28, "accounts": 8, "orders": 20, "subscriptions": 8},
        customers=28,
        quarantined={
            ("customers", "C029", "malformed_email"),
            ("orders", "O1052", "negative_amount"),
            ("orders", "O1092", "future_timestamp"),
            ("orders", "O1121", "orphan_customer"),
            ("orders", "O1131", "orphan_customer"),
            ("survey_responses", "R007", "orphan_customer"),
        },
        # C099 (unknown), and a row without a customer
        quarantined_events={"orphan_customer": 1, "missing_key": 1},
        schemes_present={
            "campaign_targets", "value_rfm", "lifecycle", "engagement", "firmographic",
            "technographic", "need_based", "intent", "account_health",
        },
        schemes_absent={"geographic"},
        own_tests=COMMON_TESTS | {
            "assert_extra_scheme_assigned_to_everyone",
            "assert_size_band_override_applies",
            "assert_value_tier_override_applies",
        },
    ),
}


@dataclass(frozen=True)
class BuiltProject:
    name: str
    shape: Shape
    database: Path
    results: list[dict[str, Any]]


def build_from_scratch(name: str, work_dir: Path) -> tuple[Path, list[dict[str, Any]]]:
    """deps, seed (the project's landing and expected tables), build."""
    database = work_dir / f"{name}.duckdb"
    project = PROJECTS / name
    for args in (["deps"], ["seed"], BUILD):
        result = run_dbt(args, database, work_dir, project_dir=project)
        assert result.ok, f"{name}: dbt {args[0]} failed:\n{result.output[-6000:]}"
    run_results = json.loads((work_dir / "target" / "run_results.json").read_text())
    return database, run_results["results"]


@pytest.fixture(scope="module", params=sorted(SHAPES))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    name = request.param
    database, results = build_from_scratch(name, tmp_path_factory.mktemp(name))
    return BuiltProject(name, SHAPES[name], database, results)


def records(database: Path, sql: str) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name."""
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def csv_rows(project: str, table: str) -> int:
    with (PROJECTS / project / "seeds" / "landing" / f"{table}.csv").open(newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_builds_green_with_default_severities(built: BuiltProject) -> None:
    bad = [
        (result["unique_id"], result["status"], (result.get("message") or "")[:300])
        for result in built.results
        if result["status"] not in ("success", "pass", "warn")
    ]
    assert not bad, f"{built.name}: not green: {bad}"
    models = [r for r in built.results if r["unique_id"].startswith("model.audience_segments.")]
    assert any(r["unique_id"] == "model.audience_segments.customer_360" for r in models)
    assert any(r["unique_id"] == "model.audience_segments.segment_health" for r in models)


def test_own_tests_ran_and_passed(built: BuiltProject) -> None:
    statuses = {
        result["unique_id"].split(".")[2]: result["status"]
        for result in built.results
        if result["unique_id"].startswith(f"test.audience_segments_it_{built.name}.")
    }
    assert {name: statuses.get(name) for name in built.shape.own_tests} == {
        name: "pass" for name in built.shape.own_tests
    }


def test_package_unit_tests_and_demo_seeds_stay_out(built: BuiltProject) -> None:
    project_config = yaml.safe_load((PROJECTS / built.name / "dbt_project.yml").read_text())
    # No workaround in the project: the package keeps its unit tests to itself.
    assert "unit_tests" not in project_config
    package_units = [r["unique_id"] for r in built.results if r["unique_id"].startswith("unit_test.audience_segments.")]
    assert package_units == []
    schemas = {schema for (schema,) in query(built.database, "select distinct schema_name from information_schema.schemata")}
    tables = {
        table for (table,) in query(
            built.database, "select table_name from information_schema.tables where table_name like 'raw\\_%' escape '\\'"
        )
    }
    assert "main_landing" in schemas
    assert tables == set(), f"the package's demo seeds were built: {tables}"


def test_package_has_unit_tests_the_consumers_do_not_run(tmp_path: Path) -> None:
    """The check above means something: standalone, the package has unit
    tests, among them one on a rule b2b_full overrides; b2b_full has none."""
    result = run_dbt(
        ["ls", "--resource-type", "unit_test", "--output", "name"], tmp_path / "ls.duckdb", tmp_path
    )
    assert result.ok, result.output[-4000:]
    # pins the package's company_size_band cut-offs, which b2b_full moves
    assert "firmographic_bands_and_tool_flags" in result.output
    consumer = run_dbt(
        ["ls", "--resource-type", "unit_test", "--output", "name"],
        tmp_path / "consumer.duckdb",
        tmp_path / "consumer",
        project_dir=PROJECTS / "b2b_full",
    )
    assert consumer.ok, consumer.output[-4000:]
    assert "No nodes selected" in consumer.output


def test_every_raw_row_is_accounted_for(built: BuiltProject) -> None:
    counts = {
        row["source_name"].split(".")[-1]: row
        for row in records(built.database, "select * from main_staging.stg_audit__row_reconciliation")
    }
    # Only the sources the project switched on are staged at all.
    assert set(counts) == set(built.shape.landing)
    for source, table in built.shape.landing.items():
        row = counts[source]
        assert row["raw_row_count"] == csv_rows(built.name, table), source
        assert row["raw_row_count"] == (
            row["staged_row_count"] + row["quarantined_row_count"] + row["duplicate_row_count"]
            + row["erased_row_count"]
        ), source
    assert {source: counts[source]["staged_row_count"] for source in built.shape.staged} == built.shape.staged
    assert scalar(built.database, "select count(*) from main_marts.customer_360") == built.shape.customers


def test_dirty_rows_are_quarantined_with_their_reason(built: BuiltProject) -> None:
    found = [
        (row["source_name"].split(".")[-1], row["natural_key"], row["reason_code"])
        for row in records(built.database, "select * from main_staging.stg_audit__quarantined_rows")
    ]
    others = [row for row in found if row[0] != "events"]
    assert len(others) == len(set(others)), others
    assert set(others) == built.shape.quarantined
    assert Counter(reason for source, _, reason in found if source == "events") == Counter(
        built.shape.quarantined_events
    )


def test_schemes_follow_the_sources_switched_on(built: BuiltProject) -> None:
    schemes = {
        name for (name,) in query(built.database, "select distinct scheme_name from main_marts.segment_definitions")
    }
    assert built.shape.schemes_present <= schemes
    assert not built.shape.schemes_absent & schemes
    assigned = {
        name for (name,) in query(built.database, "select distinct scheme_name from main_marts.segment_assignments")
    }
    assert assigned == schemes


def test_quality_gate_passes_integrity_and_reports_health(built: BuiltProject, tmp_path: Path) -> None:
    """The gate on the finished warehouse, health checks at their dbt severity:
    every integrity check passes (exit 0) and the health findings of a tiny
    audience (segments under 100 members) are reported, not hidden."""
    gx_dir = gx_project_copy(tmp_path)
    output = tmp_path / "result.json"
    completed = subprocess.run(
        [
            sys.executable, "-m", "scripts.quality_gate", "--database", str(built.database),
            "--gx-dir", str(gx_dir), "--output", str(output), "--docs-dir", str(tmp_path / "docs"),
            "--health", "warn",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"{built.name}: gate exit {completed.returncode}:\n{report[-4000:]}"
    result = json.loads(output.read_text())
    assert result["expectations"], "the gate ran no expectation"
    checks = {finding["check"] for finding in result["findings"]}
    assert checks <= HEALTH_CHECKS, f"integrity findings: {checks - HEALTH_CHECKS}"
    assert "min_size" in checks


def test_hand_computed_value_test_fails_on_a_wrong_rate(tmp_path: Path) -> None:
    """The comparison with seeds/expected/ is a real gate: with the franc at
    par, Bruno's 324.00 USD becomes 264.00 and the test fails."""
    project = PROJECTS / "b2c_shop"
    database = tmp_path / "wrong_rate.duckdb"
    for args in (["deps"], ["seed"]):
        result = run_dbt(args, database, tmp_path, project_dir=project)
        assert result.ok, result.output[-4000:]
    result = run_dbt(
        [*BUILD, "--select", "+assert_customer_values_match_expected", "--store-failures"],
        database,
        tmp_path,
        dbt_vars={"audience_segments_fx_rates": {"USD": 1, "CHF": 1}},
        project_dir=project,
    )
    assert not result.ok
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results}
    assert statuses["assert_customer_values_match_expected"] == "fail"
    mismatches = {
        (customer_id, column_name, actual_value)
        for customer_id, column_name, actual_value in query(
            database,
            "select customer_id, column_name, actual_value "
            "from main_dbt_test__audit.assert_customer_values_match_expected",
        )
    }
    # Exactly the values the franc feeds, and nothing else.
    assert {(c, n, float(v)) for c, n, v in mismatches} == {
        ("1002", "total_revenue", 264.0),
        ("1002", "average_order_value", 88.0),
        ("1002", "revenue_last_30_days", 184.0),
    }
