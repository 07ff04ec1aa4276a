"""The dbt twins of the quality gate on the same corrupted copies as test_quality_gate.py.

Each corruption is tested against all the twins at once, so each test is shown to
fail on its own bad data and only there; the rows dbt stores for a failing test
name the scheme and segment or the field (--store-failures).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.python.dbt_helpers import DbtResult, query, run_dbt, scalar
from tests.python.test_quality_gate import CORRUPTIONS, corrupted_copy

EXCLUSIVE = "segment_assignments_exclusive_primary"
COVER = "segment_assignments_cover_every_customer"
MIN_SIZE = "segment_assignments_min_segment_size"
MAX_SHARE = "segment_assignments_max_segment_share"
COMPLETENESS = "customer_360_required_field_completeness"
STAGING_UNIQUE = "unique_stg_crm__accounts_account_id"
STAGING_NOT_NULL = "not_null_stg_crm__accounts_account_id"
TWINS = (EXCLUSIVE, COVER, MIN_SIZE, MAX_SHARE, COMPLETENESS, STAGING_UNIQUE, STAGING_NOT_NULL)
AUDIT = "main_dbt_test__audit"  # where dbt-duckdb stores failing rows


@dataclass(frozen=True)
class DbtCase:
    corruption: str
    expected: dict[str, str]  # test -> FAIL / ERROR / WARN; every other twin must PASS
    failing_rows: dict[str, str]  # test -> predicate at least one stored failing row matches
    dbt_vars: dict[str, Any] | None = None


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
        {MIN_SIZE: "FAIL"},
        {MIN_SIZE: "scheme_name = 'value_rfm' and segment_name = 'champions' and member_count = 10"},
    ),
    "segment_disappeared": DbtCase(
        "segment_disappeared",
        {MIN_SIZE: "FAIL"},
        {MIN_SIZE: "scheme_name = 'value_rfm' and segment_name = 'champions' and member_count = 0"},
    ),
    "dominant_segment": DbtCase(
        "dominant_segment",
        {MAX_SHARE: "FAIL", MIN_SIZE: "FAIL"},
        {MAX_SHARE: "scheme_name = 'geographic' and segment_name = 'europe_35_plus' and segment_share >= 0.8"},
    ),
    "segment_at_max_share": DbtCase(
        "segment_at_max_share",
        {MAX_SHARE: "FAIL", MIN_SIZE: "FAIL"},
        {MAX_SHARE: "scheme_name = 'geographic' and segment_name = 'europe_35_plus' and segment_share = 0.8"},
    ),
    "incomplete_field": DbtCase(
        "incomplete_field",
        {COMPLETENESS: "FAIL"},
        {COMPLETENESS: "field_name = 'market_region' and non_null_ratio < min_non_null_ratio"},
    ),
    "incomplete_field_warn": DbtCase(
        "incomplete_field",
        {COMPLETENESS: "WARN"},
        {COMPLETENESS: "field_name = 'market_region'"},
        {"audience_segments_quality_severity": {"completeness": "warn"}},
    ),
    "staging_duplicate_and_null_key": DbtCase(
        "staging_duplicate_and_null_key",
        {STAGING_UNIQUE: "FAIL", STAGING_NOT_NULL: "FAIL"},
        {},
    ),
    "missing_rule_column": DbtCase("missing_rule_column", {COMPLETENESS: "ERROR"}, {}),
    "renamed_assignment_column": DbtCase(
        "renamed_assignment_column",
        # coverage reads customer_id and scheme_name only, so it still runs (and passes)
        {EXCLUSIVE: "ERROR", MIN_SIZE: "ERROR", MAX_SHARE: "ERROR"},
        {},
    ),
    "missing_table": DbtCase(
        "missing_table",
        {EXCLUSIVE: "ERROR", COVER: "ERROR", MIN_SIZE: "ERROR", MAX_SHARE: "ERROR"},
        {},
    ),
}

STATUS_LINE = re.compile(r"\d+ of \d+ (PASS|FAIL|WARN|ERROR)\b(?: \d+)? (\S+) ")


@dataclass(frozen=True)
class CaseRun:
    database: Path
    result: DbtResult

    def statuses(self) -> dict[str, str]:
        return {name: status for status, name in STATUS_LINE.findall(self.result.output)}


@pytest.fixture(scope="module")
def case_runs(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseRun]:
    """One `dbt test` of every twin per corrupted copy, two at a time (one per core)."""

    def run_case(case: str) -> tuple[str, CaseRun]:
        work_dir = tmp_path_factory.mktemp(case)
        spec = CASES[case]
        database = corrupted_copy(demo_warehouse, work_dir / "warehouse", CORRUPTIONS[spec.corruption].statements)
        result = run_dbt(["test", "--select", *TWINS, "--store-failures"], database, work_dir, spec.dbt_vars)
        return case, CaseRun(database, result)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run_case, CASES))


@pytest.mark.parametrize("case", sorted(CASES))
def test_dbt_twin_fails_on_its_corruption_only(case_runs: dict[str, CaseRun], case: str) -> None:
    spec, run = CASES[case], case_runs[case]
    statuses = run.statuses()
    assert set(statuses) == set(TWINS), run.result.output[-3000:]
    assert statuses == {name: spec.expected.get(name, "PASS") for name in TWINS}, run.result.output[-3000:]
    # dbt exits 1 on FAIL or ERROR, 0 when the only problem is a warning.
    assert run.result.ok == all(s in ("PASS", "WARN") for s in statuses.values())
    for name, status in spec.expected.items():
        summary = "Warning in test" if status == "WARN" else "Failure in test"
        assert f"{summary} {name} " in run.result.output, run.result.output[-3000:]


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c].failing_rows))
def test_failing_rows_name_the_scheme_segment_or_field(case_runs: dict[str, CaseRun], case: str) -> None:
    run = case_runs[case]
    for name, predicate in CASES[case].failing_rows.items():
        assert scalar(run.database, f"select count(*) from {AUDIT}.{name} where {predicate}") >= 1, name


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
            demo_warehouse, "select field_name, used_by, is_key_field from main_marts.segment_field_requirements"
        )
        if not is_key
        for user in used_by.split(", ")
    }
    assert used <= listed
    keys = dict(
        query(
            demo_warehouse,
            "select field_name, min_non_null_ratio from main_marts.segment_field_requirements where is_key_field",
        )
    )
    assert keys == {"customer_id": 1, "as_of_date": 1}


CONFIG_ERRORS: dict[str, tuple[dict[str, Any], str]] = {
    "unknown_check": (
        {"audience_segments_quality_severity": {"min-size": "warn"}},
        "audience_segments_quality_severity: unknown check 'min-size'",
    ),
    "bad_severity": (
        {"audience_segments_quality_severity": {"completeness": "fatal"}},
        "check 'completeness' must be error or warn, got 'fatal'",
    ),
    "unknown_column": (
        {"audience_segments_completeness_mostly": {"no_such_column": 0.5}},
        "field 'no_such_column': audience_segments_completeness_mostly: unknown column",
    ),
    "ratio_out_of_range": (
        {"audience_segments_completeness_default_mostly": 1.5},
        "audience_segments_completeness_default_mostly: the ratio must be a number between 0 and 1, got 1.5",
    ),
}


@pytest.fixture(scope="module")
def config_error_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    def compile_case(case: str) -> tuple[str, DbtResult]:
        work_dir = tmp_path_factory.mktemp(case)
        dbt_vars = CONFIG_ERRORS[case][0]
        command = ["compile", "--select", "segment_field_requirements"]
        return case, run_dbt(command, work_dir / "empty.duckdb", work_dir, dbt_vars)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(compile_case, CONFIG_ERRORS))


@pytest.mark.parametrize("case", sorted(CONFIG_ERRORS))
def test_bad_quality_configuration_fails_the_build_naming_it(
    config_error_results: dict[str, DbtResult], case: str
) -> None:
    result = config_error_results[case]
    assert not result.ok
    assert "audience_segments configuration error" in result.output
    assert CONFIG_ERRORS[case][1] in result.output
