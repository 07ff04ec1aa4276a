"""Benchmark of the segment models on a built warehouse.

Runs the compiled SQL of each segment model directly in DuckDB (as
`create temp table ... as`), and, in the same run, two baselines: a plain
copy of customer_360 (the input every scheme reads) and a plain copy of the
model's own output (the cost of writing that many rows). Prints wall time,
rows, rows/s, the ratio to each baseline, how many times the matching step
scans customer_360, and peak memory.

    python -m scripts.benchmark_segments --database target/audience_segments.duckdb
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

MODELS = {
    "int_segment_matches": "intermediate/int_segment_matches.sql",
    "segment_assignments": "marts/segments/segment_assignments.sql",
    "segment_memberships": "marts/segments/segment_memberships.sql",
    "customer_segments": "marts/segments/customer_segments.sql",
}


@dataclass(frozen=True)
class Measure:
    model: str
    seconds: float
    rows: int
    copy_seconds: float


def timed(connection: duckdb.DuckDBPyConnection, sql: str) -> float:
    start = time.perf_counter()
    connection.execute(sql)
    return time.perf_counter() - start


def customer_360_scans(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    """Table scans of customer_360 in the physical plan of a query."""
    plan = "\n".join(row[1] for row in connection.execute(f"explain {sql}").fetchall())
    return len(re.findall(r"\bcustomer_360\b", plan))


def count_rows(connection: duckdb.DuckDBPyConnection, relation: str) -> int:
    """``count(*)`` of a table."""
    row = connection.execute(f"select count(*) from {relation}").fetchone()
    if row is None:  # count(*) always yields one row; fetchone() is typed Optional
        raise RuntimeError(f"count(*) from {relation} returned no row")
    return int(row[0])


def measure(connection: duckdb.DuckDBPyConnection, model: str, sql: str) -> Measure:
    seconds = timed(connection, f"create or replace temp table bench_{model} as {sql}")
    rows = count_rows(connection, f"bench_{model}")
    copy_seconds = timed(
        connection, f"create or replace temp table copy_{model} as select * from bench_{model}"
    )
    # Later models read the persisted tables, so the results can go at once.
    connection.execute(f"drop table bench_{model}; drop table copy_{model}")
    return Measure(model, seconds, rows, copy_seconds)


def report(measures: list[Measure], input_seconds: float, scans: int) -> str:
    lines = [
        "| model | seconds | rows | rows/s | x copy of customer_360 | x copy of own output |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in measures:
        lines.append(
            f"| {m.model} | {m.seconds:.2f} | {m.rows:,} | {m.rows / m.seconds:,.0f} "
            f"| {m.seconds / input_seconds:.1f} | {m.seconds / m.copy_seconds:.1f} |"
        )
    total = sum(m.seconds for m in measures)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += [
        "",
        f"baseline: copy of customer_360 {input_seconds:.2f} s; segment models {total:.2f} s "
        f"({total / input_seconds:.1f} x baseline)",
        f"customer_360 scans in int_segment_matches: {scans}",
        f"peak memory: {peak_mb:,.0f} MB",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument(
        "--compiled-dir",
        type=Path,
        default=Path("target/compiled/audience_segments/models"),
        help="compiled SQL of the build that wrote the database",
    )
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    connection = duckdb.connect(str(args.database), read_only=True)
    connection.execute(f"set threads = {args.threads}")
    input_seconds = timed(
        connection, "create temp table bench_input as select * from main_marts.customer_360"
    )
    sql = {name: (args.compiled_dir / path).read_text() for name, path in MODELS.items()}
    scans = customer_360_scans(connection, sql["int_segment_matches"])
    measures = [measure(connection, name, text) for name, text in sql.items()]
    print(report(measures, input_seconds, scans))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
