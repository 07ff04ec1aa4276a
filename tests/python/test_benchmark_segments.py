"""The segment benchmark runs on a real build and reports what it claims:
one row per model and a single scan of customer_360 for all schemes."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import benchmark_segments


def test_segment_benchmark_reports_every_model_and_one_scan(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    compiled = demo_warehouse.parent / "target" / "compiled" / "audience_segments" / "models"
    assert benchmark_segments.main(
        ["--database", str(demo_warehouse), "--compiled-dir", str(compiled)]
    ) == 0
    output = capsys.readouterr().out
    for model in benchmark_segments.MODELS:
        assert f"| {model} |" in output
    assert "customer_360 scans in int_segment_matches: 1" in output
