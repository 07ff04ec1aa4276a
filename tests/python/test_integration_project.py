"""The package as a consuming project uses it: installed with `local: ../`,
reading raw tables through the source vars, with a scheme added and two
business rules overridden by configuration and dispatch alone."""

from __future__ import annotations

from pathlib import Path

from tests.python.dbt_helpers import REPO_ROOT, query, run_dbt

PROJECT = REPO_ROOT / "integration_tests"


def test_consuming_project_builds_with_its_scheme_and_overrides(tmp_path: Path) -> None:
    database = tmp_path / "integration.duckdb"
    for args in (["deps"], ["seed"], ["build", "--exclude", "resource_type:seed"]):
        result = run_dbt(args, database, tmp_path, project_dir=PROJECT)
        assert result.ok, f"dbt {args[0]} failed:\n{result.output[-4000:]}"
    # The project's own singular tests ran inside that build and passed.
    assert "assert_value_tier_override_applies" in result.output
    assert "assert_size_band_override_applies" in result.output
    schemes = {name for (name,) in query(
        database, "select distinct scheme_name from main_marts.segment_assignments"
    )}
    assert "campaign_targets" in schemes and "geographic" not in schemes
