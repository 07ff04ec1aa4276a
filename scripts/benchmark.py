"""Benchmark `dbt build` on generated data against the engine floor.

For every size: generate Parquet data, `dbt build` from scratch, time each
layer (from target/run_results.json), run the quality gate when present, run
the compiled SQL of every model and test directly in one DuckDB connection in
DAG order (the engine floor), then append a daily delta (1% new rows plus
late rows inside the lookback window) and time the incremental `dbt build`.

    python -m scripts.benchmark --customers 100000 1000000 --output docs/benchmarks.md
    python -m scripts.benchmark --smoke        # 10k customers, CI-sized

Unit tests and seeds are left out of the timed builds: their cost does not
depend on the data size.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scripts.duckdb_salt import SALT_ENV_VAR, set_salt

# The generated orders are in USD, EUR and GBP; Parquet data has no fx_rates
# table, so the static rates var converts them (USD per unit).
GENERATED_FX_RATES = {"EUR": 1.08, "GBP": 1.27}

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
DB_STEM = "audience_segments"
# Generated data is not the demo, so builds need a salt: a throw-away one per
# benchmark run unless the caller set AUDIENCE_SEGMENTS_HASH_SALT.
RUN_SALT = secrets.token_hex(16)
DEFAULT_THREADS = "1"  # dbt threads; DuckDB uses every core per query
DEFAULT_MEMORY_LIMIT = "6GB"  # peak RSS stays under 8 GB with dbt and Python on top
SMOKE_CUSTOMERS = 10_000
DELTA_FRACTION = 0.01
LAYERS = ("staging", "intermediate", "marts", "tests")
DELTA_TABLES = ("raw_orders", "raw_events")
COLUMNS: tuple[tuple[str, str], ...] = (
    ("customers", "{:,}"),
    ("raw rows", "{:,}"),
    ("generate s", "{:.1f}"),
    ("dbt build s", "{:.1f}"),
    ("staging s", "{:.1f}"),
    ("intermediate s", "{:.1f}"),
    ("marts s", "{:.1f}"),
    ("tests s", "{:.1f}"),
    ("peak MB", "{:,.0f}"),
    ("rows/s", "{:,.0f}"),
    ("quality gate s", "{:.1f}"),
    ("floor s", "{:.1f}"),
    ("dbt / floor", "{:.2f}"),
    ("delta rows", "{:,}"),
    ("incremental s", "{:.1f}"),
    ("incremental / full", "{:.3f}"),
)


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_mb: float
    returncode: int


@dataclass
class Result:
    values: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------ processes


def run_measured(command: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Timed:
    """Run a command; wall time and the peak RSS of that process alone."""
    start = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(
            list(command), cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux.
    return Timed(time.perf_counter() - start, usage.ru_maxrss / 1024, process.returncode)


def dbt_env(database: Path) -> dict[str, str]:
    return {
        SALT_ENV_VAR: RUN_SALT,
        **os.environ,
        "AUDIENCE_SEGMENTS_DB": str(database),
        "AUDIENCE_SEGMENTS_THREADS": os.environ.get("AUDIENCE_SEGMENTS_THREADS", DEFAULT_THREADS),
        "AUDIENCE_SEGMENTS_MEMORY_LIMIT": os.environ.get(
            "AUDIENCE_SEGMENTS_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT
        ),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt_build(database: Path, target: Path, data: Path, extra: Sequence[str] = ()) -> Timed:
    dbt_vars = {
        "audience_segments_external_root": str(data),
        "audience_segments_use_demo_seeds": False,
        "audience_segments_fx_rates": GENERATED_FX_RATES,
    }
    command = [
        str(DBT), "build", "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT),
        "--target-path", str(target), "--log-path", str(target / "logs"), "--no-use-colors",
        "--exclude", "resource_type:seed", "resource_type:unit_test",
        "--vars", json.dumps(dbt_vars), *extra,
    ]
    target.mkdir(parents=True, exist_ok=True)
    timed = run_measured(command, target / "build.log", dbt_env(database))
    if timed.returncode != 0:
        tail = (target / "build.log").read_text()[-3000:]
        raise RuntimeError(f"dbt build failed ({target}):\n{tail}")
    return timed


def generate(customers: int, data: Path, log: Path) -> float:
    command = [
        sys.executable, "-m", "scripts.generate_data", "--customers", str(customers),
        "--format", "parquet", "--out", str(data),
        "--orders-per-customer", "10", "--event-rows-per-customer", "50",
    ]
    timed = run_measured(command, log)
    if timed.returncode != 0:
        raise RuntimeError(f"generator failed:\n{log.read_text()[-3000:]}")
    return timed.seconds


def quality_gate(database: Path, log: Path) -> float | None:
    if not (REPO_ROOT / "scripts" / "quality_gate.py").exists():
        return None
    command = [sys.executable, "-m", "scripts.quality_gate", "--database", str(database)]
    return run_measured(command, log, dbt_env(database)).seconds


# ------------------------------------------------------------ run results


def layer_of(node: dict[str, Any]) -> str | None:
    if node["resource_type"] in ("test", "unit_test"):
        return "tests"
    parts = Path(node["original_file_path"]).parts
    if node["resource_type"] == "model" and len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return None


def layer_seconds(target: Path) -> dict[str, float]:
    """Summed execution time per layer (with several threads, sums exceed wall time)."""
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    totals = dict.fromkeys(LAYERS, 0.0)
    for result in results:
        node = manifest["nodes"].get(result["unique_id"]) or manifest.get("unit_tests", {}).get(
            result["unique_id"]
        )
        layer = layer_of(node) if node else None
        if layer:
            totals[layer] += result["execution_time"]
    return totals


# ------------------------------------------------------------ engine floor


def dag_order(nodes: dict[str, dict[str, Any]]) -> list[str]:
    """Models and tests, every node after the nodes it depends on."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(unique_id: str) -> None:
        if unique_id in seen or unique_id not in nodes:
            return
        seen.add(unique_id)
        for parent in nodes[unique_id]["depends_on"]["nodes"]:
            visit(parent)
        order.append(unique_id)

    for unique_id in sorted(nodes):
        visit(unique_id)
    return order


def floor_statements(target: Path) -> list[str]:
    """The compiled SQL dbt ran, as plain DDL / queries, in DAG order."""
    manifest = json.loads((target / "manifest.json").read_text())
    executed = {r["unique_id"] for r in json.loads((target / "run_results.json").read_text())["results"]}
    nodes = {
        uid: node for uid, node in manifest["nodes"].items()
        if uid in executed and node["resource_type"] in ("model", "test")
    }
    statements: list[str] = []
    for uid in dag_order(nodes):
        node = nodes[uid]
        sql = node["compiled_code"]
        if node["resource_type"] == "test":
            statements.append(f"select count(*) from ({sql}\n) as dbt_test")
            continue
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        statements.append(f'create schema if not exists "{node["schema"]}"')
        statements.append(
            f'create or replace {kind} "{node["schema"]}"."{node["alias"]}" as (\n{sql}\n)'
        )
    return statements


def engine_floor(target: Path, work: Path) -> float:
    """Run every statement in one connection; the catalog name matches dbt's."""
    folder = work / "floor"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dbt_env(folder / f"{DB_STEM}.duckdb")
    statements = floor_statements(target)
    with duckdb.connect(str(folder / f"{DB_STEM}.duckdb")) as connection:
        # DuckDB's own threads stay at its default (all cores), as under dbt,
        # whose AUDIENCE_SEGMENTS_THREADS only sets how many models run at once.
        connection.execute(f"set memory_limit = '{env['AUDIENCE_SEGMENTS_MEMORY_LIMIT']}'")
        set_salt(connection, env[SALT_ENV_VAR])
        start = time.perf_counter()
        for statement in statements:
            connection.execute(statement).fetchall()
        seconds = time.perf_counter() - start
    shutil.rmtree(folder, ignore_errors=True)
    return seconds


# ------------------------------------------------------------ daily delta


def count_rows(connection: duckdb.DuckDBPyConnection, relation: str) -> int:
    """``count(*)`` of a table or table function such as ``read_parquet(...)``."""
    row = connection.execute(f"select count(*) from {relation}").fetchone()
    if row is None:  # count(*) always yields one row; fetchone() is typed Optional
        raise RuntimeError(f"count(*) from {relation} returned no row")
    return int(row[0])


def append_daily_delta(data: Path, fraction: float = DELTA_FRACTION, part: int = 99_999) -> int:
    """Append one day of raw orders and events as new Parquet part files.

    About `fraction` of each relation: new orders and events on the day after
    the latest one, late rows two days back (inside the default lookback), a
    newer version (refunded) of existing orders and a double load of recent
    event rows. Returns the number of rows written.
    """
    written = 0
    with duckdb.connect() as connection:
        for table in DELTA_TABLES:
            glob = f"{data}/{table}/part-*.parquet"
            sql = _delta_sql(table, glob, fraction)
            out = data / table / f"part-{part:05d}.parquet"
            connection.execute(f"copy ({sql}) to '{out}' (format parquet, compression zstd)")
            written += count_rows(connection, f"read_parquet('{out}')")
    return written


def _delta_sql(table: str, glob: str, fraction: float) -> str:
    modulo = max(1, round(1 / fraction))
    if table == "raw_orders":
        return f"""
        with src as (
            select *, row_number() over () as n,
                max(try_cast(ordered_at as timestamp)) filter (where ordered_at < '2050') over () as top
            from read_parquet('{glob}')
        )
        select
            case when n % 3 = 2 then order_id else 'D' || order_id end as order_id,
            customer_id,
            strftime(case when n % 3 = 0 then top + interval 1 day
                          when n % 3 = 1 then top - interval 2 day
                          else try_cast(ordered_at as timestamp) end, '%Y-%m-%d %H:%M:%S') as ordered_at,
            case when n % 3 = 2 then 'refunded' else status end as status,
            amount, currency, sales_channel, product_category,
            strftime(top + interval 1 day, '%Y-%m-%d %H:%M:%S') as updated_at
        from src
        where n % {modulo} = 0
        """
    return f"""
    with src as (
        select *, row_number() over () as n,
            max(try_cast(event_date as date)) filter (where event_date < '2050') over () as top
        from read_parquet('{glob}')
    )
    select
        customer_id,
        case when n % 3 = 0 then strftime(top + interval 1 day, '%Y-%m-%d')
             when n % 3 = 1 or event_date < strftime(top - interval 2 day, '%Y-%m-%d')
                 then strftime(top - interval 2 day, '%Y-%m-%d')
             else event_date end as event_date,
        event_type, feature_name, event_count
    from src
    where n % {modulo} = 0
    """


# ------------------------------------------------------------ one size


def raw_row_count(data: Path) -> int:
    with duckdb.connect() as connection:
        return sum(
            count_rows(connection, f"read_parquet('{folder}/*.parquet')")
            for folder in sorted(data.iterdir()) if folder.is_dir()
        )


def bench_size(customers: int, work: Path, with_floor: bool) -> Result:
    work.mkdir(parents=True, exist_ok=True)
    data, database, target = work / "data", work / f"{DB_STEM}.duckdb", work / "target"
    for stale in (data, target):
        shutil.rmtree(stale, ignore_errors=True)
    database.unlink(missing_ok=True)
    result = Result({"customers": customers})
    result.values["generate s"] = generate(customers, data, work / "generate.log")
    rows = raw_row_count(data)
    full = dbt_build(database, target / "full", data)
    result.values.update({"raw rows": rows, "dbt build s": full.seconds, "peak MB": full.peak_mb})
    result.values["rows/s"] = rows / full.seconds
    result.values.update({f"{k} s": v for k, v in layer_seconds(target / "full").items()})
    result.values["quality gate s"] = quality_gate(database, work / "quality_gate.log")
    if with_floor:
        floor = engine_floor(target / "full", work)
        result.values.update({"floor s": floor, "dbt / floor": full.seconds / floor})
    result.values["delta rows"] = append_daily_delta(data)
    incremental = dbt_build(database, target / "incremental", data)
    result.values["incremental s"] = incremental.seconds
    result.values["incremental / full"] = incremental.seconds / full.seconds
    result.values["peak MB"] = max(full.peak_mb, incremental.peak_mb)
    return result


# ------------------------------------------------------------ output


def render(results: Sequence[Result]) -> str:
    header = "| " + " | ".join(name for name, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    lines = [header, rule]
    for result in results:
        cells = []
        for name, fmt in COLUMNS:
            value = result.values.get(name)
            cells.append("n/a" if value is None else fmt.format(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def document(table: str, argv: Sequence[str]) -> str:
    settings = (
        f"threads={os.environ.get('AUDIENCE_SEGMENTS_THREADS', DEFAULT_THREADS)}, "
        f"memory_limit={os.environ.get('AUDIENCE_SEGMENTS_MEMORY_LIMIT', DEFAULT_MEMORY_LIMIT)}"
    )
    return (
        "# Benchmarks\n\n"
        f"`python -m scripts.benchmark {' '.join(argv)}` ({settings}, {os.cpu_count()} CPUs).\n\n"
        f"{table}\n\n"
        "Layer columns sum dbt's per-node execution times (threads overlap, so they can exceed "
        "the wall time). `floor s` runs the compiled SQL of every model and test in one DuckDB "
        "connection in DAG order. `incremental s` is `dbt build` after appending the daily delta.\n"
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE_CUSTOMERS:,} customers only")
    parser.add_argument("--work-dir", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--output", type=Path, default=None, help="also write the table as Markdown")
    parser.add_argument("--no-floor", action="store_true", help="skip the engine floor")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    sizes = [SMOKE_CUSTOMERS] if args.smoke else args.customers
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="benchmark-"))
    results = []
    for customers in sizes:
        print(f"benchmark: {customers:,} customers in {work}", file=sys.stderr)
        results.append(bench_size(customers, work / f"c{customers}", not args.no_floor))
    table = render(results)
    print(table)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(document(table, argv))
    if args.work_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
