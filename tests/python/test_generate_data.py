"""Properties of the demo data generator: contract, determinism, dirt, signal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts import generate_data as gd
from scripts import source_contract

AS_OF = "2026-06-30"
N_CSV = 2_000
N_PARQUET = 3_000


def _norm(column: str) -> str:
    """The staging normalisation the contract defines for enums."""
    return f"nullif(replace(lower(trim({column})), ' ', '_'), '')"


def _run(out: Path, *extra: str) -> Path:
    assert gd.main(["--out", str(out), *extra]) == 0
    return out


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(tmp_path_factory.mktemp("csv"), "--customers", str(N_CSV))


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(
        tmp_path_factory.mktemp("parquet"), "--customers", str(N_PARQUET),
        "--format", "parquet", "--chunk-size", "1000",
    )


@pytest.fixture(scope="module")
def db(csv_dir: Path) -> duckdb.DuckDBPyConnection:
    """Raw CSVs as all-text views; whitespace is kept, so dirt stays visible."""
    con = duckdb.connect()
    for entity in gd.SCHEMAS:
        con.execute(
            f"create view {entity} as select * from read_csv("
            f"'{csv_dir / f'raw_{entity}.csv'}', all_varchar = true, header = true)"
        )
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _contract_columns() -> dict[str, list[str]]:
    """Contract columns per source, from the source registry."""
    return {
        name: [column["name"] for column in entry["columns"]]
        for name, entry in source_contract.load_registry().items()
    }


def _required_columns() -> dict[str, set[str]]:
    return {
        name: {column["name"] for column in entry["columns"] if column.get("required")}
        for name, entry in source_contract.load_registry().items()
    }


# --- contract and determinism -------------------------------------------------
def test_headers_match_the_contract(csv_dir: Path) -> None:
    contract, required = _contract_columns(), _required_columns()
    assert set(gd.SCHEMAS) <= set(contract)
    for entity, columns in gd.SCHEMAS.items():
        header = (csv_dir / f"raw_{entity}.csv").read_text().split("\n", 1)[0].split(",")
        assert header == list(columns)
        # Contract columns only, every required one (events: the daily shape).
        assert set(header) <= set(contract[entity]), entity
        assert required[entity] <= set(header), entity


def test_no_persona_leaks_into_the_output(csv_dir: Path) -> None:
    for path in csv_dir.glob("raw_*.csv"):
        text = path.read_text()
        assert "persona" not in text.split("\n", 1)[0]
        for persona in ("champion", "hibernating", "at_risk", "cart_abandoner"):
            assert persona not in text, (path.name, persona)


def test_same_seed_is_byte_identical(csv_dir: Path, tmp_path: Path) -> None:
    again = _run(tmp_path / "again", "--customers", str(N_CSV))
    for path in csv_dir.glob("raw_*.csv"):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_other_seed_differs(csv_dir: Path, tmp_path: Path) -> None:
    other = _run(tmp_path / "other", "--customers", str(N_CSV), "--seed", "7")
    for name in ("raw_customers.csv", "raw_orders.csv", "raw_events.csv"):
        assert (other / name).read_bytes() != (csv_dir / name).read_bytes()


def test_parquet_chunks_are_all_text_and_disjoint(parquet_dir: Path) -> None:
    for entity, columns in gd.SCHEMAS.items():
        parts = sorted((parquet_dir / f"raw_{entity}").glob("part-*.parquet"))
        assert [p.name for p in parts] == [f"part-0000{i}.parquet" for i in range(3)]
        for part in parts:
            schema = pq.read_schema(part)
            assert schema.names == list(columns)
            assert {str(t) for t in schema.types} == {"string"}
    ids_per_chunk = [
        {i for i in pq.read_table(p, columns=["customer_id"])["customer_id"].to_pylist() if i}
        for p in sorted((parquet_dir / "raw_customers").glob("*.parquet"))
    ]
    assert all(len(ids) == 1_000 for ids in ids_per_chunk)
    assert len(set().union(*ids_per_chunk)) == N_PARQUET
    assert max(set().union(*ids_per_chunk)) == "C00003000"


def test_parquet_ids_are_globally_unique(parquet_dir: Path) -> None:
    con = duckdb.connect()
    for entity, key in (("orders", "order_id"), ("subscriptions", "subscription_id"),
                        ("survey_responses", "response_id"), ("accounts", "account_id")):
        glob = parquet_dir / f"raw_{entity}" / "*.parquet"
        # Near duplicates share a key on purpose: count keys per chunk file.
        dupes = _one(con, f"""
            select count(*) from (
                select {key} from read_parquet('{glob}', filename = true)
                group by {key} having count(distinct filename) > 1
            )""")
        assert dupes == 0, entity


def test_volume_option_scales_orders(tmp_path: Path) -> None:
    cfg = gd.Config(chunk_size=2_000, orders_per_customer=12.0, event_rows_per_customer=40.0)
    big = gd.generate_chunk(cfg, 0, 2_000)
    small = gd.generate_chunk(gd.Config(chunk_size=2_000), 0, 2_000)
    assert big["orders"].num_rows > 1.6 * small["orders"].num_rows
    assert big["events"].num_rows > 2.2 * small["events"].num_rows


# --- plausible shape ----------------------------------------------------------
def test_volumes_and_mix(db: duckdb.DuckDBPyConnection) -> None:
    orders = _one(db, "select count(*) from orders") / N_CSV
    events = _one(db, "select count(*) from events") / N_CSV
    assert 5.0 <= orders <= 7.0
    assert 11.0 <= events <= 16.0
    b2b = _one(db, "select avg((account_id is not null)::int) from customers")
    assert 0.50 <= b2b <= 0.60
    subs = _one(db, "select count(distinct customer_id) from subscriptions") / N_CSV
    assert 0.52 <= subs <= 0.68
    survey = _one(db, "select count(distinct customer_id) from survey_responses") / N_CSV
    assert 0.30 <= survey <= 0.40
    assert _one(db, "select count(*) from (select customer_id from survey_responses "
                    "group by 1 having count(*) > 1)") > 0


def test_every_enum_value_normalises_into_the_contract(db: duckdb.DuckDBPyConnection) -> None:
    checks = {
        ("customers", "gender"): gd.GENDERS,
        ("customers", "seniority"): gd.SENIORITIES,
        ("customers", "acquisition_channel"): gd.CHANNELS,
        ("accounts", "industry"): gd.INDUSTRIES,
        ("accounts", "growth_stage"): gd.STAGES,
        ("orders", "status"): gd.STATUSES,
        ("orders", "currency"): ("usd", "eur", "gbp"),
        ("orders", "sales_channel"): gd.SALES_CHANNELS,
        ("orders", "product_category"): gd.CATEGORIES,
        ("events", "event_type"): (*gd.EVENT_TYPES, "scroll"),
        ("events", "feature_name"): gd.FEATURES,
        ("subscriptions", "plan"): gd.PLANS,
        ("subscriptions", "status"): gd.SUB_STATUSES,
        ("survey_responses", "primary_goal"): gd.GOALS,
        ("survey_responses", "main_pain_point"): gd.PAINS,
        ("survey_responses", "motivation"): gd.MOTIVATIONS,
    }
    for (entity, column), allowed in checks.items():
        values = {r[0] for r in db.execute(f"select distinct {_norm(column)} from {entity}").fetchall()}
        assert values - {None} == set(allowed), (entity, column)


def test_firmographics_and_channels_have_real_shares(db: duckdb.DuckDBPyConnection) -> None:
    channels = db.execute(f"""select {_norm('acquisition_channel')}, count(*) * 1.0 / sum(count(*)) over ()
                              from customers group by 1""").fetchall()
    assert len(channels) == 7 and min(share for _, share in channels) >= 0.04
    industries = dict(db.execute(f"""select {_norm('industry')}, count(*) * 1.0 / sum(count(*)) over ()
                                     from accounts group by 1""").fetchall())
    assert min(industries[i] for i in ("manufacturing", "software", "retail")) >= 0.10
    bands = dict(db.execute("""
        select case when n < 100 then 'smb' when n < 1000 then 'mid' else 'ent' end,
               count(*) * 1.0 / sum(count(*)) over ()
        from (select try_cast(employee_count as int) as n from accounts) where n > 0
        group by 1""").fetchall())
    assert min(bands.values()) >= 0.05 and len(bands) == 3
    assert _one(db, "select max(length(tech_stack) - length(replace(tech_stack, '|', ''))) from accounts") == 4
    known = _one(db, "select avg((country_code in ('US','GB','DE','FR','CA','AU','NL','ES','IN','BR'))::int) from customers")
    assert known > 0.97
    assert _one(db, "select count(*) from customers where country_code = 'DE' and city not in "
                    "('Berlin', 'Munich', 'Hamburg', 'Frankfurt')") == 0


def test_clean_activity_stays_before_as_of(db: duckdb.DuckDBPyConnection) -> None:
    for entity, column in (("orders", "ordered_at"), ("events", "event_date"),
                           ("survey_responses", "answered_at"), ("subscriptions", "trial_started_at"),
                           ("erasure_requests", "requested_at")):
        late = _one(db, f"select count(*) from {entity} where {column} > '{AS_OF} 23:59:59' "
                        f"and {column} not like '2062%'")
        assert late == 0, entity
    signups = _one(db, "select min(signed_up_at) from customers where signed_up_at like '20%'")
    assert signups >= "2023-01-01"


def test_subscription_lifecycle_is_consistent(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(f"""
        select {_norm('status')} s, count(*),
               count(*) filter (where started_at is not null and trial_started_at >= started_at),
               count(*) filter (where cancelled_at is not null)
        from subscriptions where customer_id not like 'C9%' group by 1""").fetchall()
    by_status = {s: (n, bad_trial, cancelled) for s, n, bad_trial, cancelled in rows}
    assert all(bad_trial == 0 for _, bad_trial, _ in by_status.values())
    assert by_status["cancelled"][2] == by_status["cancelled"][0]
    assert by_status["active"][2] == 0
    assert _one(db, f"select count(*) from subscriptions where {_norm('status')} = 'trialing' "
                    "and started_at is not null") == 0


# --- dirt: every kind the module docstring lists is present ----------------
DIRT: dict[str, str] = {
    "customer exact duplicate":
        "select count(*) from (select * from customers group by all having count(*) > 1)",
    "customer near duplicate": """
        select count(*) from customers a join customers b using (customer_id)
        where lower(trim(a.email)) = lower(trim(b.email)) and a.email <> b.email
          and a.updated_at < b.updated_at""",
    "customer null email": "select count(*) from customers where email is null",
    "email without at sign": "select count(*) from customers where email like '%.example.com'",
    "email without dot in domain": "select count(*) from customers where email like '%@%' and split_part(email, '@', 2) not like '%.%'",
    "email with double at": "select count(*) from customers where email like '%@@%'",
    "unknown country": "select count(distinct country_code) from customers where country_code in ('XX', 'ZZ', 'UK')",
    "channel casing": f"select count(distinct acquisition_channel) from customers where acquisition_channel <> {_norm('acquisition_channel')}",
    "channel leading spaces": "select count(*) from customers where acquisition_channel like '  %'",
    "empty customer id": "select count(*) from customers where customer_id is null",
    "future signup": "select count(*) from customers where signed_up_at like '2062-%'",
    "signup not a date": "select count(*) from customers where signed_up_at = 'not a date'",
    "signup impossible date": "select count(*) from customers where signed_up_at = '2024-13-45'",
    "account duplicate": "select count(*) from (select account_id from accounts group by 1 having count(*) > 1)",
    "account negative employees": "select count(*) from accounts where employee_count like '-%'",
    "industry casing": f"select count(*) from accounts where industry <> {_norm('industry')}",
    "order exact duplicate": "select count(*) from (select * from orders group by all having count(*) > 1)",
    "order near duplicate": f"""
        select count(*) from orders a join orders b using (order_id)
        where a.status <> b.status and {_norm('a.status')} = {_norm('b.status')}
          and a.updated_at < b.updated_at""",
    "order null amount": "select count(*) from orders where amount is null",
    "order negative amount": "select count(*) from orders where amount like '-%'",
    "order future": "select count(*) from orders where ordered_at like '2062-%'",
    "order before signup": """
        select count(*) from orders o join customers c using (customer_id)
        where c.signed_up_at like '20__-__-__ %' and c.signed_up_at not like '2062%'
          and o.ordered_at < c.signed_up_at""",
    "order orphan": "select count(*) from orders where customer_id not in (select customer_id from customers where customer_id is not null)",
    "order status casing": f"select count(*) from orders where status <> {_norm('status')}",
    "order currency casing": "select count(*) from orders where currency <> upper(trim(currency)) or currency <> trim(currency)",
    "order channel casing": f"select count(*) from orders where sales_channel <> {_norm('sales_channel')}",
    "event orphan": "select count(*) from events where customer_id not in (select customer_id from customers where customer_id is not null)",
    "event type casing": f"select count(*) from events where event_type <> {_norm('event_type')}",
    "event unknown type": "select count(*) from events where event_type = 'scroll'",
    "event future": "select count(*) from events where event_date like '2062-%'",
    "event non-positive count": "select count(*) from events where event_count::int <= 0",
    "event exact duplicate": "select count(*) from (select * from events group by all having count(*) > 1)",
    "subscription orphan": "select count(*) from subscriptions where customer_id not in (select customer_id from customers where customer_id is not null)",
    "subscription negative mrr": "select count(*) from subscriptions where mrr like '-%'",
    "subscription cancelled before start": "select count(*) from subscriptions where cancelled_at < started_at",
    "subscription status casing": f"select count(*) from subscriptions where status <> {_norm('status')}",
    "survey orphan": "select count(*) from survey_responses where customer_id not in (select customer_id from customers where customer_id is not null)",
    "survey casing": f"select count(*) from survey_responses where motivation <> {_norm('motivation')}",
    "erasure unknown customer": "select count(*) from erasure_requests where customer_id not in (select customer_id from customers where customer_id is not null)",
    "erasure repeated": "select count(*) from (select customer_id from erasure_requests group by 1 having count(*) > 1)",
}


@pytest.mark.parametrize("kind", sorted(DIRT))
def test_dirt_is_present(db: duckdb.DuckDBPyConnection, kind: str) -> None:
    assert _one(db, DIRT[kind]) >= 1, kind


def test_dirt_rates_stay_low(db: duckdb.DuckDBPyConnection) -> None:
    customers = _one(db, "select count(*) from customers")
    assert _one(db, "select count(distinct customer_id) from customers") == N_CSV
    assert customers <= N_CSV * 1.06
    null_emails = _one(db, "select count(*) from customers where email is null") / N_CSV
    assert 0.01 <= null_emails <= 0.03
    orphans = _one(db, DIRT["order orphan"]) / _one(db, "select count(*) from orders")
    assert 0.002 <= orphans <= 0.01


# --- signal -------------------------------------------------------------------
def test_heavy_buyers_spend_more_and_bought_recently(db: duckdb.DuckDBPyConnection) -> None:
    """Top decile by completed orders vs the bottom half of buyers."""
    row = db.execute(f"""
        with buyers as (
            select customer_id, count(*) as n,
                   avg(try_cast(amount as double)) as mean_amount,
                   date_diff('day', max(ordered_at::timestamp), date '{AS_OF}') as recency
            from orders
            where {_norm('status')} = 'completed' and ordered_at <= '{AS_OF} 23:59:59'
              and try_cast(amount as double) > 0
            group by 1
        ), ranked as (select *, ntile(10) over (order by n, customer_id) as decile from buyers)
        select avg(mean_amount) filter (where decile = 10), avg(recency) filter (where decile = 10),
               avg(mean_amount) filter (where decile <= 5), avg(recency) filter (where decile <= 5)
        from ranked""").fetchone()
    assert row is not None
    top_amount, top_recency, bottom_amount, bottom_recency = row
    assert top_amount > 1.5 * bottom_amount
    assert top_recency * 4 < bottom_recency


def test_recent_carts_without_orders_and_buying_intent_exist(db: duckdb.DuckDBPyConnection) -> None:
    abandoners = _one(db, f"""
        select count(distinct e.customer_id) from events e
        where {_norm('e.event_type')} = 'checkout_started' and e.event_date >= '2026-06-17'
          and e.event_date <= '{AS_OF}'
          and not exists (select 1 from orders o where o.customer_id = e.customer_id
                          and o.ordered_at >= e.event_date and {_norm('o.status')} = 'completed')""")
    assert abandoners > 0.05 * N_CSV
    intent = _one(db, f"""
        select count(distinct customer_id) from events
        where {_norm('event_type')} in ('demo_request', 'pricing_page_view')
          and event_date between '2026-06-17' and '{AS_OF}'
          and customer_id not in (select customer_id from orders)""")
    assert intent > 0.05 * N_CSV
    recent_signups = _one(db, f"""
        select count(*) from customers c where signed_up_at between '2026-05-01' and '{AS_OF} 23:59:59'
        and (select count(*) from orders o where o.customer_id = c.customer_id) <= 2""")
    assert recent_signups > 0.05 * N_CSV


def test_power_users_use_more_features(db: duckdb.DuckDBPyConnection) -> None:
    top, rest = db.execute(f"""
        with o as (select customer_id, count(*) n from orders
                   where {_norm('status')} = 'completed' group by 1),
        f as (select customer_id, count(distinct feature_name) k from events
              where feature_name is not null group by 1),
        j as (select o.n, coalesce(f.k, 0) k, ntile(10) over (order by o.n, o.customer_id) d
              from o left join f using (customer_id))
        select avg(k) filter (where d = 10), avg(k) filter (where d <= 5) from j""").fetchone() or (0, 0)
    assert top > rest + 1.5


def test_tiny_chunks_still_produce_every_relation() -> None:
    tables = gd.generate_chunk(gd.Config(chunk_size=5), 2, 3)
    assert set(tables) == set(gd.SCHEMAS)
    assert all(t.column_names == list(gd.SCHEMAS[e]) for e, t in tables.items())
    assert tables["customers"].column("customer_id").to_pylist()[:3] == ["C00000011", "C00000012", "C00000013"]
