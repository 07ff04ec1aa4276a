"""CI data-quality gate: Great Expectations suites over the dbt DuckDB warehouse.

    python -m scripts.quality_gate [--database PATH] [--output PATH] [--docs-dir DIR] [--health error|warn]
        [--quasi-identifiers COLUMNS] [--k-anonymity K]

Exit 0: every check passed (warn-severity failures are printed, never blocking).
Exit 1: an error-severity check failed. Integrity checks (exclusivity, coverage,
        staging keys, row reconciliation, k-anonymity) are errors; so are health checks (segment size and share,
        completeness, quarantined share) unless --health warn, which gives them
        their dbt build severity (warn unless configured otherwise).
Exit 2: the gate could not run: warehouse file, table or GX asset missing, an
        expectation raised (e.g. a column is gone), or the result file could not
        be written. Never reported as a pass.

Thresholds and severities are read from the warehouse (main_marts.segment_definitions,
segment_field_requirements, quality_check_severities and the source_health view, all
compiled from the dbt configuration) and turned into suites at run time; none is
repeated here. Every expectation runs as SQL inside DuckDB, opened read-only
(scripts/gx_duckdb.py). Design notes: docs/quality_gate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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

from scripts.data_docs_assets import DEFAULT_DEST as DEFAULT_DOCS_ASSETS
from scripts.data_docs_assets import AssetsMissing, localise

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
# Staging view and key per source, keyed by registry name, as the staging_keys
# tests of _staging.yml check them: a one-column key is unique and never NULL;
# a compound key (several columns) is unique as a combination, NULLs comparing
# equal. Only the sources switched on in the build (the rows of source_health)
# are checked; a source missing here (fx_rates: no GX asset) has no key check.
STAGING_KEYS: dict[str, tuple[str, tuple[str, ...]]] = {
    "customers": ("stg_crm__customers", ("customer_id",)),
    "accounts": ("stg_crm__accounts", ("account_id",)),
    "orders": ("stg_shop__orders", ("order_id",)),
    "events": ("stg_product__events", ("customer_id", "event_date", "event_type", "feature_name")),
    "subscriptions": ("stg_billing__subscriptions", ("subscription_id",)),
    "survey_responses": ("stg_survey__survey_responses", ("response_id",)),
    "erasure_requests": ("stg_privacy__erasure_requests", ("customer_key_hash",)),
}
THRESHOLD_TABLES = ("segment_definitions", "segment_field_requirements", "quality_check_severities")
# source_health is a view over the audit tables: the one definition of the
# quarantined-share check, shared with the dbt test on stg_audit__row_reconciliation.
VALIDATED_TABLES = ("customer_360", "segment_assignments", "source_health")

# A check missing from quality_check_severities (an older build) is an error.
HARD_CHECK_SEVERITY = "error"
GX_SEVERITY = {"error": FailureSeverity.CRITICAL, "warn": FailureSeverity.WARNING}
# --health: "error" (default) fails the gate on health findings too; "warn"
# gives health checks their dbt build severity (warn unless configured).
HEALTH_MODES = ("error", "warn")

EXIT_PASSED, EXIT_FAILED, EXIT_COULD_NOT_RUN = 0, 1, 2

# The package defaults of audience_segments_quasi_identifiers and
# audience_segments_k_anonymity (macros/utils/anonymity.sql); a build
# configured otherwise passes its own with --quasi-identifiers and
# --k-anonymity. test_quality_gate.py checks that these match the package.
DEFAULT_QUASI_IDENTIFIERS = ("postal_prefix", "region", "country_code", "age_band", "gender", "market_region")
DEFAULT_K_ANONYMITY = 5


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
    source: str | None = None  # source.table, for the quarantined-share check


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


def read_severities(database: Path, health: str = "error") -> dict[str, str]:
    """The gate's severity per check, from dbt's main_marts.quality_check_severities.

    Each row carries the check's kind, its dbt build severity and its gate
    severity (integrity and health checks error unless the var names them).
    health="warn" gives health checks their dbt build severity instead.
    """
    if health not in HEALTH_MODES:
        raise ValueError(f"health must be one of {HEALTH_MODES}, got {health!r}")
    with duckdb.connect(str(database), read_only=True) as connection:
        try:
            rows = connection.execute(
                f"select check_name, check_kind, severity, gate_severity from {MARTS}.quality_check_severities"
            ).fetchall()
        except duckdb.BinderException as error:
            raise GateCannotRun(
                f"{MARTS}.quality_check_severities lacks check_kind / gate_severity (built by an older"
                f" version: run dbt build): {error}"
            ) from error
    severities = {
        str(check): str(dbt_level if health == "warn" and kind == "health" else gate_level)
        for check, kind, dbt_level, gate_level in rows
    }
    bad = sorted(set(severities.values()) - set(GX_SEVERITY))
    if bad:
        raise GateCannotRun(f"{MARTS}.quality_check_severities has unknown severities {bad}")
    return severities


def read_thresholds(
    database: Path,
) -> tuple[list[SegmentThreshold], list[FieldRequirement], list[tuple[str, tuple[str, ...]]]]:
    """Check that every relation the gate needs exists, then read the thresholds.

    Returns the segment thresholds, the checked field requirements and the
    (staging view, key columns) of the switched-on sources.
    """
    needed = [(MARTS, t) for t in THRESHOLD_TABLES + VALIDATED_TABLES]
    with duckdb.connect(str(database), read_only=True) as connection:
        present = set(connection.execute("select table_schema, table_name from information_schema.tables").fetchall())
        missing = [f"{schema}.{table}" for schema, table in needed if (schema, table) not in present]
        if not missing:
            sources = connection.execute(f"select source_key from {MARTS}.source_health").fetchall()
            enabled = {str(k) for (k,) in sources}
            staging = [STAGING_KEYS[k] for k in STAGING_KEYS if k in enabled]
            missing = [f"{STAGING}.{table}" for table, _ in staging if (STAGING, table) not in present]
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
        # Only the checked bars: an override for a field no enabled rule
        # reads is listed with is_checked = false, and ignored.
        fields = [
            FieldRequirement(str(f), float(r), str(u or ""))
            for f, r, u in connection.execute(
                f"""
                select field_name, min_non_null_ratio, used_by
                from {MARTS}.segment_field_requirements
                where is_checked
                order by field_name
                """
            ).fetchall()
        ]
    if not segments:
        raise GateCannotRun(f"{MARTS}.segment_definitions is empty: no scheme to validate")
    return segments, fields, staging


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

    The screen must not trust customer_360 either: a customer duplicated
    there and in the assignments matches both sums, so a customer_360 whose
    customers are not distinct makes every scheme suspect.
    """
    values = ", ".join(f"({_sql_string(s)})" for s in schemes)
    return f"""
        audience as (
            select count(*) as customers, count(distinct customer_id) as distinct_customers,
                sum(hash(customer_id)::hugeint) as checksum
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
                or audience.distinct_customers <> audience.customers
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


def completeness_suite(fields: Sequence[FieldRequirement], severities: dict[str, str]) -> gx.ExpectationSuite:
    level = severities.get("completeness", HARD_CHECK_SEVERITY)
    return gx.ExpectationSuite(
        name="customer_360.completeness",
        expectations=[
            gxe.ExpectColumnProportionOfNonNullValuesToBeBetween(
                column=f.field,
                min_value=f.min_ratio,
                description=f"Read by {f.used_by}." if f.used_by else None,
                severity=GX_SEVERITY[level],
                meta=_meta("completeness", level, field=f.field, used_by=f.used_by),
            )
            for f in fields
        ],
    )


def sources_suite(severities: dict[str, str]) -> gx.ExpectationSuite:
    """Per switched-on source, from the source_health view over the audit tables.

    reconciliation: every raw row is staged, quarantined, counted as a duplicate or erased.
    quarantine_share: at most the source's maximum share of raw rows quarantined;
    the view's health_status is the one definition of the check, the same rows
    the dbt test on stg_audit__row_reconciliation returns, and its
    failure_message names the source and the top reasons with counts and
    example raw values.
    """
    reconciliation = """
        select
            source_name,
            raw_row_count || ' raw rows, ' || staged_row_count || ' staged + ' || quarantined_row_count
                || ' quarantined + ' || duplicate_row_count || ' duplicates + ' || erased_row_count
                || ' erased' as observed,
            'raw rows = staged + quarantined + duplicates + erased' as expected
        from {batch}
        where not is_reconciled
        order by source_name
    """
    quarantine = """
        select
            source_name,
            failure_message as observed,
            '<= ' || cast(round(100 * max_quarantined_share, 2) as decimal(9, 2))
                || '% of the raw rows quarantined' as expected
        from {batch}
        where health_status <> 'ok'
        order by source_name
    """
    return gx.ExpectationSuite(
        name="staging.sources",
        expectations=[
            _rows_expectation(
                reconciliation,
                "Every raw row of every source is staged, quarantined or counted as a duplicate.",
                "reconciliation",
                severities.get("reconciliation", HARD_CHECK_SEVERITY),
            ),
            _rows_expectation(
                quarantine,
                "Every source has at most its maximum share of raw rows quarantined (source_health).",
                "quarantine_share",
                severities.get("quarantine_share", HARD_CHECK_SEVERITY),
            ),
        ],
    )


def staging_suite(table: str, key: Sequence[str], level: str) -> gx.ExpectationSuite:
    """The key of a staging view: a one-column key never NULL and unique; a compound key unique.

    SQL rather than GX's column expectations: ExpectColumnValuesToBeUnique takes
    three passes (17 s on 13M events at 1M customers, against 7 s for one
    count(distinct)), and ExpectColumnProportionOfUniqueValuesToBeBetween's
    proportion is undefined on an empty view and fails it (a source that
    quarantined every row: a health finding, not a key violation). NULL keys are
    the first expectation's finding, not the second's.
    """
    columns = ", ".join(key)
    if len(key) > 1:
        # As the dbt unique_combination test: NULLs compare equal, as in a GROUP BY.
        compound = f"""
            with repeated as (
                select count(*) as copies from {{batch}} group by {columns} having count(*) > 1
            )
            select
                count(*) || ' ({columns}) combinations on ' || sum(copies) || ' rows' as observed,
                'unique ({columns})' as expected
            from repeated
            having count(*) > 0
        """
        return gx.ExpectationSuite(
            name=f"staging.{table}",
            expectations=[
                _rows_expectation(
                    compound, f"{table}: ({columns}) is unique.", "staging_keys", level, field=columns
                )
            ],
        )
    (column,) = key
    not_null = f"""
        select
            count(*) - count({column}) || ' NULL of ' || count(*) || ' rows' as observed,
            'no NULL' as expected
        from {{batch}}
        having count({column}) < count(*)
    """
    unique = f"""
        select
            count({column}) - count(distinct {column}) || ' of ' || count({column})
                || ' non-NULL keys repeat another row''s' as observed,
            'unique' as expected
        from {{batch}}
        having count(distinct {column}) < count({column})
    """
    return gx.ExpectationSuite(
        name=f"staging.{table}",
        expectations=[
            _rows_expectation(not_null, f"{table}.{column} is never NULL.", "staging_keys", level, field=column),
            _rows_expectation(unique, f"{table}.{column} is unique.", "staging_keys", level, field=column),
        ],
    )


@dataclass(frozen=True)
class Anonymity:
    """The k-anonymity the gate holds customer_360 to."""

    quasi_identifiers: tuple[str, ...] = DEFAULT_QUASI_IDENTIFIERS
    k: int = DEFAULT_K_ANONYMITY

    def groups_query(self, relation: str) -> str:
        columns = ", ".join(self.quasi_identifiers)
        return f"select count(*) as group_size from {relation} group by {columns}"


def privacy_suite(anonymity: Anonymity, severities: dict[str, str]) -> gx.ExpectationSuite:
    """k_anonymity: every combination of the quasi-identifiers of customer_360
    is shared by at least k customers, counted from the published rows (the
    dbt twin is the k_anonymous test)."""
    columns = ", ".join(anonymity.quasi_identifiers)
    query = f"""
        with groups as ({anonymity.groups_query("{batch}")})
        select
            count(*) || ' combination(s) of ({columns}) shared by fewer than {anonymity.k} customers; '
                || sum(group_size) || ' customer(s) in them, the smallest group ' || min(group_size) as observed,
            'every combination shared by >= {anonymity.k} customers' as expected
        from groups
        where group_size < {anonymity.k}
        having count(*) > 0
    """
    return gx.ExpectationSuite(
        name="marts.privacy",
        expectations=[
            _rows_expectation(
                query,
                f"customer_360 is {anonymity.k}-anonymous on ({columns}).",
                "k_anonymity",
                severities.get("k_anonymity", HARD_CHECK_SEVERITY),
                field=columns,
            )
        ],
    )


def smallest_group(database: Path, anonymity: Anonymity) -> int | None:
    """The k-anonymity figure of the build: the size of the smallest
    combination of quasi-identifiers in customer_360 (None when it is empty)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute(
            f"select min(group_size) from ({anonymity.groups_query(f'{MARTS}.customer_360')})"
        ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def build_suites(
    segments: Sequence[SegmentThreshold],
    fields: Sequence[FieldRequirement],
    severities: dict[str, str],
    staging: Sequence[tuple[str, tuple[str, ...]]] = tuple(STAGING_KEYS.values()),
    anonymity: Anonymity = Anonymity(),
) -> list[tuple[str, gx.ExpectationSuite]]:
    """(asset name, suite) pairs; asset names are those of gx/great_expectations.yml."""
    schemes = sorted({s.scheme for s in segments})
    return [
        (f"{MARTS}.segment_assignments", exclusivity_coverage_suite(schemes, severities)),
        (f"{MARTS}.segment_assignments", size_suite(segments, severities)),
        (f"{MARTS}.customer_360", completeness_suite(fields, severities)),
        (f"{MARTS}.customer_360", privacy_suite(anonymity, severities)),
        (f"{MARTS}.source_health", sources_suite(severities)),
        *(
            (f"{STAGING}.{table}", staging_suite(table, key, severities.get("staging_keys", HARD_CHECK_SEVERITY)))
            for table, key in staging
        ),
    ]


# --------------------------------------------------------------------------- running


def _validate(
    context: FileDataContext, datasource: DuckDBReadOnlyDatasource, suites: Sequence[tuple[str, gx.ExpectationSuite]]
) -> list[tuple[str, ExpectationSuiteValidationResult]]:
    """Store and run one validation definition per suite, under one run id."""
    run_id = RunIdentifier(run_name="quality_gate", run_time=datetime.now(UTC))
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


@dataclass(frozen=True)
class DataDocs:
    """Where the Data Docs are and whether they open without the network."""

    url: str | None
    offline: bool
    problem: str | None = None


def build_data_docs(context: FileDataContext, docs_dir: Path | None, assets: Path = DEFAULT_DOCS_ASSETS) -> DataDocs:
    site_config = dict((context.variables.data_docs_sites or {})["local_site"])
    if docs_dir is not None:
        # In memory only: the committed site configuration stays as it is.
        site_config["store_backend"] = {**site_config["store_backend"], "base_directory": str(docs_dir.resolve())}
        context.variables.data_docs_sites = {"local_site": site_config}
    url = context.build_data_docs(site_names=["local_site"]).get("local_site")
    site = Path(site_config["store_backend"]["base_directory"])
    if not site.is_absolute():
        site = Path(str(context.root_directory)) / site
    try:
        remaining = localise(site, assets)
    except AssetsMissing as error:
        return DataDocs(url, False, f"{error}; until then they load their stylesheets and scripts from CDNs")
    if remaining:
        return DataDocs(url, False, f"Data Docs still load {len(remaining)} file(s) from the network: {remaining}")
    return DataDocs(url, True)


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
    """Observed and expected, in words, for the column expectations (completeness)."""
    config, data = _config(result), result.result or {}
    kind, kwargs = config.type, config.kwargs
    if kind == "expect_column_proportion_of_non_null_values_to_be_between":
        observed = data.get("observed_value")
        return (
            f"{observed:.2%} non-NULL" if isinstance(observed, (int, float)) else "no value",
            f">= {kwargs['min_value']:.2%} non-NULL",
        )
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
                source=row.get("source_name"),
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
    headers = ("level", "suite", "check", "scheme", "segment / field / source", "expectation", "observed", "expected")
    lines = [f"could not run: {p}" for p in problems]
    rows = [
        (
            "ERROR" if f.status == "raised" else ("FAIL" if f.severity == "error" else "WARN"),
            f.suite,
            f.check,
            f.scheme or "-",
            f.segment or f.field or f.source or "-",
            f.expectation,
            f.observed,
            f.expected,
        )
        for f in sorted(findings, key=lambda f: (f.status != "raised", f.severity != "error", f.suite, f.check))
    ]
    if rows:
        # Observed and expected (last) are never cut: they are the diagnosis.
        widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]
        for row in (headers, *rows):
            lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    verdict = {EXIT_PASSED: "PASSED", EXIT_FAILED: "FAILED", EXIT_COULD_NOT_RUN: "COULD NOT RUN"}[code]
    lines.append(f"quality gate {verdict} (exit {code}): {summary}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- entry point


def run_gate(
    database: Path,
    gx_dir: Path,
    docs_dir: Path | None,
    health: str = "error",
    anonymity: Anonymity = Anonymity(),
    docs_assets: Path = DEFAULT_DOCS_ASSETS,
) -> tuple[list[Finding], list[ExpectationOutcome], DataDocs]:
    if not database.is_file():
        raise GateCannotRun(f"warehouse file not found: {database}")
    if not (gx_dir / "great_expectations.yml").is_file():
        # Checked first: GX would scaffold a fresh, empty project there instead.
        raise GateCannotRun(f"no GX project at {gx_dir} (great_expectations.yml missing)")
    segments, fields, staging = read_thresholds(database)
    severities = read_severities(database, health)
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
            results = _validate(context, datasource, build_suites(segments, fields, severities, staging, anonymity))
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
    return findings, outcomes, build_data_docs(context, docs_dir, docs_assets)


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
    parser.add_argument(
        "--docs-assets",
        type=Path,
        default=DEFAULT_DOCS_ASSETS,
        help="the Data Docs stylesheets and scripts, installed by `audience-segments data-docs-assets`"
        f" (default: {DEFAULT_DOCS_ASSETS})",
    )
    parser.add_argument(
        "--health",
        choices=HEALTH_MODES,
        default="error",
        help="error (default): health findings (segment size and share, completeness, quarantined share) fail"
        " the gate like integrity findings; warn: health checks take their dbt build severity (warn unless"
        " audience_segments_quality_severity names them), so they are printed and the gate exits 0",
    )
    parser.add_argument(
        "--quasi-identifiers",
        type=lambda text: tuple(column.strip() for column in text.split(",") if column.strip()),
        default=DEFAULT_QUASI_IDENTIFIERS,
        help="comma-separated quasi-identifier columns of customer_360, as audience_segments_quasi_identifiers"
        f" (default: {','.join(DEFAULT_QUASI_IDENTIFIERS)})",
    )
    parser.add_argument(
        "--k-anonymity",
        type=int,
        default=DEFAULT_K_ANONYMITY,
        help=f"smallest group a combination of them may describe, as audience_segments_k_anonymity"
        f" (default: {DEFAULT_K_ANONYMITY})",
    )
    args = parser.parse_args(argv)
    if args.k_anonymity < 1 or not args.quasi_identifiers:
        parser.error("--k-anonymity must be >= 1 and --quasi-identifiers must name a column")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    findings: list[Finding] = []
    outcomes: list[ExpectationOutcome] = []
    problems: list[str] = []
    docs = DataDocs(None, False)
    anonymity = Anonymity(args.quasi_identifiers, args.k_anonymity)
    smallest: int | None = None
    try:
        findings, outcomes, docs = run_gate(
            args.database, args.gx_dir, args.docs_dir, args.health, anonymity, args.docs_assets
        )
        smallest = smallest_group(args.database, anonymity)
    except GateCannotRun as error:
        problems.append(str(error))
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    code = exit_code(findings, problems)
    seconds = round(time.perf_counter() - started, 2)
    failed = sum(not o.success for o in outcomes)
    summary = f"{len(outcomes)} expectations, {failed} not passed, {len(findings)} finding(s), {seconds} s"
    result = {
        "status": {EXIT_PASSED: "passed", EXIT_FAILED: "failed", EXIT_COULD_NOT_RUN: "could_not_run"}[code],
        "exit_code": code,
        "database": str(args.database),
        "health": args.health,
        "seconds": seconds,
        "data_docs": docs.url,
        "data_docs_offline": docs.offline,
        "k_anonymity": {"quasi_identifiers": list(anonymity.quasi_identifiers), "k": anonymity.k,
                        "smallest_group": smallest},
        "problems": problems,
        "findings": [asdict(f) for f in findings],
        "expectations": [asdict(o) for o in outcomes],
    }
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    except OSError as error:
        # A verdict nobody can read is no verdict: CI must not take it for a failed check.
        problems.append(f"could not write the result to {args.output}: {error}")
        code = EXIT_COULD_NOT_RUN
    print(format_report(findings, problems, code, summary))
    if smallest is not None:
        print(f"k-anonymity: smallest group {smallest} (k = {anonymity.k}) on {', '.join(anonymity.quasi_identifiers)}")
    print(f"result: {args.output}" + (f"\ndata docs: {docs.url}" if docs.url else ""))
    if docs.problem:
        print(f"data docs: {docs.problem}")
    return code


if __name__ == "__main__":
    sys.exit(main())
