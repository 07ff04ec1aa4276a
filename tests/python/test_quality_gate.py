"""The quality gate (scripts/quality_gate.py) on the demo build and on corrupted copies.

Every check is shown to fail on bad data, with the exit code and a report naming
the check and the scheme/segment or field; what cannot be checked (a missing
column or table) exits 2, never 0. CORRUPTIONS is shared with
test_dbt_quality_tests.py, which runs the dbt twins on the same bad data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts.quality_gate import (
    DEFAULT_K_ANONYMITY,
    DEFAULT_QUASI_IDENTIFIERS,
    EXIT_COULD_NOT_RUN,
    EXIT_FAILED,
    EXIT_PASSED,
    STAGING_KEYS,
    Finding,
    exit_code,
    main,
)
from tests.python.dbt_helpers import REPO_ROOT, query, relation, run_dbt, scalar

GX_CONFIG = REPO_ROOT / "gx" / "great_expectations.yml"
ASSIGNMENTS = "main_marts.segment_assignments"
# The first customers by id: deterministic subsets without relying on hash().
FIRST_CUSTOMERS = "select customer_id from main_marts.customer_360 order by customer_id limit {}"
SHARE_OF_CUSTOMERS = (
    "select customer_id from main_marts.customer_360 order by customer_id "
    "limit (select cast(count(*) * {} as integer) from main_marts.customer_360)"
)
# The dbt contract puts a primary key on segment_assignment_id; a copy without
# constraints lets a duplicate in, as a warehouse without enforcement would.
DROP_ASSIGNMENT_CONSTRAINTS = f"create or replace table {ASSIGNMENTS} as select * from {ASSIGNMENTS}"
RECONCILIATION = "main_staging.stg_audit__row_reconciliation"
RELATION_TOKEN = re.compile(r"\$([a-z_0-9]+)")


@dataclass(frozen=True)
class Corruption:
    statements: tuple[str, ...]
    gate_exit: int
    checks: frozenset[str]  # every check the gate must report, and no other
    scheme: str | None = None
    segment: str | None = None
    field: str | None = None
    table: str | None = None
    source: str | None = None
    observed: str | None = None  # text the finding's observed value must contain


CORRUPTIONS: dict[str, Corruption] = {
    "duplicate_primary": Corruption(
        (
            DROP_ASSIGNMENT_CONSTRAINTS,
            f"insert into {ASSIGNMENTS} select * from {ASSIGNMENTS} "
            f"where scheme_name = 'lifecycle' and customer_id = ({FIRST_CUSTOMERS.format(1)})",
        ),
        EXIT_FAILED,
        frozenset({"exclusivity"}),
        scheme="lifecycle",
        observed="1 customer(s) with 0 or several primary rows",
    ),
    # The same customer twice in customer_360 and in every scheme: counts and
    # checksums of the two marts still agree, so a screen that trusted
    # customer_360 passed it.
    "customer_duplicated_in_both_marts": Corruption(
        (
            DROP_ASSIGNMENT_CONSTRAINTS,
            f"insert into $customer_360 select * from $customer_360 "
            f"where customer_id = ({FIRST_CUSTOMERS.format(1)})",
            f"insert into {ASSIGNMENTS} select * from {ASSIGNMENTS} "
            "where customer_id = (select min(customer_id) from $customer_360)",
        ),
        EXIT_FAILED,
        frozenset({"exclusivity"}),
        scheme="lifecycle",
        observed="1 customer(s) with 0 or several primary rows",
    ),
    "customer_missing_from_scheme": Corruption(
        (f"delete from {ASSIGNMENTS} where scheme_name = 'intent' and customer_id in ({FIRST_CUSTOMERS.format(3)})",),
        EXIT_FAILED,
        frozenset({"coverage"}),
        scheme="intent",
        observed="3 customer_360 customer(s) without an assignment",
    ),
    "segment_shrunk": Corruption(
        (
            f"update {ASSIGNMENTS} set segment_name = 'lost' "
            "where scheme_name = 'value_rfm' and segment_name = 'champions' and customer_id not in ("
            f"  select customer_id from {ASSIGNMENTS} where scheme_name = 'value_rfm' "
            "   and segment_name = 'champions' order by customer_id limit 10)",
        ),
        EXIT_FAILED,
        frozenset({"min_size"}),
        scheme="value_rfm",
        segment="champions",
        observed="10 members",
    ),
    "segment_disappeared": Corruption(
        (
            f"update {ASSIGNMENTS} set segment_name = 'lost' "
            "where scheme_name = 'value_rfm' and segment_name = 'champions'",
        ),
        EXIT_FAILED,
        frozenset({"min_size"}),
        scheme="value_rfm",
        segment="champions",
        observed="0 members",
    ),
    "dominant_segment": Corruption(
        (
            f"update {ASSIGNMENTS} set segment_name = 'europe_35_plus' "
            f"where scheme_name = 'geographic' and customer_id in ({SHARE_OF_CUSTOMERS.format(0.9)})",
        ),
        EXIT_FAILED,
        frozenset({"max_share", "min_size"}),  # the other segments shrink too
        scheme="geographic",
        segment="europe_35_plus",
    ),
    # Exactly at the 80% bar: must fail ("at or above"). Stored as a 4-byte
    # float the bar was 0.800000011920929 and this segment passed.
    "segment_at_max_share": Corruption(
        (
            f"update {ASSIGNMENTS} set segment_name = case when customer_id in "
            f"({SHARE_OF_CUSTOMERS.format(0.8)}) then 'europe_35_plus' else 'rest_of_world' end "
            "where scheme_name = 'geographic'",
        ),
        EXIT_FAILED,
        frozenset({"max_share", "min_size"}),  # the other segments empty out
        scheme="geographic",
        segment="europe_35_plus",
    ),
    "incomplete_field": Corruption(
        (
            "update $customer_360 set acquisition_channel = null "
            f"where customer_id in ({SHARE_OF_CUSTOMERS.format(0.6)})",
        ),
        EXIT_FAILED,
        frozenset({"completeness"}),
        field="acquisition_channel",
        observed="% non-NULL",
    ),
    "staging_duplicate_and_null_key": Corruption(
        (
            "create table main_staging.accounts_copy as select * from main_staging.stg_crm__accounts",
            "create or replace view main_staging.stg_crm__accounts as "
            "select * from main_staging.accounts_copy "
            "union all (select * from main_staging.accounts_copy order by account_id limit 1) "
            "union all (select * replace (null as account_id) from main_staging.accounts_copy limit 1)",
        ),
        EXIT_FAILED,
        frozenset({"staging_keys"}),
        field="account_id",
        table="main_staging.stg_crm__accounts",
    ),
    # The audit says every staged order was quarantined (source_health reads the
    # audit tables live): the quarantined share check fails, reconciliation holds.
    "quarantine_share_exceeded": Corruption(
        (
            f"update {RECONCILIATION} set quarantined_row_count = raw_row_count - duplicate_row_count - erased_row_count, "
            "staged_row_count = 0 where source_key = 'orders'",
        ),
        EXIT_FAILED,
        frozenset({"quarantine_share"}),
        source="shop.orders",
        observed="shop.orders: ",
    ),
    # One staged order unaccounted for.
    "reconciliation_broken": Corruption(
        (f"update {RECONCILIATION} set staged_row_count = staged_row_count - 1 where source_key = 'orders'",),
        EXIT_FAILED,
        frozenset({"reconciliation"}),
        source="shop.orders",
        observed="raw rows,",
    ),
    # A compound key (events: customer, day, event type, feature) repeated.
    "staging_duplicate_event_day": Corruption(
        (
            "create table main_staging.events_copy as select * from main_staging.stg_product__events",
            "create or replace view main_staging.stg_product__events as "
            "select * from main_staging.events_copy "
            "union all (select * from main_staging.events_copy order by all limit 1)",
        ),
        EXIT_FAILED,
        frozenset({"staging_keys"}),
        field="customer_id, event_date, event_type, feature_name",
        table="main_staging.stg_product__events",
        observed="1 (customer_id, event_date, event_type, feature_name) combinations on 2 rows",
    ),
    # One customer singled out by a postal prefix no one else has.
    "quasi_identifier_singled_out": Corruption(
        (f"update $customer_360 set postal_prefix = 'Q9' where customer_id = ({FIRST_CUSTOMERS.format(1)})",),
        EXIT_FAILED,
        frozenset({"k_anonymity"}),
        field=", ".join(DEFAULT_QUASI_IDENTIFIERS),
        observed="shared by fewer than 5 customers; 1 customer(s) in them, the smallest group 1",
    ),
    "missing_rule_column": Corruption(
        ("alter table $customer_360 drop column acquisition_channel",),
        EXIT_COULD_NOT_RUN,
        frozenset({"completeness"}),
        field="acquisition_channel",
        observed="acquisition_channel",
    ),
    "renamed_assignment_column": Corruption(
        (f"alter table {ASSIGNMENTS} rename column segment_name to segment",),
        EXIT_COULD_NOT_RUN,
        frozenset({"exclusivity", "coverage", "min_size", "max_share"}),
        observed="segment_name",
    ),
    "missing_table": Corruption(
        (f"drop table {ASSIGNMENTS}",),
        EXIT_COULD_NOT_RUN,
        frozenset(),
    ),
}


def corrupted_copy(warehouse: Path, directory: Path, statements: tuple[str, ...]) -> Path:
    """Copy the warehouse and apply the corruption; `$model` in a statement is
    that model's relation, from the build's manifest (copied along, so a copy
    of a copy still knows its relations).

    The copy keeps the file name: dbt-duckdb's views name their catalog after it,
    so a renamed copy has broken staging views.
    """
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / warehouse.name
    shutil.copy(warehouse, copy)
    manifest = warehouse.parent / "target" / "manifest.json"
    if manifest.exists():
        (directory / "target").mkdir(exist_ok=True)
        shutil.copy(manifest, directory / "target" / "manifest.json")
    with duckdb.connect(str(copy)) as connection:
        for statement in statements:
            connection.execute(RELATION_TOKEN.sub(lambda token: relation(copy, token[1]), statement))
    return copy


@dataclass(frozen=True)
class GateRun:
    code: int
    result: dict[str, Any]
    report: str

    def findings(self, **where: Any) -> list[dict[str, Any]]:
        return [f for f in self.result["findings"] if all(f[k] == v for k, v in where.items())]


def gx_project_copy(work_dir: Path) -> Path:
    """A copy of the GX project under work_dir: runs write to its uncommitted/."""
    gx_dir = work_dir / "gx"
    gx_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(GX_CONFIG, gx_dir)
    return gx_dir


def run_gate(
    database: Path, work_dir: Path, capsys: pytest.CaptureFixture[str], *options: str
) -> GateRun:
    """Run the gate in-process on its own copy of the GX project."""
    gx_dir = gx_project_copy(work_dir)
    output = work_dir / "result.json"
    capsys.readouterr()
    code = main(["--database", str(database), "--gx-dir", str(gx_dir), "--output", str(output), *options])
    return GateRun(code, json.loads(output.read_text()), capsys.readouterr().out)


# --------------------------------------------------------------------------- clean build


def test_clean_demo_passes_with_every_expectation_run(demo_warehouse: Path, tmp_path: Path) -> None:
    """As CI runs it: a subprocess, `python -m`, database from the environment."""
    gx_dir = gx_project_copy(tmp_path)
    docs, output = tmp_path / "docs", tmp_path / "out" / "result.json"
    completed = subprocess.run(
        [sys.executable, "-m", "scripts.quality_gate", "--gx-dir", str(gx_dir), "--output", str(output),
         "--docs-dir", str(docs)],
        cwd=REPO_ROOT,
        env={**os.environ, "AUDIENCE_SEGMENTS_DB": str(demo_warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == EXIT_PASSED, completed.stdout + completed.stderr
    assert "quality gate PASSED" in completed.stdout
    result = json.loads(output.read_text())
    assert result["status"] == "passed" and result["findings"] == [] and result["problems"] == []

    # One expectation per check and scheme / field / staging key, as the warehouse defines them.
    schemes = scalar(demo_warehouse, "select count(distinct scheme_name) from main_marts.segment_definitions")
    ruled_schemes = scalar(
        demo_warehouse, "select count(distinct scheme_name) from main_marts.segment_definitions where not is_fallback"
    )
    fields = scalar(demo_warehouse, "select count(*) from main_marts.segment_field_requirements where is_checked")
    sources = scalar(demo_warehouse, "select count(*) from main_marts.source_health")
    expectations = result["expectations"]
    assert all(e["success"] and not e["raised"] for e in expectations)
    by_check = {c: sum(e["check"] == c for e in expectations) for c in {e["check"] for e in expectations}}
    assert by_check == {
        "exclusivity": 1,
        "coverage": 1,
        "min_size": ruled_schemes,
        "max_share": schemes,
        "completeness": fields,
        "staging_keys": sum(2 if len(key) == 1 else 1 for _, key in STAGING_KEYS.values()),
        "reconciliation": 1,
        "quarantine_share": 1,
        "k_anonymity": 1,
    }
    assert result["k_anonymity"]["k"] == DEFAULT_K_ANONYMITY
    assert result["k_anonymity"]["smallest_group"] >= DEFAULT_K_ANONYMITY
    assert f"k-anonymity: smallest group {result['k_anonymity']['smallest_group']}" in completed.stdout
    # Every switched-on source has a reconciled row; fx_rates has no staging key check.
    switched_on = {c for (c,) in query(demo_warehouse, "select source_key from main_marts.source_health")}
    assert set(STAGING_KEYS) <= switched_on
    assert sources >= len(STAGING_KEYS)
    # The gate's default: every check, health included, fails it (exit 1).
    assert result["health"] == "error"
    assert {e["severity"] for e in expectations} == {"error"}
    assert (docs / "index.html").is_file()
    assert result["data_docs"].endswith("index.html")
    # Runs write only under uncommitted/ (or --docs-dir): the committed config is untouched.
    assert (gx_dir / "great_expectations.yml").read_bytes() == GX_CONFIG.read_bytes()
    assert sorted(p.name for p in gx_dir.iterdir()) == ["great_expectations.yml", "uncommitted"]


def test_the_gate_holds_customer_360_to_the_package_defaults(demo_warehouse: Path) -> None:
    # The dbt twin (k_anonymous) compiles from the package's vars; the gate's
    # defaults must say the same, or one of the two checks a weaker k.
    manifest = json.loads((demo_warehouse.parent / "target" / "manifest.json").read_text())
    (test,) = [
        n for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and n.get("test_metadata", {}).get("name") == "k_anonymous"
    ]
    compiled = " ".join(test["compiled_code"].split())
    assert f"group by {', '.join(DEFAULT_QUASI_IDENTIFIERS)}" in compiled
    assert f"having count(*) < {DEFAULT_K_ANONYMITY}" in compiled


def test_a_stricter_k_fails_the_clean_demo(demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_gate(demo_warehouse, tmp_path, capsys, "--k-anonymity", "1000")
    assert run.code == EXIT_FAILED
    assert [f["check"] for f in run.result["findings"]] == ["k_anonymity"]
    assert "shared by fewer than 1000 customers" in run.result["findings"][0]["observed"]


# --------------------------------------------------------------------------- corruptions


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_corruption_is_caught_and_named(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    corruption = CORRUPTIONS[case]
    database = corrupted_copy(demo_warehouse, tmp_path / "warehouse", corruption.statements)
    run = run_gate(database, tmp_path, capsys)

    assert run.code == corruption.gate_exit, run.report
    assert run.result["exit_code"] == run.code
    assert {f["check"] for f in run.result["findings"]} == corruption.checks, run.report
    places = (
        ("scheme", corruption.scheme),
        ("segment", corruption.segment),
        ("field", corruption.field),
        ("source", corruption.source),
    )
    names = {k: v for k, v in places if v}
    named = run.findings(**names, **({"table": corruption.table} if corruption.table else {}))
    assert len(named) >= (1 if corruption.checks else 0), run.report
    if corruption.checks:
        assert all(f["check"] in corruption.checks for f in named)
    status = "raised" if corruption.gate_exit == EXIT_COULD_NOT_RUN else "failed"
    assert all(f["status"] == status for f in run.result["findings"]), run.report
    if corruption.observed:
        assert any(corruption.observed in f["observed"] for f in named), run.report
    # The printed table says the same: one line names the check and the place.
    level = "ERROR" if status == "raised" else "FAIL"
    for finding in named:
        line = next(
            (
                line for line in run.report.splitlines()
                if line.startswith(level) and f"  {finding['check']}  " in line
                and all(f"  {value}  " in line for value in names.values())
            ),
            None,
        )
        assert line is not None, (run.report, names)


def test_duplicate_primary_names_the_colliding_segment(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corruption = CORRUPTIONS["duplicate_primary"]
    database = corrupted_copy(demo_warehouse, tmp_path / "warehouse", corruption.statements)
    (segment,) = query(
        database,
        f"select segment_name from {ASSIGNMENTS} where scheme_name = 'lifecycle' "
        f"group by customer_id, segment_name having count(*) > 1",
    )[0]
    run = run_gate(database, tmp_path, capsys)
    assert run.findings(check="exclusivity", scheme="lifecycle", segment=segment), run.report


def test_missing_table_is_named(demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = corrupted_copy(demo_warehouse, tmp_path / "warehouse", CORRUPTIONS["missing_table"].statements)
    run = run_gate(database, tmp_path, capsys)
    assert run.code == EXIT_COULD_NOT_RUN
    assert run.result["status"] == "could_not_run"
    assert any(ASSIGNMENTS in p for p in run.result["problems"]), run.result
    assert f"could not run: missing in {database}: {ASSIGNMENTS}" in run.report


def test_missing_warehouse_file_cannot_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_gate(tmp_path / "nowhere.duckdb", tmp_path, capsys)
    assert run.code == EXIT_COULD_NOT_RUN
    assert "warehouse file not found" in run.report


def test_an_unwritable_output_cannot_run_although_every_check_passed(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The output's folder is a file: neither it nor the result can be made.
    gx_dir = gx_project_copy(tmp_path)
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    capsys.readouterr()
    code = main(["--database", str(demo_warehouse), "--gx-dir", str(gx_dir), "--output", str(blocker / "result.json")])
    report = capsys.readouterr().out
    assert code == EXIT_COULD_NOT_RUN, report
    assert f"could not run: could not write the result to {blocker / 'result.json'}" in report
    assert "quality gate COULD NOT RUN (exit 2)" in report


# ----------------------------------------------- thresholds and severity come from dbt


@pytest.fixture(scope="module")
def reconfigured(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of the demo with one catalog model rebuilt under other vars, two at a time."""
    cases: dict[str, tuple[str, dict[str, Any]]] = {
        "warn_completeness": (
            "quality_check_severities",
            {"audience_segments_quality_severity": {"completeness": "warn"}},
        ),
        "min_size_2000": ("segment_definitions", {"audience_segments_min_segment_size": 2000}),
        "warn_min_size": (
            "quality_check_severities",
            {"audience_segments_quality_severity": {"min_size": "warn"}},
        ),
        "error_min_size": (
            "quality_check_severities",
            {"audience_segments_quality_severity": {"min_size": "error"}},
        ),
        "warn_exclusivity": (
            "quality_check_severities",
            {"audience_segments_quality_severity": {"exclusivity": "warn"}},
        ),
    }

    def rebuild(case: str) -> tuple[str, Path]:
        work_dir = tmp_path_factory.mktemp(case)
        database = corrupted_copy(demo_warehouse, work_dir / "warehouse", ())
        model, dbt_vars = cases[case]
        result = run_dbt(["run", "--select", model], database, work_dir, dbt_vars)
        assert result.ok, result.output[-3000:]
        return case, database

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(rebuild, cases))


def test_warn_severity_failure_is_printed_but_passes(
    reconfigured: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statements = CORRUPTIONS["incomplete_field"].statements
    database = corrupted_copy(reconfigured["warn_completeness"], tmp_path / "warehouse", statements)
    run = run_gate(database, tmp_path, capsys)
    assert run.code == EXIT_PASSED, run.report
    (finding,) = run.result["findings"]
    assert (finding["check"], finding["field"], finding["severity"], finding["status"]) == (
        "completeness",
        "acquisition_channel",
        "warn",
        "failed",
    )
    assert any(line.startswith("WARN") and "acquisition_channel" in line for line in run.report.splitlines()), run.report


def test_severity_of_a_segment_check_is_read_from_the_warehouse(
    reconfigured: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """min_size configured as warn in dbt: a shrunk segment is printed, the gate passes."""
    statements = CORRUPTIONS["segment_shrunk"].statements
    database = corrupted_copy(reconfigured["warn_min_size"], tmp_path / "warehouse", statements)
    run = run_gate(database, tmp_path, capsys)
    assert run.code == EXIT_PASSED, run.report
    (finding,) = run.result["findings"]
    assert (finding["check"], finding["scheme"], finding["segment"], finding["severity"]) == (
        "min_size",
        "value_rfm",
        "champions",
        "warn",
    )
    assert any(line.startswith("WARN") and "champions" in line for line in run.report.splitlines()), run.report


@pytest.mark.parametrize(
    ("build", "options", "expected_exit", "expected_severity"),
    [
        # Health checks fail the gate by default, whatever dbt build does with them.
        (None, (), EXIT_FAILED, "error"),
        ("error_min_size", (), EXIT_FAILED, "error"),
        # --health warn: health checks take their dbt build severity (warn by default)...
        (None, ("--health", "warn"), EXIT_PASSED, "warn"),
        ("warn_min_size", ("--health", "warn"), EXIT_PASSED, "warn"),
        # ...but a check configured as error stays one.
        ("error_min_size", ("--health", "warn"), EXIT_FAILED, "error"),
    ],
)
def test_health_option_decides_how_health_findings_count(
    demo_warehouse: Path,
    reconfigured: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    build: str | None,
    options: tuple[str, ...],
    expected_exit: int,
    expected_severity: str,
) -> None:
    statements = CORRUPTIONS["segment_shrunk"].statements
    database = corrupted_copy(reconfigured[build] if build else demo_warehouse, tmp_path / "warehouse", statements)
    run = run_gate(database, tmp_path, capsys, *options)
    assert run.code == expected_exit, run.report
    assert run.result["health"] == (options[1] if options else "error")
    (finding,) = run.result["findings"]
    assert (finding["check"], finding["scheme"], finding["segment"], finding["severity"]) == (
        "min_size",
        "value_rfm",
        "champions",
        expected_severity,
    )
    level = "FAIL" if expected_severity == "error" else "WARN"
    assert any(line.startswith(level) and "champions" in line for line in run.report.splitlines()), run.report


def test_health_option_leaves_integrity_checks_errors(
    demo_warehouse: Path, reconfigured: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--health warn does not soften an integrity check; only the var does, in both twins."""
    statements = CORRUPTIONS["duplicate_primary"].statements
    database = corrupted_copy(demo_warehouse, tmp_path / "a", statements)
    run = run_gate(database, tmp_path / "a", capsys, "--health", "warn")
    assert run.code == EXIT_FAILED, run.report
    assert {(f["check"], f["severity"]) for f in run.result["findings"]} == {("exclusivity", "error")}
    database = corrupted_copy(reconfigured["warn_exclusivity"], tmp_path / "b", statements)
    run = run_gate(database, tmp_path / "b", capsys)
    assert run.code == EXIT_PASSED, run.report
    assert {(f["check"], f["severity"]) for f in run.result["findings"]} == {("exclusivity", "warn")}


def test_thresholds_are_read_from_the_warehouse(
    reconfigured: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same assignments, a min size of 2000 compiled into segment_definitions: the gate follows."""
    database = reconfigured["min_size_2000"]
    small = set(
        query(
            database,
            f"""
            select d.scheme_name, d.segment_name
            from main_marts.segment_definitions as d
            left join {ASSIGNMENTS} as a using (scheme_name, segment_name)
            where not d.is_fallback
            group by all
            having count(a.customer_id) < 2000
            """,
        )
    )
    run = run_gate(database, tmp_path, capsys)
    assert run.code == EXIT_FAILED
    failing = {(f["scheme"], f["segment"]) for f in run.findings(check="min_size")}
    assert failing == small and len(small) > 10
    assert all(f["expected"].startswith(">= 2000 members") for f in run.findings(check="min_size"))


# --------------------------------------------------------------------------- exit code


def _finding(status: str, severity: str) -> Finding:
    return Finding(status, severity, "suite", "check", "expectation", "table", None, None, None, "", "")


@pytest.mark.parametrize(
    ("findings", "problems", "expected"),
    [
        ([], [], EXIT_PASSED),
        ([_finding("failed", "warn")], [], EXIT_PASSED),
        ([_finding("failed", "warn"), _finding("failed", "error")], [], EXIT_FAILED),
        ([_finding("failed", "error"), _finding("raised", "warn")], [], EXIT_COULD_NOT_RUN),
        ([], ["warehouse file not found"], EXIT_COULD_NOT_RUN),
    ],
)
def test_exit_code_precedence(findings: list[Finding], problems: list[str], expected: int) -> None:
    """Could-not-run beats failed (the rest is unverified), failed beats warn."""
    assert exit_code(findings, problems) == expected
