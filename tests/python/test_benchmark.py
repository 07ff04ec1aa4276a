"""The CI-sized benchmark runs end to end and prints the documented table.
Timings are never asserted: only the shape of the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import benchmark


def test_smoke_benchmark_prints_one_row_with_every_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "benchmarks.md"
    assert benchmark.main(["--smoke", "--work-dir", str(tmp_path / "work"), "--output", str(output)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == [name for name, _ in benchmark.COLUMNS]
    assert len(lines) == 3, lines  # header, rule, one size
    row = dict(zip(header, (cell.strip() for cell in lines[2].strip("|").split("|")), strict=True))
    assert row["customers"] == f"{benchmark.SMOKE_CUSTOMERS:,}"
    for column in ("generate s", "dbt build s", "floor s", "dbt / floor", "incremental s", "incremental / full"):
        assert row[column] != "n/a", column
    assert int(row["delta rows"].replace(",", "")) > 0
    assert "| customers |" in output.read_text()
