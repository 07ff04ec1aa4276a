"""Segment assignment: invariants on the demo build, configuration errors
at compile time, and a scheme added by configuration alone."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.python.dbt_helpers import DbtResult, query, run_dbt, scalar


def test_one_assignment_per_customer_and_scheme(demo_warehouse: Path) -> None:
    customers = scalar(demo_warehouse, "select count(*) from main_marts.customer_360")
    schemes = scalar(
        demo_warehouse, "select count(distinct scheme_name) from main_marts.segment_definitions"
    )
    rows, pairs = query(
        demo_warehouse,
        "select count(*), count(distinct (customer_id, scheme_name)) "
        "from main_marts.segment_assignments",
    )[0]
    assert schemes >= 10
    assert rows == pairs == customers * schemes
    assert scalar(
        demo_warehouse, "select count(*) from main_marts.segment_assignments where segment_name is null"
    ) == 0


def test_every_primary_is_the_one_primary_membership(demo_warehouse: Path) -> None:
    assert scalar(
        demo_warehouse,
        """
        select count(*) from (
            select customer_id, scheme_name
            from main_marts.segment_memberships
            group by all
            having count(case when is_primary then 1 end) <> 1
        )
        """,
    ) == 0
    assert scalar(
        demo_warehouse,
        """
        select count(*)
        from main_marts.segment_assignments as a
        left join main_marts.segment_memberships as m
            on a.customer_id = m.customer_id and a.scheme_name = m.scheme_name
            and a.segment_name = m.segment_name and m.is_primary
        where m.customer_id is null
        """,
    ) == 0


def test_first_matching_segment_in_priority_order_wins(demo_warehouse: Path) -> None:
    overlapping, violations = query(
        demo_warehouse,
        """
        with best as (
            select customer_id, scheme_name, min(segment_priority) as best_priority,
                count(*) as memberships
            from main_marts.segment_memberships
            group by all
        )
        select
            count(case when best.memberships > 1 then 1 end),
            count(case when a.segment_priority <> best.best_priority then 1 end)
        from main_marts.segment_assignments as a
        inner join best using (customer_id, scheme_name)
        """,
    )[0]
    assert overlapping > 1000, "the demo must have customers matching several segments"
    assert violations == 0


def test_every_assigned_segment_is_in_the_catalog(demo_warehouse: Path) -> None:
    assert scalar(
        demo_warehouse,
        """
        select count(*) from (
            select scheme_name, segment_name from main_marts.segment_memberships
            except
            select scheme_name, segment_name from main_marts.segment_definitions
        )
        """,
    ) == 0
    predicates = query(
        demo_warehouse,
        "select compiled_predicate, fields_used from main_marts.segment_definitions "
        "where not is_fallback",
    )
    assert all(predicate and fields for predicate, fields in predicates)


def test_default_schemes_are_healthy_on_the_demo(demo_warehouse: Path) -> None:
    rows = query(
        demo_warehouse,
        """
        with sizes as (
            select d.scheme_name, d.segment_name, d.is_fallback, count(a.customer_id) as members
            from main_marts.segment_definitions as d
            left join main_marts.segment_assignments as a
                on d.scheme_name = a.scheme_name and d.segment_name = a.segment_name
            group by all
        )
        select scheme_name, segment_name, is_fallback, members,
            members * 1.0 / sum(members) over (partition by scheme_name) as share,
            count(*) over (partition by scheme_name) as segments
        from sizes
        """,
    )
    for scheme, segment, is_fallback, members, share, segments in rows:
        assert 4 <= segments <= 9, (scheme, segments)  # 3 to 8 plus the fallback
        assert share < 0.8, (scheme, segment, share)
        if is_fallback:
            # value_rfm's fallback is, by construction, the non-buyers (DECISIONLOG.md).
            assert scheme == "value_rfm" or share < 0.05, (scheme, segment, share)
        else:
            assert members >= 100, (scheme, segment, members)


# ------------------------------------------------------ configuration errors

def scheme(name: str, segments: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "description": "d", "owner": "o", "version": "1", "segments": segments}


def segment(name: str, rule: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "description": "d", **({"rule": rule} if rule else {}), **extra}


FALLBACK = segment("everyone_else", fallback=True)
ORDERS_3 = {"field": "count_orders", "op": ">=", "value": 3}

CONFIG_ERRORS: dict[str, tuple[list[dict[str, Any]], str, str | None, str | None, str]] = {
    "unknown_column": (
        [scheme("bad", [segment("a", {"field": "count_ordrs", "op": ">", "value": 1}), FALLBACK])],
        "bad", "a", "count_ordrs", "unknown column",
    ),
    "unknown_operator": (
        [scheme("bad", [segment("a", {"field": "count_orders", "op": "===", "value": 1}), FALLBACK])],
        "bad", "a", "count_orders", "unknown operator '==='",
    ),
    "wrong_value_type": (
        [scheme("bad", [segment("a", {"field": "count_orders", "op": ">", "value": "ten"}), FALLBACK])],
        "bad", "a", "count_orders", "wrong type",
    ),
    "wrong_list_item_type": (
        [scheme("bad", [segment("a", {"field": "country_code", "op": "in", "value": ["US", 3]}), FALLBACK])],
        "bad", "a", "country_code", "wrong type",
    ),
    "window_on_a_number": (
        [scheme("bad", [segment("a", {"field": "count_orders", "op": "within_days", "value": 30}), FALLBACK])],
        "bad", "a", "count_orders", "needs a date or timestamp column",
    ),
    "like_on_a_number": (
        [scheme("bad", [segment("a", {"field": "count_orders", "op": "like", "value": "1%"}), FALLBACK])],
        "bad", "a", "count_orders", "needs a text column",
    ),
    "nested_unknown_column": (
        [scheme("bad", [segment("a", {"all": [ORDERS_3, {"not": {"field": "nope", "op": "is null"}}]}), FALLBACK])],
        "bad", "a", "nope", "unknown column",
    ),
    "duplicate_segment": (
        [scheme("bad", [segment("a", ORDERS_3), segment("a", ORDERS_3), FALLBACK])],
        "bad", "a", None, "duplicate segment name",
    ),
    "duplicate_scheme": (
        [scheme("value_rfm", [segment("a", ORDERS_3), FALLBACK])],
        "value_rfm", None, None, "duplicate scheme name",
    ),
    "empty_scheme": ([scheme("bad", [FALLBACK])], "bad", None, None, "empty scheme"),
    "missing_fallback": (
        [scheme("bad", [segment("a", ORDERS_3)])], "bad", None, None, "missing fallback",
    ),
    "fallback_not_last": (
        [scheme("bad", [FALLBACK, segment("a", ORDERS_3)])],
        "bad", "everyone_else", None, "fallback not last",
    ),
    "unknown_named_rule": (
        [scheme("bad", [segment("a", {"rule": "big_spender"}), FALLBACK])],
        "bad", "a", None, "unknown named rule 'big_spender'",
    ),
    "named_rule_bad_argument": (
        [scheme("bad", [segment("a", {"rule": "recency", "args": {"max_days": "ninety"}}), FALLBACK])],
        "bad", "a", None, "must be a number",
    ),
}


@pytest.fixture(scope="module")
def config_error_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    """Compile once per broken configuration, two at a time (one per core)."""

    def compile_case(case: str) -> tuple[str, DbtResult]:
        work_dir = tmp_path_factory.mktemp(case)
        extra = CONFIG_ERRORS[case][0]
        return case, run_dbt(
            ["compile", "--select", "segment_definitions"],
            work_dir / "empty.duckdb",
            work_dir,
            {"audience_segments_extra_schemes": extra},
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(compile_case, CONFIG_ERRORS))


@pytest.mark.parametrize("case", sorted(CONFIG_ERRORS))
def test_bad_configuration_fails_at_compile_time_naming_the_place(
    config_error_results: dict[str, DbtResult], case: str
) -> None:
    _, scheme_name, segment_name, field, message = CONFIG_ERRORS[case]
    result = config_error_results[case]
    assert not result.ok
    assert "audience_segments configuration error" in result.output
    assert f"scheme '{scheme_name}'" in result.output
    if segment_name:
        assert f"segment '{segment_name}'" in result.output
    if field:
        assert f"field '{field}'" in result.output
    assert message in result.output


# -------------------------------------------------- extension by configuration

def test_a_scheme_added_by_configuration_alone(demo_warehouse: Path, tmp_path: Path) -> None:
    database = tmp_path / "extended.duckdb"
    shutil.copy(demo_warehouse, database)
    extra = [
        scheme(
            "campaign_targets",
            [
                segment("vip_in_europe", {"all": [
                    {"field": "market_region", "op": "=", "value": "europe"},
                    {"rule": "rfm_cell", "args": {"monetary": [4, 5]}},
                ]}),
                segment("lapsed", {"field": "last_order_at", "op": "older_than_days", "value": 180}),
                segment("everyone_else", fallback=True),
            ],
        )
    ]
    result = run_dbt(
        ["build", "--select", "int_segment_matches+", "segment_definitions+"],
        database,
        tmp_path,
        {"audience_segments_extra_schemes": extra},
    )
    assert result.ok, result.output[-3000:]
    customers = scalar(database, "select count(*) from main_marts.customer_360")
    by_segment = dict(
        query(
            database,
            "select segment_name, count(*) from main_marts.segment_assignments "
            "where scheme_name = 'campaign_targets' group by all",
        )
    )
    assert sum(by_segment.values()) == customers
    expected_vip = scalar(
        database,
        "select count(*) from main_marts.customer_360 "
        "where market_region = 'europe' and monetary_score >= 4",
    )
    assert by_segment["vip_in_europe"] == expected_vip > 0
    assert scalar(
        database,
        "select count(*) from main_marts.customer_segments where campaign_targets is null",
    ) == 0
    assert scalar(
        database,
        "select count(*) from main_marts.segment_definitions where scheme_name = 'campaign_targets'",
    ) == 3
