"""Run dbt from tests in a subprocess against a throw-away DuckDB file."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
TEST_SALT = "pytest-salt-5b1e07c9"
# A folder the test session shares (conftest sets it): dbt's partial-parse
# state per project and vars, so a command whose project and vars another
# command already parsed skips the full parse. dbt itself checks that the
# state still matches (vars, profile, every file's checksum) and re-parses
# when it does not, so a reused state can cost time, never correctness.
PARSE_CACHE_ENV = "AUDIENCE_SEGMENTS_TEST_PARSE_CACHE"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"


@dataclass(frozen=True)
class DbtResult:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass(frozen=True)
class DbtJob:
    """One dbt command, as run_dbt takes it."""

    args: list[str]
    database: Path
    work_dir: Path
    dbt_vars: dict[str, Any] | None = None
    project_dir: Path = REPO_ROOT
    env: dict[str, str] | None = None

    def arguments(self) -> list[str]:
        """The command line after `dbt`; target and logs under work_dir."""
        command = [
            *self.args,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.project_dir),
            *([] if self.args[0] == "deps" else ["--target-path", str(self.work_dir / "target")]),
            "--log-path",
            str(self.work_dir / "logs"),
            "--no-use-colors",
        ]
        if self.dbt_vars:
            command += ["--vars", json.dumps(self.dbt_vars)]
        return command

    def environment(self) -> dict[str, str]:
        # The file by its name, dbt running in its folder (cwd): dbt's
        # partial-parse state includes the profile's path, so every command
        # on a file of the same name can reuse one state.
        return {
            **os.environ,
            "AUDIENCE_SEGMENTS_DB": self.database.name,
            "AUDIENCE_SEGMENTS_HASH_SALT": TEST_SALT,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            **(self.env or {}),
        }


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
    job = DbtJob(args, database, work_dir, dbt_vars, project_dir, env)

    def run() -> DbtResult:
        database.parent.mkdir(parents=True, exist_ok=True)
        completed = subprocess.run(
            [str(DBT), *job.arguments()], cwd=database.parent, env=job.environment(),
            capture_output=True, text=True, check=False,
        )
        return DbtResult(completed.returncode, completed.stdout + completed.stderr)

    return _with_parse_cache(job, run)


def run_dbt_batch(jobs: list[DbtJob], processes: int = 2) -> list[DbtResult]:
    """Run many dbt commands in `processes` long-lived Python processes that
    import dbt once each, through dbt's programmatic entry point (dbtRunner):
    for many short commands (configuration errors) the import is a third of
    each command's time. `output` holds dbt's info, warning and error
    messages and the exception, if any; the return code is 0 on success, 1
    on failure."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        return list(pool.map(_run_in_process, jobs))


def _run_in_process(job: DbtJob) -> DbtResult:
    from dbt.cli.main import dbtRunner  # noqa: PLC0415 - imported in the worker process only

    def run() -> DbtResult:
        messages: list[str] = []

        def keep(event: Any) -> None:
            if event.info.level in ("info", "warn", "error"):
                messages.append(event.info.msg)

        environment = job.environment()
        os.environ.clear()
        os.environ.update(environment)
        job.database.parent.mkdir(parents=True, exist_ok=True)
        os.chdir(job.database.parent)
        result = dbtRunner(callbacks=[keep]).invoke(job.arguments())
        if result.exception is not None:
            messages.append(str(result.exception))
        return DbtResult(0 if result.success else 1, "\n".join(messages))

    return _with_parse_cache(job, run)


def _with_parse_cache(job: DbtJob, run: Callable[[], DbtResult]) -> DbtResult:
    cached = _parse_cache_entry(job)
    state = job.work_dir / "target" / PARTIAL_PARSE_FILE
    if cached is not None and cached.exists() and not state.exists():
        state.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, state)
    result = run()
    if cached is not None and state.exists() and not cached.exists():
        # Written aside, then renamed: a reader sees a whole state or none.
        scratch = cached.with_name(f"{cached.name}.{os.getpid()}.{threading.get_ident()}")
        shutil.copyfile(state, scratch)
        scratch.replace(cached)
    return result


def _parse_cache_entry(job: DbtJob) -> Path | None:
    root = os.environ.get(PARSE_CACHE_ENV)
    if not root:
        return None
    key = json.dumps([str(job.project_dir), job.database.name, job.dbt_vars or {}], sort_keys=True, default=str)
    return Path(root) / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.msgpack"


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
