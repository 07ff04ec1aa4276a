from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.python.dbt_helpers import PARSE_CACHE_ENV, run_dbt

_OWN_CACHE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """One partial-parse cache for the session (see dbt_helpers.run_dbt),
    made by the main process and inherited by the xdist workers."""
    if PARSE_CACHE_ENV not in os.environ:
        os.environ[PARSE_CACHE_ENV] = tempfile.mkdtemp(prefix="dbt-parse-cache-")
        config.stash[_OWN_CACHE] = os.environ[PARSE_CACHE_ENV]


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_OWN_CACHE, None)
    if own:
        shutil.rmtree(own, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built from scratch on the demo seeds, tests included."""
    work_dir = tmp_path_factory.mktemp("demo")
    database = work_dir / "demo.duckdb"
    result = run_dbt(["build"], database, work_dir)
    assert result.ok, result.output[-4000:]
    return database
