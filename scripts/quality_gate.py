"""CI data-quality gate: Great Expectations suites over the dbt DuckDB warehouse.

    python -m scripts.quality_gate [--database PATH] [--output PATH] [--docs-dir DIR]

Exit 0: every check passed (warn-severity failures are printed, never blocking).
Exit 1: an error-severity check failed.
Exit 2: the gate could not run: warehouse file, table or GX asset missing, or an
        expectation raised (e.g. a column is gone). Never reported as a pass.

Thresholds are read from the warehouse (main_marts.segment_definitions and
main_marts.segment_field_requirements, both compiled from the dbt configuration)
and turned into suites at run time; none is repeated here. Every expectation runs
as SQL inside DuckDB, opened read-only (scripts/gx_duckdb.py). Design notes:
docs/quality_gate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.data_context.file_data_context import FileDataContext
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
from great_expectations.expectations.metadata_types import FailureSeverity

# Importing the module registers the duckdb_readonly datasource type, which
# gx/great_expectations.yml refers to; it must happen before the context loads.
from scripts.gx_duckdb import DuckDBReadOnlyDatasource, close_datasource, result_raised

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GX_DIR = REPO_ROOT / "gx"
DEFAULT_OUTPUT = Path("target/quality_gate/result.json")
DEFAULT_DATABASE = Path("target/audience_segments.duckdb")
DATABASE_ENV = "AUDIENCE_SEGMENTS_DB"
# Substituted into the datasource's connection string in gx/great_expectations.yml.
GX_DATABASE_VARIABLE = "AUDIENCE_SEGMENTS_GATE_DATABASE"
DATASOURCE = "audience_segments_warehouse"
BATCH_DEFINITION = "whole_table"

MARTS = "main_marts"
STAGING = "main_staging"
# Natural keys of the staging views (unique and not null, as in _staging.yml).
STAGING_KEYS = {
    "stg_crm__customers": "customer_id",
    "stg_crm__accounts": "account_id",
    "stg_shop__orders": "order_id",
    "stg_product__events": "event_day_id",
    "stg_billing__subscriptions": "subscription_id",
    "stg_survey__survey_responses": "response_id",
    "stg_privacy__erasure_requests": "customer_id",
}
THRESHOLD_TABLES = ("segment_definitions", "segment_field_requirements", "quality_check_severities")
VALIDATED_TABLES = ("customer_360", "segment_assignments")

# A check missing from quality_check_severities (an older build) is an error.
HARD_CHECK_SEVERITY = "error"
GX_SEVERITY = {"error": FailureSeverity.CRITICAL, "warn": FailureSeverity.WARNING}

EXIT_PASSED, EXIT_FAILED, EXIT_COULD_NOT_RUN = 0, 1, 2


class GateCannotRun(Exception):
    """The gate cannot validate this warehouse at all (exit 2)."""


@dataclass(frozen=True)
class SegmentThreshold:
    scheme: str
    segment: str
    is_fallback: bool
    min_size: int
    min_share: float
    max_share: float


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    min_ratio: float
    severity: str
    used_by: str


@dataclass(frozen=True)
class Finding:
    """One line of the report: a failed or raised check, named down to scheme/segment or field."""

    status: str  # "failed" or "raised"
    severity: str
    suite: str
    check: str
    expectation: str
    table: str
    scheme: str | None
    segment: str | None
    field: str | None
    observed: str
    expected: str


@dataclass(frozen=True)
class ExpectationOutcome:
    suite: str
    check: str
    severity: str
    expectation: str
    table: str
    scheme: str | None
    field: str | None
    success: bool
    raised: bool


# --------------------------------------------------------------------------- thresholds


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_severities(database: Path) -> dict[str, str]:
    """Severity per check, as configured in dbt (main_marts.quality_check_severities)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            f"select check_name, severity from {MARTS}.quality_check_severities"
        ).fetchall()
    severities = {str(check): str(level) for check, level in rows}
    bad = sorted(set(severities.values()) - set(GX_SEVERITY))
    if bad:
        raise GateCannotRun(f"{MARTS}.quality_check_severities has unknown severities {bad}")
    return severities


def read_thresholds(database: Path) -> tuple[list[SegmentThreshold], list[FieldRequirement]]:
    """Check that every relation the gate needs exists, then read the thresholds."""
    needed = [(MARTS, t) for t in THRESHOLD_TABLES + VALIDATED_TABLES] + [(STAGING, t) for t in STAGING_KEYS]
    with duckdb.connect(str(database), read_only=True) as connection:
        present = set(connection.execute("select table_schema, table_name from information_schema.tables").fetchall())
        missing = [f"{schema}.{table}" for schema, table in needed if (schema, table) not in present]
        if missing:
            raise GateCannotRun(f"missing in {database}: {', '.join(missing)} (run dbt build first)")
        segments = [
            SegmentThreshold(str(s), str(g), bool(f), int(n), float(lo), float(hi))
            for s, g, f, n, lo, hi in connection.execute(
                f"""
                select scheme_name, segment_name, is_fallback,
                    min_segment_size, min_segment_share, max_segment_share
                from {MARTS}.segment_definitions
                order by scheme_name, segment_priority
                """
            ).fetchall()
        ]
        fields = [
            FieldRequirement(str(f), float(r), str(s), str(u or ""))
            for f, r, s, u in connection.execute(
                f"""
                select field_name, min_non_null_ratio, severity, used_by
                from {MARTS}.segment_field_requirements
                order by field_name
                """
            ).fetchall()
        ]
    if not segments:
        raise GateCannotRun(f"{MARTS}.segment_definitions is empty: no scheme to validate")
    bad = sorted({r.severity for r in fields} - set(GX_SEVERITY))
    if bad:
        raise GateCannotRun(f"{MARTS}.segment_field_requirements has unknown severities {bad}")
    return segments, fields


# --------------------------------------------------------------------------- suites

# The SQL expectations return one row per failing scheme/segment with the
# columns scheme_name, segment_name, observed, expected: the report prints them
# as they are, so the numbers come from the warehouse, not from Python.


def _meta(check: str, severity: str, **names: str) -> dict[str, Any]:
    return {"check": check, "gate_severity": severity, **names}


def _rows_expectation(
    query: str, description: str, check: str, severity: str, **names: str
) -> gxe.UnexpectedRowsExpectation:
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=query,
        description=description,
        severity=GX_SEVERITY[severity],
        meta=_meta(check, severity, **names),
    )


def _screen(schemes: Sequence[str]) -> str:
    """CTEs ending in `suspect`: the schemes whose assignments cannot be exactly the customers.

    Per scheme, the number of rows, of primary segments and the sum of
    hash(customer_id) must equal customer_360's count and sum. One cheap scan;
    a duplicate, a missing or a foreign customer changes the count or (even when
    two errors offset the count) the sum, barring a 64-bit hash coincidence. The
    exact per-customer comparison (a 10M-row group-by at 1M customers) then runs
    on suspect schemes only, so a clean warehouse never pays for it.
    """
    values = ", ".join(f"({_sql_string(s)})" for s in schemes)
    return f"""
        audience as (
            select count(*) as customers, sum(hash(customer_id)::hugeint) as checksum
            from {MARTS}.customer_360
        ),
        totals as (
            select scheme_name, count(*) as assignment_rows, count(segment_name) as primary_rows,
                sum(hash(customer_id)::hugeint) as checksum
            from {{batch}}
            group by scheme_name
        ),
        suspect as (
            select coalesce(schemes.scheme_name, totals.scheme_name) as scheme_name,
                schemes.scheme_name is not null as in_catalog
            from (values {values}) as schemes (scheme_name)
            full outer join totals on schemes.scheme_name = totals.scheme_name
            cross join audience
            where schemes.scheme_name is null or totals.scheme_name is null
                or totals.assignment_rows <> audience.customers
                or totals.primary_rows <> totals.assignment_rows
                or totals.checksum <> audience.checksum
        )"""


def exclusivity_coverage_suite(schemes: Sequence[str], severities: dict[str, str]) -> gx.ExpectationSuite:
    screen = _screen(schemes)
    exclusivity = f"""
        with {screen},
        offending as (
            select customer_id, scheme_name
            from {{batch}}
            where scheme_name in (select scheme_name from suspect)
            group by customer_id, scheme_name
            having count(*) <> 1 or count(segment_name) <> 1
        )
        select
            rows.scheme_name,
            rows.segment_name,
            count(distinct rows.customer_id) || ' customer(s) with 0 or several primary rows here, e.g. '
                || min(rows.customer_id) as observed,
            'exactly one primary segment per customer and scheme' as expected
        from {{batch}} as rows
        inner join offending
            on rows.customer_id = offending.customer_id and rows.scheme_name = offending.scheme_name
        group by rows.scheme_name, rows.segment_name
    """
    coverage = f"""
        with {screen},
        expected as (
            select customers.customer_id, suspect.scheme_name
            from {MARTS}.customer_360 as customers
            cross join suspect
            where suspect.in_catalog
        ),
        assigned as (
            select customer_id, scheme_name from {{batch}}
            where scheme_name in (select scheme_name from suspect)
        ),
        missing as (
            select * from expected
            where not exists (
                select 1 from assigned
                where assigned.customer_id = expected.customer_id and assigned.scheme_name = expected.scheme_name
            )
        ),
        unknown as (
            select * from assigned
            where not exists (
                select 1 from expected
                where expected.customer_id = assigned.customer_id and expected.scheme_name = assigned.scheme_name
            )
        )
        select scheme_name, null as segment_name,
            count(*) || ' customer_360 customer(s) without an assignment, e.g. ' || min(customer_id) as observed,
            'every customer_360 customer in every scheme' as expected
        from missing group by scheme_name
        union all
        select scheme_name, null as segment_name,
            count(distinct customer_id) || ' unknown customer(s) or scheme, e.g. ' || min(customer_id) as observed,
            'customers of customer_360 and schemes of segment_definitions only' as expected
        from unknown group by scheme_name
    """
    return gx.ExpectationSuite(
        name="segments.exclusivity_coverage",
        expectations=[
            _rows_expectation(
                exclusivity,
                "Exactly one primary segment per customer and scheme (compound key customer_id, scheme_name).",
                "exclusivity",
                severities.get("exclusivity", HARD_CHECK_SEVERITY),
            ),
            _rows_expectation(
                coverage,
                "Every customer of customer_360 is assigned in every scheme of segment_definitions, and nobody else.",
                "coverage",
                severities.get("coverage", HARD_CHECK_SEVERITY),
            ),
        ],
    )


def size_suite(segments: Sequence[SegmentThreshold], severities: dict[str, str]) -> gx.ExpectationSuite:
    """Per scheme: non-fallback segments big enough, no segment dominant.

    The scheme's segments come from the catalog, so a segment nobody is assigned
    to any more still appears, with 0 members.
    """
    expectations: list[gxe.UnexpectedRowsExpectation] = []
    for scheme in sorted({s.scheme for s in segments}):
        rows = [s for s in segments if s.scheme == scheme]
        name = _sql_string(scheme)
        sizes = f"""
            sizes as (
                select segment_name, count(*) as members
                from {{batch}} where scheme_name = {name} group by segment_name
            ),
            measured as (
                select thresholds.*, coalesce(sizes.members, 0) as members,
                    coalesce(sizes.members, 0) * 1.0 / nullif((select sum(members) from sizes), 0) as share
                from thresholds left join sizes using (segment_name)
            )"""
        ruled = [s for s in rows if not s.is_fallback]
        if ruled:
            values = ", ".join(f"({_sql_string(s.segment)}, {s.min_size}, {s.min_share!r})" for s in ruled)
            expectations.append(
                _rows_expectation(
                    f"""
                    with thresholds (segment_name, min_size, min_share) as (values {values}),{sizes}
                    select {name} as scheme_name, segment_name,
                        members || ' members, ' || round(100 * coalesce(share, 0), 2) || '% of the scheme' as observed,
                        '>= ' || min_size || ' members and >= ' || round(100 * min_share, 2) || '%' as expected
                    from measured
                    where members < min_size or coalesce(share, 0) < min_share
                    """,
                    f"{scheme}: every non-fallback segment has at least its minimum size and share.",
                    "min_size",
                    severities.get("min_size", HARD_CHECK_SEVERITY),
                    scheme=scheme,
                )
            )
        values = ", ".join(f"({_sql_string(s.segment)}, {s.max_share!r})" for s in rows)
        expectations.append(
            _rows_expectation(
                f"""
                with thresholds (segment_name, max_share) as (values {values}),{sizes}
                select {name} as scheme_name, segment_name,
                    members || ' members, ' || round(100 * share, 2) || '% of the scheme' as observed,
                    '< ' || round(100 * max_share, 2) || '% of the scheme' as expected
                from measured
                where share >= max_share
                """,
                f"{scheme}: no segment (fallback included) holds its maximum share of the scheme or more.",
                "max_share",
                severities.get("max_share", HARD_CHECK_SEVERITY),
                scheme=scheme,
            )
        )
    return gx.ExpectationSuite(name="segments.size", expectations=expectations)


def completeness_suite(fields: Sequence[FieldRequirement]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="customer_360.completeness",
        expectations=[
            gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
                column=f.field,
                min_value=f.min_ratio,
                description=f"Read by {f.used_by}." if f.used_by else None,
                severity=GX_SEVERITY[f.severity],
                meta=_meta("completeness", f.severity, field=f.field, used_by=f.used_by),
            )
            for f in fields
        ],
    )


def staging_suite(table: str, key: str, level: str) -> gx.ExpectationSuite:
    meta = _meta("staging_keys", level, field=key)
    severity = GX_SEVERITY[level]
    return gx.ExpectationSuite(
        name=f"staging.{table}",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column=key, severity=severity, meta=meta),
            # One count(distinct) scan; ExpectColumnValuesToBeUnique takes three
            # passes (17 s on 13M events at 1M customers, against 7 s).
            gxe.ExpectColumnProportionOfUniqueValuesToBeBetween(
                column=key, min_value=1.0, max_value=1.0, severity=severity, meta=meta
            ),
        ],
    )


def build_suites(
    segments: Sequence[SegmentThreshold],
    fields: Sequence[FieldRequirement],
    severities: dict[str, str],
) -> list[tuple[str, gx.ExpectationSuite]]:
    """(asset name, suite) pairs; asset names are those of gx/great_expectations.yml."""
    schemes = sorted({s.scheme for s in segments})
    return [
        (f"{MARTS}.segment_assignments", exclusivity_coverage_suite(schemes, severities)),
        (f"{MARTS}.segment_assignments", size_suite(segments, severities)),
        (f"{MARTS}.customer_360", completeness_suite(fields)),
        *(
            (f"{STAGING}.{table}", staging_suite(table, key, severities.get("staging_keys", HARD_CHECK_SEVERITY)))
            for table, key in STAGING_KEYS.items()
        ),
    ]


# --------------------------------------------------------------------------- running


def _validate(
    context: FileDataContext, datasource: DuckDBReadOnlyDatasource, suites: Sequence[tuple[str, gx.ExpectationSuite]]
) -> list[tuple[str, ExpectationSuiteValidationResult]]:
    """Store and run one validation definition per suite, under one run id."""
    run_id = RunIdentifier(run_name="quality_gate", run_time=datetime.now(timezone.utc))
    results = []
    for asset_name, suite in suites:
        if asset_name not in datasource.get_asset_names():
            # Adding it here would rewrite the committed gx/great_expectations.yml.
            raise GateCannotRun(f"GX asset {asset_name!r} is not declared in gx/great_expectations.yml")
        batch_definition = datasource.get_asset(asset_name).get_batch_definition(BATCH_DEFINITION)
        stored = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=stored)
        )
        # COMPLETE returns the rows of the SQL checks (one per failing segment);
        # the column checks keep GX's bounded SUMMARY sample.
        sql_suite = all(isinstance(e, gxe.UnexpectedRowsExpectation) for e in suite.expectations)
        results.append(
            (asset_name, definition.run(result_format="COMPLETE" if sql_suite else "SUMMARY", run_id=run_id))
        )
    return results


def build_data_docs(context: FileDataContext, docs_dir: Path | None) -> str | None:
    if docs_dir is not None:
        # In memory only: the committed site configuration stays as it is.
        site = dict((context.variables.data_docs_sites or {})["local_site"])
        site["store_backend"] = {**site["store_backend"], "base_directory": str(docs_dir.resolve())}
        context.variables.data_docs_sites = {"local_site": site}
    return context.build_data_docs(site_names=["local_site"]).get("local_site")


# --------------------------------------------------------------------------- report


def _config(result: ExpectationValidationResult) -> ExpectationConfiguration:
    config = result.expectation_config
    assert config is not None, "GX returns the configuration with every result"
    return config


def _exception_message(info: Any) -> str:
    """First error message in GX's exception_info (flat, or keyed by metric id)."""
    if isinstance(info, dict):
        if info.get("raised_exception"):
            return str(info.get("exception_message") or "expectation raised").strip().splitlines()[0]
        for value in info.values():
            message = _exception_message(value)
            if message:
                return message
    return ""


def _observed_expected(result: ExpectationValidationResult) -> tuple[str, str]:
    """Observed and expected, in words, for the column expectations."""
    config, data = _config(result), result.result or {}
    kind, kwargs = config.type, config.kwargs
    if kind == "expect_column_proportion_of_non_null_values_to_be_between":
        observed = data.get("observed_value")
        return (
            f"{observed:.2%} non-NULL" if isinstance(observed, (int, float)) else "no value",
            f">= {kwargs['min_value']:.2%} non-NULL",
        )
    count, total = data.get("unexpected_count"), data.get("element_count")
    if kind == "expect_column_values_to_not_be_null":
        return f"{count} NULL of {total} rows", "no NULL"
    if kind == "expect_column_values_to_be_unique":
        sample = ", ".join(f"{c['value']} (x{c['count']})" for c in (data.get("partial_unexpected_counts") or [])[:3])
        return f"{count} of {total} rows share a key, e.g. {sample}", "unique"
    return str(data.get("observed_value", data)), str(kwargs)


def findings_of(suite: str, table: str, result: ExpectationValidationResult) -> list[Finding]:
    config = _config(result)
    meta = config.meta or {}
    common = {
        "severity": str(meta.get("gate_severity", HARD_CHECK_SEVERITY)),
        "suite": suite,
        "check": str(meta.get("check", "?")),
        "expectation": config.type,
        "table": table,
    }
    scheme, field = meta.get("scheme"), meta.get("field")
    if result_raised(result):
        message = _exception_message(result.exception_info)
        return [Finding("raised", **common, scheme=scheme, segment=None, field=field, observed=message, expected="")]
    if result.success:
        return []
    rows = ((result.result or {}).get("details") or {}).get("unexpected_rows")
    if rows:
        return [
            Finding(
                "failed",
                **common,
                scheme=row.get("scheme_name"),
                segment=row.get("segment_name"),
                field=field,
                observed=str(row.get("observed")),
                expected=str(row.get("expected")),
            )
            for row in rows
        ]
    observed, expected = _observed_expected(result)
    return [Finding("failed", **common, scheme=scheme, segment=None, field=field, observed=observed, expected=expected)]


def exit_code(findings: Iterable[Finding], problems: Sequence[str]) -> int:
    findings = list(findings)
    if problems or any(f.status == "raised" for f in findings):
        return EXIT_COULD_NOT_RUN
    if any(f.severity == "error" for f in findings):
        return EXIT_FAILED
    return EXIT_PASSED


def format_report(findings: Sequence[Finding], problems: Sequence[str], code: int, summary: str) -> str:
    headers = ("level", "suite", "check", "scheme", "segment / field", "expectation", "observed", "expected")
    lines = [f"could not run: {p}" for p in problems]
    rows = [
        (
            "ERROR" if f.status == "raised" else ("FAIL" if f.severity == "error" else "WARN"),
            f.suite,
            f.check,
            f.scheme or "-",
            f.segment or f.field or "-",
            f.expectation,
            f.observed,
            f.expected,
        )
        for f in sorted(findings, key=lambda f: (f.status != "raised", f.severity != "error", f.suite, f.check))
    ]
    if rows:
        # Observed and expected (last) are never cut: they are the diagnosis.
        widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows)]
        for row in (headers, *rows):
            lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    verdict = {EXIT_PASSED: "PASSED", EXIT_FAILED: "FAILED", EXIT_COULD_NOT_RUN: "COULD NOT RUN"}[code]
    lines.append(f"quality gate {verdict} (exit {code}): {summary}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- entry point


def run_gate(
    database: Path, gx_dir: Path, docs_dir: Path | None
) -> tuple[list[Finding], list[ExpectationOutcome], str | None]:
    if not database.is_file():
        raise GateCannotRun(f"warehouse file not found: {database}")
    if not (gx_dir / "great_expectations.yml").is_file():
        # Checked first: GX would scaffold a fresh, empty project there instead.
        raise GateCannotRun(f"no GX project at {gx_dir} (great_expectations.yml missing)")
    segments, fields = read_thresholds(database)
    severities = read_severities(database)
    with warnings.catch_warnings():
        # GX 1.14 deprecated TableAsset.schema_name; a dbt DuckDB file spreads
        # tables over several schemas, so the committed assets keep it (as
        # scripts/gx_duckdb.py does).
        warnings.filterwarnings("ignore", "`schema_name` is deprecated", DeprecationWarning)
        context = gx.get_context(
            context_root_dir=str(gx_dir),
            runtime_environment={GX_DATABASE_VARIABLE: str(database.resolve())},
        )
        assert isinstance(context, FileDataContext)
        datasource = context.data_sources.get(DATASOURCE)
        if not isinstance(datasource, DuckDBReadOnlyDatasource):
            raise GateCannotRun(f"{gx_dir}/great_expectations.yml: {DATASOURCE!r} is not a duckdb_readonly datasource")
        try:
            results = _validate(context, datasource, build_suites(segments, fields, severities))
        finally:
            close_datasource(datasource)  # release the file: dbt may write it next
    findings: list[Finding] = []
    outcomes: list[ExpectationOutcome] = []
    for asset_name, suite_result in results:
        suite = suite_result.suite_name
        for result in suite_result.results:
            meta = _config(result).meta or {}
            findings += findings_of(suite, asset_name, result)
            outcomes.append(
                ExpectationOutcome(
                    suite=suite,
                    check=str(meta.get("check")),
                    severity=str(meta.get("gate_severity")),
                    expectation=_config(result).type,
                    table=asset_name,
                    scheme=meta.get("scheme"),
                    field=meta.get("field"),
                    success=bool(result.success) and not result_raised(result),
                    raised=result_raised(result),
                )
            )
    return findings, outcomes, build_data_docs(context, docs_dir)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.quality_gate", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database",
        type=Path,
        default=Path(os.environ.get(DATABASE_ENV) or DEFAULT_DATABASE),
        help=f"DuckDB file built by dbt (default: ${DATABASE_ENV}, else {DEFAULT_DATABASE})",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON result (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--docs-dir", type=Path, help="where to build Data Docs (default: gx/uncommitted/data_docs)")
    parser.add_argument("--gx-dir", type=Path, default=DEFAULT_GX_DIR, help="GX project folder (default: gx/)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    findings: list[Finding] = []
    outcomes: list[ExpectationOutcome] = []
    problems: list[str] = []
    docs: str | None = None
    try:
        findings, outcomes, docs = run_gate(args.database, args.gx_dir, args.docs_dir)
    except GateCannotRun as error:
        problems.append(str(error))
    except Exception as error:  # noqa: BLE001 - any crash means "not validated", never a pass
        problems.append(f"{type(error).__name__}: {error}")
    code = exit_code(findings, problems)
    seconds = round(time.perf_counter() - started, 2)
    failed = sum(not o.success for o in outcomes)
    summary = f"{len(outcomes)} expectations, {failed} not passed, {len(findings)} finding(s), {seconds} s"
    result = {
        "status": {EXIT_PASSED: "passed", EXIT_FAILED: "failed", EXIT_COULD_NOT_RUN: "could_not_run"}[code],
        "exit_code": code,
        "database": str(args.database),
        "seconds": seconds,
        "data_docs": docs,
        "problems": problems,
        "findings": [asdict(f) for f in findings],
        "expectations": [asdict(o) for o in outcomes],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(format_report(findings, problems, code, summary))
    print(f"result: {args.output}" + (f"\ndata docs: {docs}" if docs else ""))
    return code


if __name__ == "__main__":
    sys.exit(main())
