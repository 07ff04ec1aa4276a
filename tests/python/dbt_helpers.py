"""Run dbt from tests in a subprocess against a throw-away DuckDB file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
TEST_SALT = "pytest-salt-5b1e07c9"


@dataclass(frozen=True)
class DbtResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_dbt(
    args: list[str],
    database: Path,
    work_dir: Path,
    dbt_vars: dict[str, Any] | None = None,
    project_dir: Path = REPO_ROOT,
    env: dict[str, str] | None = None,
) -> DbtResult:
    """Run one dbt command; target and logs go under work_dir, never the repo's.

    The salt is TEST_SALT unless `env` says otherwise (an empty value unsets it).
    """
    command = [
        str(DBT),
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        *([] if args[0] == "deps" else ["--target-path", str(work_dir / "target")]),
        "--log-path",
        str(work_dir / "logs"),
        "--no-use-colors",
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    env = {
        **os.environ,
        "AUDIENCE_SEGMENTS_DB": str(database),
        "AUDIENCE_SEGMENTS_HASH_SALT": TEST_SALT,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    completed = subprocess.run(
        command, cwd=project_dir, env=env, capture_output=True, text=True, check=False
    )
    return DbtResult(completed.returncode, completed.stdout + completed.stderr)


def query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def scalar(database: Path, sql: str) -> Any:
    rows = query(database, sql)
    assert len(rows) == 1 and len(rows[0]) == 1, rows
    return rows[0][0]


def manifest_node_in(work_dir: Path, name: str) -> dict[str, Any]:
    """The model or seed `name` of the last dbt command run_dbt ran in
    work_dir, from its manifest."""
    manifest = json.loads((work_dir / "target" / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] in ("model", "seed") and node["name"] == name:
            return dict(node)
    raise KeyError(name)


def manifest_node(database: Path, name: str) -> dict[str, Any]:
    """As manifest_node_in, for a database built in its own folder (run_dbt's
    usual layout: target/ beside the DuckDB file)."""
    return manifest_node_in(database.parent, name)


def relation_in(work_dir: Path, name: str) -> str:
    """The relation a model or seed was built as by the last dbt command in
    work_dir, for queries (never a hard-coded schema)."""
    return str(manifest_node_in(work_dir, name)["relation_name"])


def relation(database: Path, name: str) -> str:
    """relation_in for a database built in its own folder."""
    return relation_in(database.parent, name)


def last_run_results(work_dir: Path) -> dict[str, Any]:
    """run_results.json of the last dbt command run_dbt ran in work_dir."""
    return dict(json.loads((work_dir / "target" / "run_results.json").read_text()))
