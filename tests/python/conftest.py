from __future__ import annotations

from pathlib import Path

import pytest

from tests.python.dbt_helpers import run_dbt


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built from scratch on the demo seeds, tests included."""
    work_dir = tmp_path_factory.mktemp("demo")
    database = work_dir / "demo.duckdb"
    result = run_dbt(["build"], database, work_dir)
    assert result.ok, result.output[-4000:]
    return database
