"""The dbt twins of the quality gate, their severities, and what they let build.

* Each corruption of test_quality_gate.py is tested against all the twins at once,
  so each test is shown to fail on its own bad data and only there; the rows dbt
  stores for a failing test name the scheme and segment, the field or the source
  (--store-failures). Statuses come from run_results.json.
* Severities: integrity checks are errors in dbt build, health checks warnings;
  the manifest agrees with quality_check_severities, default and overridden.
* An unhealthy configuration (a huge minimum segment size) builds green with
  warnings, segment_health exists and flags the segments, and the gate fails
  naming them; even with the health check at error nothing is skipped.
* A source whose every date is unparseable warns in dbt build with a message
  naming the source, the column, the reason and an example raw value, and fails
  the gate.
* Completeness bars apply only to fields an enabled rule reads.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scripts.quality_gate import EXIT_FAILED, EXIT_PASSED, STAGING_KEYS
from tests.python.dbt_helpers import DbtJob, DbtResult, query, relation_in, run_dbt, run_dbt_batch, scalar
from tests.python.test_quality_gate import CORRUPTIONS, corrupted_copy, run_gate

EXCLUSIVE = "segment_assignments_exclusive_primary"
COVER = "segment_assignments_cover_every_customer"
MIN_SIZE = "segment_health_min_segment_size"
MAX_SHARE = "segment_health_max_segment_share"
COMPLETENESS = "customer_360_required_field_completeness"
RECONCILIATION = "stg_audit__row_reconciliation_accounts_for_every_raw_row"
QUARANTINE = "stg_audit__row_reconciliation_quarantined_share"
K_ANONYMOUS = "customer_360_k_anonymous"
STAGING_UNIQUE = "unique_stg_crm__accounts_account_id"
STAGING_NOT_NULL = "not_null_stg_crm__accounts_account_id"
# The compound key of events, as the gate checks it (customer, day, event type, feature).
EVENTS_UNIQUE = "audience_segments_unique_combination_stg_product__events_" + "__".join(STAGING_KEYS["events"][1])
TWINS = (
    EXCLUSIVE,
    COVER,
    MIN_SIZE,
    MAX_SHARE,
    COMPLETENESS,
    RECONCILIATION,
    QUARANTINE,
    K_ANONYMOUS,
    STAGING_UNIQUE,
    STAGING_NOT_NULL,
    EVENTS_UNIQUE,
)
AUDIT = "main_dbt_test__audit"  # where dbt-duckdb stores failing rows
# run_results.json status -> the word dbt prints
STATUS = {"pass": "PASS", "fail": "FAIL", "warn": "WARN", "error": "ERROR", "skipped": "SKIP", "success": "OK"}


def run_results(work_dir: Path) -> dict[str, dict[str, Any]]:
    """run_results.json of the last dbt command in work_dir, by node name."""
    results = json.loads((work_dir / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[2]: r for r in results}


def statuses(work_dir: Path) -> dict[str, str]:
    return {name: STATUS[r["status"]] for name, r in run_results(work_dir).items()}


@dataclass(frozen=True)
class DbtCase:
    corruption: str
    expected: dict[str, str]  # test -> FAIL / ERROR / WARN / SKIP; every other twin must PASS
    failing_rows: dict[str, str]  # test -> predicate at least one stored failing row matches
    dbt_vars: dict[str, Any] | None = None


# segment_health is rebuilt from the corrupted assignments before the twins run
# (dropped first: when it cannot be rebuilt, its size tests ERROR instead of
# reading the clean copy).
UNBUILT_HEALTH = {"segment_health": "ERROR", MIN_SIZE: "ERROR", MAX_SHARE: "ERROR"}

CASES: dict[str, DbtCase] = {
    "duplicate_primary": DbtCase(
        "duplicate_primary",
        {EXCLUSIVE: "FAIL"},
        {
            EXCLUSIVE: "scheme_name = 'lifecycle' and segment_name is not null "
            "and failure = 'more than one primary segment'"
        },
    ),
    "customer_missing_from_scheme": DbtCase(
        "customer_missing_from_scheme",
        {COVER: "FAIL"},
        {COVER: "scheme_name = 'intent' and failure = 'customer missing from scheme'"},
    ),
    "segment_shrunk": DbtCase(
        "segment_shrunk",
        {MIN_SIZE: "WARN"},
        {MIN_SIZE: "scheme_name = 'value_rfm' and segment_name = 'champions' and member_count = 10"},
    ),
    "segment_shrunk_error": DbtCase(
        "segment_shrunk",
        {MIN_SIZE: "FAIL"},
        {MIN_SIZE: "scheme_name = 'value_rfm' and segment_name = 'champions' and member_count = 10"},
        {"audience_segments_quality_severity": {"min_size": "error"}},
    ),
    "segment_disappeared": DbtCase(
        "segment_disappeared",
        {MIN_SIZE: "WARN"},
        {MIN_SIZE: "scheme_name = 'value_rfm' and segment_name = 'champions' and member_count = 0"},
    ),
    "dominant_segment": DbtCase(
        "dominant_segment",
        {MAX_SHARE: "WARN", MIN_SIZE: "WARN"},
        {MAX_SHARE: "scheme_name = 'geographic' and segment_name = 'europe_35_plus' and member_share >= 0.8"},
    ),
    "segment_at_max_share": DbtCase(
        "segment_at_max_share",
        {MAX_SHARE: "WARN", MIN_SIZE: "WARN"},
        {MAX_SHARE: "scheme_name = 'geographic' and segment_name = 'europe_35_plus' and member_share = 0.8"},
    ),
    "incomplete_field": DbtCase(
        "incomplete_field",
        {COMPLETENESS: "WARN"},
        {COMPLETENESS: "field_name = 'acquisition_channel' and non_null_ratio < min_non_null_ratio"},
    ),
    "incomplete_field_error": DbtCase(
        "incomplete_field",
        {COMPLETENESS: "FAIL"},
        {COMPLETENESS: "field_name = 'acquisition_channel'"},
        {"audience_segments_quality_severity": {"completeness": "error"}},
    ),
    "quarantine_share_exceeded": DbtCase(
        "quarantine_share_exceeded",
        {QUARANTINE: "WARN"},
        {
            QUARANTINE: "source_key = 'orders' and health_status = 'too_many_quarantined' "
            "and failure_message like 'shop.orders: %raw rows quarantined (max 5.00%%)%'"
        },
    ),
    "reconciliation_broken": DbtCase(
        "reconciliation_broken",
        {RECONCILIATION: "FAIL"},
        {RECONCILIATION: "source_key = 'orders'"},
    ),
    "staging_duplicate_and_null_key": DbtCase(
        "staging_duplicate_and_null_key",
        {STAGING_UNIQUE: "FAIL", STAGING_NOT_NULL: "FAIL"},
        {},
    ),
    "staging_duplicate_event_day": DbtCase(
        "staging_duplicate_event_day",
        {EVENTS_UNIQUE: "FAIL"},
        {EVENTS_UNIQUE: "row_count = 2"},
    ),
    "quasi_identifier_singled_out": DbtCase(
        "quasi_identifier_singled_out",
        {K_ANONYMOUS: "FAIL"},
        {K_ANONYMOUS: "postal_prefix = 'Q9' and group_size = 1 and min_group_size = 5"},
    ),
    "missing_rule_column": DbtCase("missing_rule_column", {COMPLETENESS: "ERROR"}, {}),
    "renamed_assignment_column": DbtCase(
        "renamed_assignment_column",
        # coverage reads customer_id and scheme_name only, so it still runs (and passes)
        {EXCLUSIVE: "ERROR", **UNBUILT_HEALTH},
        {},
    ),
    "missing_table": DbtCase(
        "missing_table",
        {EXCLUSIVE: "ERROR", COVER: "ERROR", **UNBUILT_HEALTH},
        {},
    ),
}


@dataclass(frozen=True)
class CaseRun:
    database: Path
    work_dir: Path
    result: DbtResult  # of `dbt test`

    rebuilt: bool  # segment_health rebuilt from corrupted assignments

    def statuses(self) -> dict[str, str]:
        """Twins from `dbt test`, segment_health from the rebuild before it."""
        rebuilt = statuses(self.work_dir / "rebuild") if self.rebuilt else {}
        return {**rebuilt, **statuses(self.work_dir)}


@pytest.fixture(scope="module")
def case_runs(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseRun]:
    """Per corrupted copy, segment_health rebuilt, then every twin tested, two copies at a time (one per core).

    `dbt test`, not `dbt build`: build skips every test downstream of a failing one,
    and each twin must be seen to pass or fail on its own.
    """

    def run_case(case: str) -> tuple[str, CaseRun]:
        work_dir = tmp_path_factory.mktemp(case)
        spec = CASES[case]
        statements = CORRUPTIONS[spec.corruption].statements
        # Only corrupted assignments change segment_health (the others keep the clean copy's).
        rebuild = any("main_marts.segment_assignments" in statement for statement in statements)
        if rebuild:
            statements = (*statements, "drop table main_marts.segment_health")
        database = corrupted_copy(demo_warehouse, work_dir / "warehouse", statements)
        if rebuild:
            run_dbt(["run", "--select", "segment_health"], database, work_dir / "rebuild", spec.dbt_vars)
        result = run_dbt(["test", "--select", *TWINS, "--store-failures"], database, work_dir, spec.dbt_vars)
        return case, CaseRun(database, work_dir, result, rebuild)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run_case, CASES))


@pytest.mark.parametrize("case", sorted(CASES))
def test_dbt_twin_fails_on_its_corruption_only(case_runs: dict[str, CaseRun], case: str) -> None:
    spec, run = CASES[case], case_runs[case]
    found = run.statuses()
    expected = {name: spec.expected.get(name, "PASS") for name in TWINS}
    if run.rebuilt:
        expected["segment_health"] = spec.expected.get("segment_health", "OK")
    assert found == expected, run.result.output[-3000:]
    # dbt exits 1 on FAIL or ERROR, 0 when the only problems are warnings.
    twins_ok = all(found[name] in ("PASS", "WARN") for name in TWINS)
    assert run.result.ok == twins_ok, run.result.output[-3000:]


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c].failing_rows))
def test_failing_rows_name_the_scheme_segment_field_or_source(case_runs: dict[str, CaseRun], case: str) -> None:
    run = case_runs[case]
    stored = run_results(run.work_dir)
    for name, predicate in CASES[case].failing_rows.items():
        # dbt names the table after the test, shortened with a hash when too long
        relation = stored[name]["relation_name"]
        assert relation.startswith(f'"demo"."{AUDIT}".'), relation
        assert scalar(run.database, f"select count(*) from {relation} where {predicate}") >= 1, name


# ------------------------------------------------ severities


def _quality_tests(work_dir: Path) -> dict[str, str]:
    """check -> severity of the dbt tests of that check, from the manifest.

    A test belongs to a check by its meta.quality_check; the staging key tests
    (unique / not_null on the keys the gate checks) to staging_keys.
    """
    manifest = json.loads((work_dir / "target" / "manifest.json").read_text())
    key_tests = {
        name
        for table, key in STAGING_KEYS.values()
        for name in (
            [f"unique_{table}_{key[0]}", f"not_null_{table}_{key[0]}"]
            if len(key) == 1
            else [f"audience_segments_unique_combination_{table}_{'__'.join(key)}"]
        )
    }
    found: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        check = node["resource_type"] == "test" and (
            (node["config"].get("meta") or {}).get("quality_check")
            or ("staging_keys" if node["name"] in key_tests else None)
        )
        if check:
            found.setdefault(check, set()).add(str(node["config"]["severity"]).lower())
    assert all(len(levels) == 1 for levels in found.values()), found
    assert len([n for n in manifest["nodes"].values() if n["name"] in key_tests]) == len(key_tests)
    return {check: levels.pop() for check, levels in found.items()}


@pytest.fixture(scope="module")
def severity_builds(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """quality_check_severities rebuilt on demo copies: default and overridden vars."""
    cases: dict[str, dict[str, Any]] = {
        "default": {},
        "overridden": {"audience_segments_quality_severity": {"exclusivity": "warn", "min_size": "error"}},
    }

    def rebuild(case: str) -> tuple[str, Path]:
        work_dir = tmp_path_factory.mktemp(f"severity_{case}")
        database = corrupted_copy(demo_warehouse, work_dir / "warehouse", ())
        result = run_dbt(["run", "--select", "quality_check_severities"], database, work_dir, cases[case] or None)
        assert result.ok, result.output[-3000:]
        return case, work_dir

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(rebuild, cases))


def test_integrity_checks_error_and_health_checks_warn_in_dbt_build(severity_builds: dict[str, Path]) -> None:
    work_dir = severity_builds["default"]
    rows = query(
        work_dir / "warehouse" / "demo.duckdb",
        "select check_name, check_kind, severity, gate_severity, is_configured "
        "from main_marts.quality_check_severities",
    )
    kinds = {check: kind for check, kind, *_ in rows}
    assert kinds == {
        "exclusivity": "integrity",
        "coverage": "integrity",
        "staging_keys": "integrity",
        "reconciliation": "integrity",
        "k_anonymity": "integrity",
        "min_size": "health",
        "max_share": "health",
        "completeness": "health",
        "quarantine_share": "health",
    }
    for _check, kind, severity, gate_severity, is_configured in rows:
        assert (severity, gate_severity, is_configured) == ("error" if kind == "integrity" else "warn", "error", False)
    # Every check has a dbt test, and its severity is the table's.
    assert _quality_tests(work_dir) == {check: severity for check, _, severity, *_ in rows }


def test_configured_severity_applies_to_dbt_and_gate(severity_builds: dict[str, Path]) -> None:
    work_dir = severity_builds["overridden"]
    rows = {
        check: (severity, gate_severity, is_configured)
        for check, severity, gate_severity, is_configured in query(
            work_dir / "warehouse" / "demo.duckdb",
            "select check_name, severity, gate_severity, is_configured from main_marts.quality_check_severities",
        )
    }
    assert rows["exclusivity"] == ("warn", "warn", True)
    assert rows["min_size"] == ("error", "error", True)
    assert rows["max_share"] == ("warn", "error", False)
    tests = _quality_tests(work_dir)
    assert tests == {check: severity for check, (severity, _, _) in rows.items() }


# ------------------------------------------------ unhealthy segments build anyway


HUGE_MIN_SIZE = {"audience_segments_min_segment_size": 1_000_000}


@pytest.fixture(scope="module")
def unhealthy_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`dbt build` from scratch with no segment big enough: min_size at its default (warn) and at error."""
    cases: dict[str, dict[str, Any]] = {
        "warn": HUGE_MIN_SIZE,
        "error": {**HUGE_MIN_SIZE, "audience_segments_quality_severity": {"min_size": "error"}},
    }

    def build(case: str) -> tuple[str, Path]:
        work_dir = tmp_path_factory.mktemp(f"unhealthy_{case}")
        result = run_dbt(["build"], work_dir / "unhealthy.duckdb", work_dir, cases[case])
        (work_dir / "exit_code").write_text(str(result.returncode))
        (work_dir / "output.txt").write_text(result.output)
        return case, work_dir

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(build, cases))


def _flagged(database: Path) -> set[tuple[str, str]]:
    return set(
        query(
            database,
            "select scheme_name, segment_name from main_marts.segment_health "
            "where is_below_min_size and health_status in ('too_small', 'empty')",
        )
    )


def test_unhealthy_segments_warn_and_every_mart_builds(unhealthy_builds: dict[str, Path]) -> None:
    work_dir = unhealthy_builds["warn"]
    output = (work_dir / "output.txt").read_text()
    assert (work_dir / "exit_code").read_text() == "0", output[-3000:]
    results = run_results(work_dir)
    found = {name: STATUS[r["status"]] for name, r in results.items()}
    assert found[MIN_SIZE] == "WARN"
    assert {name for name, status in found.items() if status not in ("PASS", "OK")} == {MIN_SIZE}, output[-3000:]
    assert found["segment_health"] == found["source_health"] == found["customer_segments"] == "OK"

    database = work_dir / "unhealthy.duckdb"
    rule_segments = set(
        query(database, "select scheme_name, segment_name from main_marts.segment_definitions where not is_fallback")
    )
    flagged = _flagged(database)
    assert flagged == rule_segments and len(flagged) > 20
    assert results[MIN_SIZE]["failures"] == len(flagged)


def test_unhealthy_segments_at_error_fail_the_build_but_skip_nothing(unhealthy_builds: dict[str, Path]) -> None:
    work_dir = unhealthy_builds["error"]
    output = (work_dir / "output.txt").read_text()
    assert (work_dir / "exit_code").read_text() == "1", output[-3000:]
    found = {name: STATUS[r["status"]] for name, r in run_results(work_dir).items()}
    assert {name for name, status in found.items() if status not in ("PASS", "OK")} == {MIN_SIZE}, output[-3000:]
    assert found[MIN_SIZE] == "FAIL"
    assert _flagged(work_dir / "unhealthy.duckdb")


def test_gate_fails_on_unhealthy_segments_naming_them(
    unhealthy_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = unhealthy_builds["warn"] / "unhealthy.duckdb"
    flagged = _flagged(database)
    run = run_gate(database, tmp_path / "default", capsys)
    assert run.code == EXIT_FAILED, run.report
    assert {(f["scheme"], f["segment"]) for f in run.findings(check="min_size", severity="error")} == flagged
    assert {f["check"] for f in run.result["findings"]} == {"min_size"}
    # Reported, not hidden, when the gate is told to treat health as warnings.
    run = run_gate(database, tmp_path / "health_warn", capsys, "--health", "warn")
    assert run.code == EXIT_PASSED, run.report
    assert {(f["scheme"], f["segment"]) for f in run.findings(check="min_size", severity="warn")} == flagged


# ------------------------------------------------ a source that quarantines every row


@dataclass(frozen=True)
class QuarantineBuild:
    database: Path
    work_dir: Path
    result: DbtResult


SOURCE_VARS = {"audience_segments_use_demo_seeds": False, "audience_segments_orders_identifier": "raw_orders_yyyymmdd"}


@pytest.fixture(scope="module")
def yyyymmdd_orders(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> QuarantineBuild:
    """The demo with every order date delivered as YYYYMMDD, read as the user's own table."""
    work_dir = tmp_path_factory.mktemp("yyyymmdd_orders")
    database = corrupted_copy(
        demo_warehouse,
        work_dir / "warehouse",
        (
            "create table main_raw.raw_orders_yyyymmdd as select * replace ("
            "coalesce(strftime(try_cast(ordered_at as timestamp), '%Y%m%d'), cast(ordered_at as varchar)) "
            "as ordered_at) "
            "from main_raw.raw_orders",
        ),
    )
    command = ["build", "--full-refresh", "--exclude", "resource_type:seed", "--store-failures"]
    return QuarantineBuild(database, work_dir, run_dbt(command, database, work_dir, SOURCE_VARS))


def test_quarantined_source_warns_naming_source_column_reason_and_example(yyyymmdd_orders: QuarantineBuild) -> None:
    build = yyyymmdd_orders
    assert build.result.ok, build.result.output[-3000:]
    results = run_results(build.work_dir)
    assert STATUS[results[QUARANTINE]["status"]] == "WARN" and results[QUARANTINE]["failures"] == 1
    assert STATUS[results["source_health"]["status"]] == STATUS[results["segment_health"]["status"]] == "OK"
    assert {n for n, r in results.items() if STATUS[r["status"]] in ("FAIL", "ERROR", "SKIP")} == set()

    raw_rows = scalar(build.database, "select count(*) from main_raw.raw_orders_yyyymmdd")
    # The audit's reasons, most frequent first: the unparseable order date leads.
    # (Other reasons may come first for some rows, e.g. a currency without a
    # rate outside demo mode; every row is quarantined for one reason.)
    reasons = query(
        build.database,
        "select column_name, reason_code, count(*) as n from main_staging.stg_audit__quarantined_rows "
        "where source_key = 'orders' group by all order by n desc, reason_code",
    )
    assert reasons[0][:2] == ("ordered_at", "unparseable_timestamp"), reasons
    unparseable = reasons[0][2]
    assert unparseable > 0.5 * raw_rows
    stored = f"select failure_message from {AUDIT}.{QUARANTINE} where source_key = 'orders'"
    (message,) = query(build.database, stored)[0]
    # Every order is quarantined but those of erased people, which no base model reads.
    erased = scalar(
        build.database,
        f"select erased_row_count from {relation_in(build.work_dir, 'stg_audit__row_reconciliation')} "
        "where source_key = 'orders'",
    )
    assert 0 < erased < 0.01 * raw_rows
    share = f"{100 * (raw_rows - erased) / raw_rows:.2f}%"
    assert message.startswith(f"shop.orders: {share} of {raw_rows:,} raw rows quarantined (max 5.00%): "), message
    top_reason = rf": ordered_at: {unparseable:,} of {raw_rows:,} rows unparseable_timestamp, e\.g\. '(\d{{8}})'"
    match = re.search(top_reason, message)
    assert match, message
    assert scalar(build.database, f"select count(*) from main_raw.raw_orders_yyyymmdd where ordered_at = '{match[1]}'")
    # Only orders is over its bar.
    assert query(build.database, "select source_key from main_marts.source_health where health_status <> 'ok'") == [
        ("orders",)
    ]
    # dbt prints no failing rows; the test logs the message so that it is in dbt's output.
    assert f"quarantine_share [warn]: {message}" in build.result.output


def test_gate_fails_on_the_quarantined_source(
    yyyymmdd_orders: QuarantineBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = yyyymmdd_orders.database
    (message,) = query(database, "select failure_message from main_marts.source_health where source_key = 'orders'")[0]
    run = run_gate(database, tmp_path, capsys, "--health", "warn")
    assert run.code == EXIT_PASSED, run.report  # health only: reported as WARN
    run = run_gate(database, tmp_path, capsys)
    assert run.code == EXIT_FAILED, run.report
    (finding,) = run.findings(check="quarantine_share")
    assert (finding["source"], finding["severity"], finding["observed"]) == ("shop.orders", "error", message)
    assert finding["expected"] == "<= 5.00% of the raw rows quarantined"
    assert not run.findings(check="staging_keys"), run.report  # an empty staging view has no key violation


def test_per_source_bar_lets_a_source_quarantine_more(
    yyyymmdd_orders: QuarantineBuild, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work_dir = tmp_path / "orders_bar"
    database = corrupted_copy(yyyymmdd_orders.database, work_dir / "warehouse", ())
    dbt_vars = {**SOURCE_VARS, "audience_segments_max_quarantined_share_by_source": {"orders": 1.0}}
    result = run_dbt(["build", "--select", "source_health", QUARANTINE], database, work_dir, dbt_vars)
    assert result.ok, result.output[-3000:]
    assert statuses(work_dir)[QUARANTINE] == "PASS"
    assert query(database, "select health_status, max_quarantined_share from main_marts.source_health "
                 "where source_key = 'orders'") == [("ok", 1)]
    run = run_gate(database, tmp_path, capsys)
    assert not run.findings(check="quarantine_share"), run.report


# ------------------------------------------------ segment_field_requirements


def test_requirements_list_every_field_a_rule_reads(demo_warehouse: Path) -> None:
    """Generated from the compiled rules: each scheme.segment of the catalog is a user of each of its fields."""
    used = {
        (field.strip(), f"{scheme}.{segment}")
        for scheme, segment, fields in query(
            demo_warehouse, "select scheme_name, segment_name, fields_used from main_marts.segment_definitions"
        )
        for field in fields.split(",")
        if field.strip()
    }
    listed = {
        (field, user)
        for field, used_by, is_key in query(
            demo_warehouse,
            "select field_name, used_by, is_key_field from main_marts.segment_field_requirements where is_checked",
        )
        if not is_key
        for user in used_by.split(", ")
    }
    assert used == listed
    keys = dict(
        query(
            demo_warehouse,
            "select field_name, min_non_null_ratio from main_marts.segment_field_requirements where is_key_field",
        )
    )
    assert keys == {"customer_id": 1, "as_of_date": 1}
    # The demo's shipped schemes read every field the default overrides name.
    ignored = "select count(*) from main_marts.segment_field_requirements where not is_checked"
    assert scalar(demo_warehouse, ignored) == 0


B2B_FIELDS = ("company_size_band", "industry", "seniority")
WITHOUT_B2B = {"audience_segments_disabled_schemes": ["firmographic", "account_health"]}


@pytest.fixture(scope="module")
def without_b2b_schemes(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Demo copies where no rule reads industry any more (it is all NULL), with and without the B2B schemes."""

    def rebuild(case: str) -> tuple[str, Path]:
        work_dir = tmp_path_factory.mktemp(f"b2b_{case}")
        statements = ("update main_marts.customer_360 set industry = null",)
        database = corrupted_copy(demo_warehouse, work_dir / "warehouse", statements)
        dbt_vars = WITHOUT_B2B if case == "disabled" else None
        command = ["build", "--select", "segment_field_requirements", "--store-failures"]
        run_dbt(command, database, work_dir, dbt_vars)
        return case, work_dir

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(rebuild, ("enabled", "disabled")))


def test_completeness_bars_only_for_fields_an_enabled_rule_reads(
    without_b2b_schemes: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # With the B2B schemes, the all-NULL industry fails its 0.4 bar...
    enabled = without_b2b_schemes["enabled"]
    assert statuses(enabled)[COMPLETENESS] == "WARN"
    assert query(enabled / "warehouse" / "demo.duckdb", f"select field_name from {AUDIT}.{COMPLETENESS}") == [
        ("industry",)
    ]
    # ...without them the default overrides name fields no rule reads: listed, not checked.
    disabled = without_b2b_schemes["disabled"]
    database = disabled / "warehouse" / "demo.duckdb"
    assert statuses(disabled)["segment_field_requirements"] == "OK"
    assert statuses(disabled)[COMPLETENESS] == "PASS"
    ignored = query(
        database,
        "select field_name, min_non_null_ratio, used_by from main_marts.segment_field_requirements "
        "where not is_checked order by field_name",
    )
    assert [(f, float(r)) for f, r, _ in ignored] == [(f, 0.4) for f in B2B_FIELDS]
    assert all(u.startswith("override ignored: no enabled rule reads") for *_, u in ignored)
    # The gate checks the same fields: none of the ignored ones.
    run = run_gate(database, tmp_path, capsys)
    checked = {e["field"] for e in run.result["expectations"] if e["check"] == "completeness"}
    assert checked == set(
        f for (f,) in query(database, "select field_name from main_marts.segment_field_requirements where is_checked")
    )
    assert checked.isdisjoint(B2B_FIELDS) and len(checked) > 10
    assert not run.findings(check="completeness"), run.report


CONFIG_ERRORS: dict[str, tuple[str, dict[str, Any], str]] = {
    "unknown_check": (
        "quality_check_severities",
        {"audience_segments_quality_severity": {"min-size": "warn"}},
        "audience_segments_quality_severity: unknown check 'min-size'",
    ),
    "bad_severity": (
        "quality_check_severities",
        {"audience_segments_quality_severity": {"completeness": "fatal"}},
        "check 'completeness' must be error or warn, got 'fatal'",
    ),
    "unknown_column": (
        "segment_field_requirements",
        {"audience_segments_completeness_mostly": {"no_such_column": 0.5}},
        "field 'no_such_column': audience_segments_completeness_mostly: unknown column",
    ),
    "ratio_out_of_range": (
        "segment_field_requirements",
        {"audience_segments_completeness_default_mostly": 1.5},
        "audience_segments_completeness_default_mostly: the ratio must be a number between 0 and 1, got 1.5",
    ),
    "quarantine_share_out_of_range": (
        "source_health",
        {"audience_segments_max_quarantined_share": 5},
        "audience_segments_max_quarantined_share: the share must be a number between 0 and 1, got 5",
    ),
    "unknown_quarantine_source": (
        "source_health",
        {"audience_segments_max_quarantined_share_by_source": {"shop.orders": 0.2}},
        "audience_segments_max_quarantined_share_by_source: unknown source 'shop.orders'; known: customers,",
    ),
    "quarantine_source_share_out_of_range": (
        "source_health",
        {"audience_segments_max_quarantined_share_by_source": {"orders": "20%"}},
        "audience_segments_max_quarantined_share_by_source: source 'orders': the share must be a number"
        " between 0 and 1, got 20%",
    ),
}


@pytest.fixture(scope="module")
def config_error_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    jobs = []
    for case, (model, dbt_vars, _) in CONFIG_ERRORS.items():
        work_dir = tmp_path_factory.mktemp(case)
        jobs.append(DbtJob(["compile", "--select", model], work_dir / "empty.duckdb", work_dir, dbt_vars))
    return dict(zip(CONFIG_ERRORS, run_dbt_batch(jobs), strict=True))


@pytest.mark.parametrize("case", sorted(CONFIG_ERRORS))
def test_bad_quality_configuration_fails_the_build_naming_it(
    config_error_results: dict[str, DbtResult], case: str
) -> None:
    result = config_error_results[case]
    assert not result.ok
    assert "audience_segments configuration error" in result.output
    assert CONFIG_ERRORS[case][2] in result.output
