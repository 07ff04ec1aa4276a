"""Segment assignment: invariants on the demo build, configuration errors
at compile time, and a scheme added by configuration alone."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.python.dbt_helpers import REPO_ROOT, DbtJob, DbtResult, query, run_dbt, run_dbt_batch, scalar


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
    # Payloads that reached SQL or mis-assigned before they were checked.
    "sql_rule_ends_its_expression": (
        [scheme("bad", [segment("a", {"sql": "count_orders > 0); drop table customer_360; select (1",
                                      "fields": ["count_orders"]}), FALLBACK])],
        "bad", "a", None, "'sql' predicate refused: a statement separator",
    ),
    "sql_rule_with_a_comment": (
        [scheme("bad", [segment("a", {"sql": "count_orders > 0 -- and more", "fields": ["count_orders"]}),
                        FALLBACK])],
        "bad", "a", None, "'sql' predicate refused: a statement separator, comment",
    ),
    "sql_rule_with_a_subquery": (
        [scheme("bad", [segment("a", {"sql": "count_orders > (select count(*) from customer_360)",
                                      "fields": ["count_orders"]}), FALLBACK])],
        "bad", "a", None, "'select' is not allowed",
    ),
    "sql_rule_with_unbalanced_parentheses": (
        [scheme("bad", [segment("a", {"sql": "count_orders > 0) or (true", "fields": ["count_orders"]}),
                        FALLBACK])],
        "bad", "a", None, "unbalanced parentheses",
    ),
    "sql_rule_reads_an_undeclared_field": (
        [scheme("bad", [segment("a", {"sql": "count_orders > 0 and total_revenue > 100",
                                      "fields": ["count_orders"]}), FALLBACK])],
        "bad", "a", None, "reads field 'total_revenue' without declaring it",
    ),
    "sql_rule_without_fields": (
        [scheme("bad", [segment("a", {"sql": "count_orders > 0"}), FALLBACK])],
        "bad", "a", None, "'sql' needs `fields`",
    ),
    "sql_rule_reads_the_salt": (
        [scheme("bad", [segment("a", {"sql": "getvariable('audience_segments_hash_salt') is not null",
                                      "fields": ["count_orders"]}), FALLBACK])],
        "bad", "a", None, "'getvariable' is not allowed",
    ),
    "min_segment_size_runs_a_subquery": (
        [{**scheme("bad", [segment("a", ORDERS_3), FALLBACK]),
          "min_segment_size": "(select count(*) from customer_360)"}],
        "bad", None, None, "min_segment_size (or audience_segments_min_segment_size) must be a whole number",
    ),
    "threshold_as_text": (
        [{**scheme("bad", [segment("a", ORDERS_3), FALLBACK]), "max_segment_share": "0.5"}],
        "bad", None, None, "max_segment_share (or audience_segments_max_segment_share) must be a number",
    ),
    "share_out_of_range": (
        [{**scheme("bad", [segment("a", ORDERS_3), FALLBACK]), "min_segment_share": 5}],
        "bad", None, None, "must be a number >= 0 and <= 1, got 5",
    ),
    "scheme_name_with_a_double_underscore": (
        [scheme("ab__cd", [segment("ef", ORDERS_3), FALLBACK])],
        "ab__cd", None, None, "may not contain '__'",
    ),
    "segment_name_with_a_double_underscore": (
        [scheme("ab", [segment("cd__ef", ORDERS_3), FALLBACK])],
        "ab", "cd__ef", None, "may not contain '__'",
    ),
    "scheme_named_like_a_mart_column": (
        [scheme("customer_id", [segment("a", ORDERS_3), FALLBACK])],
        "customer_id", None, None, "is a column of the marts",
    ),
    "typo_in_a_segment_key": (
        [scheme("bad", [segment("a", ORDERS_3), {"name": "rest", "description": "d", "fallbak": True}])],
        "bad", "rest", None, "unknown key 'fallbak' in the segment (did you mean 'fallback'?)",
    ),
    "typo_in_a_scheme_key": (
        [{**scheme("bad", [segment("a", ORDERS_3), FALLBACK]), "min_segment_sise": 10}],
        "bad", None, None, "unknown key 'min_segment_sise' in the scheme (did you mean 'min_segment_size'?)",
    ),
    "unknown_key_in_a_condition": (
        [scheme("bad", [segment("a", {"field": "count_orders", "operator": ">=", "value": 3}), FALLBACK])],
        "bad", "a", None, "unknown key 'operator' in a 'field' condition",
    ),
    "named_rule_range_of_text": (
        [scheme("bad", [segment("a", {"rule": "rfm_cell", "args": {"recency": ["1", "5) or (1=1"]}}),
                        FALLBACK])],
        "bad", "a", None, "must be [low, high] (two numbers)",
    ),
}


# Configuration errors beyond one extra scheme: {case: (vars, [what the
# message must say])}. Each sets only what breaks on top of the defaults.
ORDERS_OFF = {"audience_segments_using_orders": False}
VAR_ERRORS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "unknown_preset": (
        {"audience_segments_scheme_preset": "b2c"},
        ["audience_segments_scheme_preset: unknown preset 'b2c'",
         "known presets: all, b2b_saas, b2c_ecommerce, subscription"],
    ),
    "user_scheme_reads_a_switched_off_source": (
        {"audience_segments_using_accounts": False, "audience_segments_extra_schemes": [
            scheme("bad", [segment("a", {"field": "industry", "op": "=", "value": "software"}), FALLBACK])]},
        ["scheme 'bad'", "segment 'a'", "field 'industry'", "switched-off source accounts",
         "audience_segments_using_accounts: false"],
    ),
    "named_rule_reads_a_switched_off_source": (
        {"audience_segments_using_events": False, "audience_segments_extra_schemes": [
            scheme("bad", [segment("a", {"rule": "active_in_last_days", "args": {"days": 30}}), FALLBACK])]},
        ["scheme 'bad'", "segment 'a'", "field 'last_active_date'", "switched-off source events",
         "audience_segments_using_events: false"],
    ),
    "named_rule_argument_names_a_switched_off_field": (
        {**ORDERS_OFF, "audience_segments_extra_schemes": [scheme("bad", [
            segment("a", {"rule": "not_done_in_last_days", "args": {"field": "last_order_at", "days": 9}}),
            FALLBACK])]},
        ["scheme 'bad'", "segment 'a'", "field 'last_order_at'", "switched-off source orders"],
    ),
    "sql_rule_reads_a_switched_off_source": (
        {"audience_segments_using_survey_responses": False, "audience_segments_extra_schemes": [
            scheme("bad", [segment("a", {"sql": "primary_goal = 'x'", "fields": ["primary_goal"]}), FALLBACK])]},
        ["scheme 'bad'", "segment 'a'", "field 'primary_goal'", "switched-off source survey_responses"],
    ),
    "field_of_two_switched_off_sources": (
        {**ORDERS_OFF, "audience_segments_using_events": False, "audience_segments_extra_schemes": [
            scheme("bad", [segment("a", {"field": "has_abandoned_cart", "op": "=", "value": True}), FALLBACK])]},
        ["field 'has_abandoned_cart'", "switched-off sources orders, events",
         "audience_segments_using_orders: false, audience_segments_using_events: false"],
    ),
    "replacement_scheme_reads_a_switched_off_source": (
        {"audience_segments_using_subscriptions": False, "audience_segments_schemes": [scheme("mine", [
            segment("trials", {"field": "current_subscription_status", "op": "=", "value": "trialing"}),
            FALLBACK])]},
        ["scheme 'mine'", "segment 'trials'", "field 'current_subscription_status'",
         "switched-off source subscriptions"],
    ),
}


# Vars checked by the model that reads them: {case: (vars, node, [message parts])}.
NODE_VAR_ERRORS: dict[str, tuple[dict[str, Any], str, list[str]]] = {
    "as_of_date_runs_sql": (
        {"audience_segments_as_of_date": "2026-06-30' as date)); drop table customer_360; --"},
        "int_reference_date",
        ["audience_segments_as_of_date must be a date written YYYY-MM-DD"],
    ),
    "as_of_date_not_a_day": (
        {"audience_segments_as_of_date": "2026-02-30"}, "int_reference_date",
        ["audience_segments_as_of_date must be a date written YYYY-MM-DD", "got '2026-02-30'"],
    ),
    "max_valid_timestamp_runs_sql": (
        {"audience_segments_max_valid_timestamp": "2026-06-30' as timestamp) or (true",
         "audience_segments_compile_without_sources": True}, "base_crm__customers",
        ["audience_segments_max_valid_timestamp must be a timestamp written YYYY-MM-DD"],
    ),
    "typo_in_a_var_name": (
        {"audience_segments_min_segment_sise": 10}, "segment_definitions",
        ["unknown var 'audience_segments_min_segment_sise' (did you mean 'audience_segments_min_segment_size'?)"],
    ),
    # The k-anonymity vars reach SQL as column names and numbers.
    "exact_postal_code_as_quasi_identifier": (
        {"audience_segments_quasi_identifiers": ["postal_code", "gender"]}, "customer_360",
        ["audience_segments_quasi_identifiers: 'postal_code' is not a quasi-identifier column of customer_360",
         "(one of postal_prefix, region, country_code, age_band, gender, market_region, seniority)"],
    ),
    "typo_in_a_quasi_identifier": (
        {"audience_segments_quasi_identifiers": ["postal_prefx"]}, "customer_360",
        ["'postal_prefx' is not a quasi-identifier column of customer_360 (did you mean 'postal_prefix'?)"],
    ),
    "k_runs_sql": (
        {"audience_segments_k_anonymity": "5 or 1=1"}, "customer_360",
        ["audience_segments_k_anonymity must be a whole number >= 1 and <= 1000000, got 5 or 1=1 (text)"],
    ),
    "postal_prefix_too_long": (
        {"audience_segments_postal_prefix_length": 12}, "customer_360",
        ["audience_segments_postal_prefix_length must be a whole number >= 0 and <= 10, got 12"],
    ),
}


def expected_parts(case: str) -> list[str]:
    if case in NODE_VAR_ERRORS:
        return NODE_VAR_ERRORS[case][2]
    if case in VAR_ERRORS:
        return VAR_ERRORS[case][1]
    _, scheme_name, segment_name, field, message = CONFIG_ERRORS[case]
    return [
        f"scheme '{scheme_name}'",
        *([f"segment '{segment_name}'"] if segment_name else []),
        *([f"field '{field}'"] if field else []),
        message,
    ]


def case_node(case: str) -> str:
    return NODE_VAR_ERRORS[case][1] if case in NODE_VAR_ERRORS else "segment_definitions"


def case_vars(case: str) -> dict[str, Any]:
    if case in NODE_VAR_ERRORS:
        return NODE_VAR_ERRORS[case][0]
    if case in VAR_ERRORS:
        return VAR_ERRORS[case][0]
    return {"audience_segments_extra_schemes": CONFIG_ERRORS[case][0]}


def node_results(work_dir: Path) -> dict[str, dict[str, Any]]:
    """run_results.json of the last dbt command in work_dir, by node name."""
    results = json.loads((work_dir / "target" / "run_results.json").read_text())["results"]
    # unique_id: model.<package>.<name> or test.<package>.<name>.<hash>
    return {
        result["unique_id"].split(".")[2]: result
        for result in results
        if result["unique_id"].split(".")[0] in ("model", "test")
    }


def compile_error(result: DbtResult, work_dir: Path, node: str = "segment_definitions") -> str:
    """The compile error of a failed dbt command. An error found while
    compiling `node` is read from run_results.json (a runtime error or a
    success fails the assertion); structural mistakes are found earlier,
    while dbt parses, before run_results.json exists, and only the output
    carries them."""
    assert not result.ok
    if not (work_dir / "target" / "run_results.json").exists():
        assert "Compilation Error" in result.output, result.output[-3000:]
        return result.output
    node_result = node_results(work_dir)[node]
    assert node_result["status"] == "error", node_result
    assert node_result["message"].startswith("Compilation Error"), node_result["message"]
    return str(node_result["message"])


@pytest.fixture(scope="module")
def config_error_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[DbtResult, Path]]:
    """Run the catalog once per broken configuration into an empty warehouse
    (it has no parents), two at a time (one per core), in processes that
    import dbt once."""
    cases = [*CONFIG_ERRORS, *VAR_ERRORS, *NODE_VAR_ERRORS]
    work_dirs = [tmp_path_factory.mktemp(case) for case in cases]
    results = run_dbt_batch([
        DbtJob(["run", "--select", case_node(case)], work_dir / "empty.duckdb", work_dir, case_vars(case))
        for case, work_dir in zip(cases, work_dirs, strict=True)
    ])
    return {case: (result, work_dir) for case, result, work_dir in zip(cases, results, work_dirs, strict=True)}


@pytest.mark.parametrize("case", sorted([*CONFIG_ERRORS, *VAR_ERRORS, *NODE_VAR_ERRORS]))
def test_bad_configuration_fails_at_compile_time_naming_the_place(
    config_error_results: dict[str, tuple[DbtResult, Path]], case: str
) -> None:
    result, work_dir = config_error_results[case]
    assert not result.ok
    message = compile_error(result, work_dir, case_node(case))
    assert "audience_segments configuration error" in message
    for part in expected_parts(case):
        assert part in message, (part, message)


def test_the_same_vars_without_the_mistake_compile(tmp_path: Path) -> None:
    """The error cases above fail because of their mistake, not their
    setting: the same switched-off sources with the shipped schemes only,
    and a known preset, build the catalog."""
    switched_off = {
        "audience_segments_using_accounts": False, "audience_segments_using_events": False,
        "audience_segments_using_survey_responses": False, "audience_segments_using_subscriptions": False,
        **ORDERS_OFF, "audience_segments_scheme_preset": "b2c_ecommerce",
    }
    result = run_dbt(["run", "--select", "segment_definitions"], tmp_path / "e.duckdb", tmp_path, switched_off)
    assert result.ok, result.output[-3000:]
    assert node_results(tmp_path)["segment_definitions"]["status"] == "success"


# ------------------------------------------------------- switched-off sources

SCHEMES_OFF = {  # shipped scheme -> the sources it needs beyond customers
    "value_rfm": {"orders"}, "lifecycle": {"orders", "subscriptions"}, "engagement": {"events"},
    "firmographic": {"accounts"}, "geographic": set(), "technographic": {"accounts"},
    "need_based": {"survey_responses"}, "acquisition_channel": set(), "intent": {"events"},
    "account_health": {"accounts", "orders", "events"},
}


@pytest.mark.parametrize("switched_off", [["accounts", "subscriptions"], ["orders", "events", "survey_responses"]])
def test_shipped_schemes_of_switched_off_sources_are_left_out_with_one_log_line(
    tmp_path: Path, switched_off: list[str]
) -> None:
    database = tmp_path / "catalog.duckdb"
    # Two models that compile the schemes: the log must still come once.
    result = run_dbt(
        ["run", "--select", "segment_definitions", "segment_field_requirements"],
        database,
        tmp_path,
        {f"audience_segments_using_{source}": False for source in switched_off},
    )
    assert result.ok, result.output[-3000:]
    expected_out = {name for name, needs in SCHEMES_OFF.items() if needs & set(switched_off)}
    kept = {name for (name,) in query(database, "select distinct scheme_name from main_marts.segment_definitions")}
    assert kept == set(SCHEMES_OFF) - expected_out
    log_lines = [line for line in result.output.splitlines() if "left out:" in line]
    assert len(log_lines) == len(expected_out), log_lines
    for name in expected_out:
        (line,) = [line for line in log_lines if f"shipped scheme '{name}' left out" in line]
        assert any(
            f"switched-off source {source} (audience_segments_using_{source}: false)" in line
            for source in SCHEMES_OFF[name] & set(switched_off)
        ), line
    # The field is named: lifecycle needs current_subscription_status.
    if "subscriptions" in switched_off:
        assert "field current_subscription_status from the switched-off source subscriptions" in "".join(log_lines)
    # No kept rule reads a field of a switched-off source (a sample of them).
    field_sources = {"current_subscription_status": "subscriptions", "industry": "accounts",
                     "count_tools": "accounts", "recency_score": "orders", "last_order_at": "orders",
                     "last_active_date": "events", "engagement_score": "events", "primary_goal": "survey_responses"}
    read = {field.strip() for (used,) in query(database, "select fields_used from main_marts.segment_definitions")
            for field in used.split(",") if field.strip()}
    assert read and not {field for field in read if field_sources.get(field) in switched_off}


# ------------------------------------------------------------------- presets

PRESETS: dict[str, tuple[list[str], tuple[int, int]]] = {  # schemes, rule segments per scheme (DOMAIN.md)
    "b2c_ecommerce": (
        ["value_rfm_ecommerce", "lifecycle_ecommerce", "engagement_ecommerce", "geographic", "acquisition_channel"],
        (4, 7),
    ),
    "b2b_saas": (
        ["lifecycle", "engagement", "firmographic", "technographic", "need_based", "acquisition_channel",
         "intent", "account_health"],
        (5, 8),
    ),
    "subscription": (["lifecycle_subscription", "engagement", "acquisition_channel"], (3, 6)),
}
ALL_SCHEMES = ["value_rfm", "lifecycle", "engagement", "firmographic", "geographic", "technographic",
               "need_based", "acquisition_channel", "intent", "account_health"]


def scheme_shape(database: Path) -> list[tuple[str, int]]:
    """(scheme, rule segments) in configuration order."""
    return [
        (name, count) for name, count in query(
            database,
            "select scheme_name, count(case when not is_fallback then 1 end) "
            "from main_marts.segment_definitions group by scheme_name, scheme_ordinal order by scheme_ordinal",
        )
    ]


def test_the_default_preset_is_every_default_scheme(demo_warehouse: Path) -> None:
    assert [name for name, _ in scheme_shape(demo_warehouse)] == ALL_SCHEMES


@pytest.fixture(scope="module")
def preset_builds(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The segment marts rebuilt with each preset on a copy of the demo."""

    def build(preset: str) -> tuple[str, tuple[Path, Path]]:
        work_dir = tmp_path_factory.mktemp(preset)
        database = work_dir / "preset.duckdb"
        shutil.copy(demo_warehouse, database)
        run_dbt(
            ["build", "--select", "int_segment_matches+", "segment_definitions+"],
            database,
            work_dir,
            {"audience_segments_scheme_preset": preset},
        )
        return preset, (database, work_dir)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(build, PRESETS))


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_preset_selects_its_schemes_within_the_benchmark_counts(
    preset_builds: dict[str, tuple[Path, Path]], preset: str
) -> None:
    database, work_dir = preset_builds[preset]
    results = node_results(work_dir)
    for node in ("int_segment_matches", "segment_definitions", "segment_assignments", "customer_segments"):
        assert results[node]["status"] == "success", (node, results[node]["message"])
    for check in ("segment_assignments_exclusive_primary", "segment_assignments_cover_every_customer"):
        assert results[check]["status"] == "pass", (check, results[check]["message"])
    schemes, (low, high) = PRESETS[preset]
    shape = scheme_shape(database)
    assert [name for name, _ in shape] == schemes
    assert all(low <= count <= high for _, count in shape), shape
    customers = scalar(database, "select count(*) from main_marts.customer_360")
    assert scalar(database, "select count(*) from main_marts.segment_assignments") == customers * len(schemes)
    assigned = {name for (name,) in query(database, "select distinct scheme_name from main_marts.segment_assignments")}
    assert assigned == set(schemes)


# ---------------------------------------------------------- own features

FEATURES_PROJECT = """
name: features_consumer
version: "0.1.0"
config-version: 2
profile: audience_segments
model-paths: ["models"]
flags:
  send_anonymous_usage_stats: false
unit_tests:
  audience_segments:
    +enabled: false
"""

# Buyers only: everyone else gets NULL features through the left join.
LOYALTY_SQL = """
select
    customer_id,
    cast(count_orders * 10 + 5 as integer) as loyalty_points,
    case when total_revenue >= 1000 then 'gold' else 'silver' end as loyalty_tier,
    first_order_at as club_joined_at
from {{ ref('customer_360') }}
where count_orders >= 1
"""

FEATURE_MODELS: dict[str, tuple[str, list[tuple[str, str]] | None]] = {
    # name: (SQL, YAML columns (name, data_type) or None for no YAML)
    "customer_loyalty": (LOYALTY_SQL, None),
    "customer_loyalty_declared": (LOYALTY_SQL, [
        ("customer_id", "varchar"), ("loyalty_points", "integer"), ("loyalty_tier", "varchar"),
        ("club_joined_at", "timestamp"),
    ]),
    "features_with_tenure": (
        "select customer_id, 30 as tenure_days from {{ ref('customer_360') }}",
        [("customer_id", "varchar"), ("tenure_days", "integer")],
    ),
    "features_without_id": (
        "select customer_id as member_id, 1 as points from {{ ref('customer_360') }}",
        [("member_id", "varchar"), ("points", "integer")],
    ),
    "features_bad_name": (
        "select customer_id, 1 as \"Loyalty Points\" from {{ ref('customer_360') }}",
        [("customer_id", "varchar"), ("Loyalty Points", "integer")],
    ),
    "features_untyped": ("select customer_id, 1 as points from {{ ref('customer_360') }}", None),
    "features_list": (
        "select customer_id, [1, 2] as favourite_ids from {{ ref('customer_360') }}",
        [("customer_id", "varchar"), ("favourite_ids", "integer[]")],
    ),
    "features_duplicated": (
        "select customer_id, 1 as points from {{ ref('customer_360') }} union all "
        "select customer_id, 2 as points from {{ ref('customer_360') }} where count_orders >= 5",
        None,
    ),
}


def loyalty_scheme(*segments: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**scheme("loyalty", [*segments, FALLBACK]), "min_segment_size": 1}]


LOYALTY_SCHEMES = loyalty_scheme(
    segment("gold_members", {"all": [
        {"field": "loyalty_tier", "op": "=", "value": "gold"},
        {"field": "loyalty_points", "op": ">=", "value": 30},
    ]}),
    segment("recent_joiners", {"field": "club_joined_at", "op": "within_days", "value": 90}),
    segment("points_holders", {"field": "loyalty_points", "op": ">", "value": 0}),
)


def features_vars(model: str, schemes: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"audience_segments_customer_features_model": model,
            "audience_segments_extra_schemes": schemes if schemes is not None else LOYALTY_SCHEMES}


@pytest.fixture(scope="module")
def features_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A consuming project with a few features models of its own."""
    project = tmp_path_factory.mktemp("features_consumer")
    (project / "dbt_project.yml").write_text(FEATURES_PROJECT)
    (project / "packages.yml").write_text(f"packages:\n  - local: {REPO_ROOT}\n")
    shutil.copy(REPO_ROOT / "profiles.yml", project / "profiles.yml")
    models = project / "models"
    models.mkdir()
    documented = []
    for name, (sql, columns) in FEATURE_MODELS.items():
        (models / f"{name}.sql").write_text(sql)
        if columns is not None:
            documented.append({"name": name, "columns": [{"name": c, "data_type": t} for c, t in columns]})
    (models / "_models.yml").write_text(json.dumps({"version": 2, "models": documented}))
    result = run_dbt(["deps"], project / "deps.duckdb", project, project_dir=project)
    assert result.ok, result.output[-3000:]
    return project


@pytest.fixture(scope="module")
def features_warehouse(features_project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The consuming project built with customer_loyalty (no YAML: its
    types are read from the built relation) and a scheme on its columns."""
    work_dir = tmp_path_factory.mktemp("features_build")
    database = work_dir / "features.duckdb"
    result = run_dbt(["build"], database, work_dir, features_vars("customer_loyalty"), project_dir=features_project)
    assert result.ok, result.output[-4000:]
    return database, work_dir


def test_rules_read_the_consumers_own_features(features_warehouse: tuple[Path, Path]) -> None:
    database, work_dir = features_warehouse
    results = node_results(work_dir)
    assert results["unique_int_segment_customer_features_customer_id"]["status"] == "pass"
    by_segment = dict(query(
        database,
        "select segment_name, count(*) from main_marts.segment_assignments "
        "where scheme_name = 'loyalty' group by all",
    ))
    # Computed independently from customer_360, in priority order.
    expected = dict(query(
        database,
        """
        select
            case
                when count_orders >= 1 and total_revenue >= 1000 and count_orders * 10 + 5 >= 30
                    then 'gold_members'
                when count_orders >= 1 and cast(first_order_at as date) > as_of_date - 90
                    and cast(first_order_at as date) <= as_of_date then 'recent_joiners'
                when count_orders >= 1 then 'points_holders'
                else 'everyone_else'
            end,
            count(*)
        from main_marts.customer_360
        group by all
        """,
    ))
    assert by_segment == expected
    assert min(expected.values()) > 0 and len(expected) == 4
    # Customers without a features row have NULL features: the fallback.
    assert by_segment["everyone_else"] == scalar(
        database, "select count(*) from main_marts.customer_360 where count_orders = 0"
    )
    catalog = dict(query(
        database,
        "select segment_name, fields_used from main_marts.segment_definitions where scheme_name = 'loyalty'",
    ))
    assert catalog == {"gold_members": "loyalty_points, loyalty_tier", "recent_joiners": "club_joined_at",
                       "points_holders": "loyalty_points", "everyone_else": ""}
    # Feature columns never reach customer_360, whose contract stays as is.
    columns = {name for (name,) in query(
        database, "select column_name from information_schema.columns where table_name = 'customer_360'"
    )}
    assert not columns & {"loyalty_points", "loyalty_tier", "club_joined_at"}


def test_a_feature_is_type_checked_from_the_built_relation(
    features_project: Path, features_warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    database = tmp_path / features_warehouse[0].name  # views name the catalog after the file
    shutil.copy(features_warehouse[0], database)
    bad = loyalty_scheme(segment("a", {"field": "loyalty_points", "op": "like", "value": "1%"}))
    result = run_dbt(["run", "--select", "segment_definitions"], database, tmp_path,
                     features_vars("customer_loyalty", bad), project_dir=features_project)
    assert not result.ok
    message = compile_error(result, tmp_path)
    assert "scheme 'loyalty', segment 'a', field 'loyalty_points'" in message
    assert "operator 'like' needs a text column, the column is number" in message


def test_duplicate_customers_in_the_features_model_stop_the_segments(
    features_project: Path, features_warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    database = tmp_path / features_warehouse[0].name  # views name the catalog after the file
    shutil.copy(features_warehouse[0], database)
    schemes = loyalty_scheme(segment("has_points", {"field": "points", "op": ">", "value": 0}))
    result = run_dbt(["build", "--select", "features_duplicated", "int_segment_customer_features+"], database,
                     tmp_path, features_vars("features_duplicated", schemes), project_dir=features_project)
    assert not result.ok
    results = node_results(tmp_path)
    assert results["unique_int_segment_customer_features_customer_id"]["status"] == "fail"
    assert results["int_segment_customer_features"]["status"] == "success"
    assert results["int_segment_matches"]["status"] == "skipped"
    assert results["segment_assignments"]["status"] == "skipped"


FEATURE_ERRORS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "clash_with_customer_360": (
        features_vars("features_with_tenure", loyalty_scheme(segment("a", {"field": "tenure_days", "op": ">", "value": 1}))),
        ["audience_segments_customer_features_model: model 'features_with_tenure'", "column 'tenure_days' clashes with "
         "the customer_360 column"],
    ),
    "no_customer_id": (
        features_vars("features_without_id", loyalty_scheme(segment("a", {"field": "points", "op": ">", "value": 1}))),
        ["model 'features_without_id' has no customer_id column"],
    ),
    "not_a_plain_identifier": (
        features_vars("features_bad_name", loyalty_scheme(segment("a", ORDERS_3))),
        ["model 'features_bad_name'", "column 'loyalty points' is not a plain identifier"],
    ),
    "types_unreadable_before_the_first_build": (
        features_vars("features_untyped", loyalty_scheme(segment("a", {"field": "points", "op": ">", "value": 1}))),
        ["model 'features_untyped'", "cannot read its column types: it is not built yet",
         "declare data_type"],
    ),
    "value_of_the_wrong_type_for_a_declared_feature": (
        features_vars("customer_loyalty_declared", loyalty_scheme(
            segment("a", {"field": "loyalty_tier", "op": ">", "value": 3}))),
        ["scheme 'loyalty'", "segment 'a'", "field 'loyalty_tier'", "wrong type: the column is string"],
    ),
    "window_on_a_text_feature": (
        features_vars("customer_loyalty_declared", loyalty_scheme(
            segment("a", {"rule": "not_done_in_last_days", "args": {"field": "loyalty_tier", "days": 3}}))),
        ["field 'loyalty_tier'", "argument 'field' must name a date or timestamp column"],
    ),
    "unknown_column_names_the_features_model": (
        features_vars("customer_loyalty_declared", loyalty_scheme(
            segment("a", {"field": "loyalty_pts", "op": ">", "value": 3}))),
        ["field 'loyalty_pts'", "unknown column: customer_360 has no such column, nor has the features model "
         "'customer_loyalty_declared'"],
    ),
    "value_compared_with_a_list_feature": (
        features_vars("features_list", loyalty_scheme(segment("a", {"field": "favourite_ids", "op": "=", "value": 1}))),
        ["field 'favourite_ids'", "the column's type integer[] cannot be compared with a value"],
    ),
}


@pytest.fixture(scope="module")
def feature_error_results(
    features_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[DbtResult, Path]]:
    """The catalog run once per broken features setup, into an empty
    warehouse: types come from the YAML, or cannot be read."""

    def run_case(case: str) -> tuple[str, tuple[DbtResult, Path]]:
        work_dir = tmp_path_factory.mktemp(case)
        result = run_dbt(["run", "--select", "segment_definitions"], work_dir / "empty.duckdb", work_dir,
                         FEATURE_ERRORS[case][0], project_dir=features_project)
        return case, (result, work_dir)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run_case, FEATURE_ERRORS))


@pytest.mark.parametrize("case", sorted(FEATURE_ERRORS))
def test_bad_features_fail_at_compile_time(
    feature_error_results: dict[str, tuple[DbtResult, Path]], case: str
) -> None:
    result, work_dir = feature_error_results[case]
    assert not result.ok
    message = compile_error(result, work_dir)
    assert "audience_segments configuration error" in message
    for part in FEATURE_ERRORS[case][1]:
        assert part in message, (part, message)


def test_declared_features_compile_on_an_empty_warehouse(features_project: Path, tmp_path: Path) -> None:
    """The YAML route on its own: the good scheme on the declared model
    builds the catalog before anything else exists."""
    result = run_dbt(["run", "--select", "segment_definitions"], tmp_path / "empty.duckdb", tmp_path,
                     features_vars("customer_loyalty_declared"), project_dir=features_project)
    assert result.ok, result.output[-3000:]
    assert scalar(
        tmp_path / "empty.duckdb",
        "select fields_used from main_marts.segment_definitions where segment_name = 'gold_members'",
    ) == "loyalty_points, loyalty_tier"


def test_the_features_var_must_name_a_model(features_project: Path, tmp_path: Path) -> None:
    # Fails while dbt parses (the features view's `enabled`), before any
    # run_results.json exists: the message is only in the output.
    result = run_dbt(["parse"], tmp_path / "e.duckdb", tmp_path,
                     {"audience_segments_customer_features_model": "my features"}, project_dir=features_project)
    assert not result.ok
    assert "audience_segments_customer_features_model must name a model" in result.output
    assert "got my features" in result.output


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
