"""An undecodable seed fails with a message naming the file (scripts/check_seeds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import check_seeds
from tests.python.dbt_helpers import REPO_ROOT


def project(tmp_path: Path, seeds: dict[str, bytes], seed_paths: str | None = None) -> Path:
    (tmp_path / "dbt_project.yml").write_text(
        "name: p\nversion: '1'\nprofile: p\n" + (f"seed-paths: [{seed_paths}]\n" if seed_paths else "")
    )
    for name, data in seeds.items():
        path = tmp_path / (seed_paths or "seeds") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def test_the_package_seeds_are_utf8() -> None:
    assert check_seeds.main(["--project-dir", str(REPO_ROOT)]) == 0


def test_an_invalid_byte_names_file_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {
        "good.csv": "id,city\n1,Zürich\n".encode(),
        "nested/bad.csv": b"id,city\n1,Z\xfcrich\n",  # Latin-1, as a spreadsheet may save it
    })
    assert check_seeds.main(["--project-dir", str(root)]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"{root / 'seeds' / 'nested' / 'bad.csv'}: line 2, column 4: byte 0xfc is not UTF-8")
    assert "good.csv" not in line


def test_the_projects_own_seed_paths_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, {"x.csv": b"\xff"}, seed_paths="data")
    assert check_seeds.main(["--project-dir", str(root)]) == 1
    assert "data/x.csv" in capsys.readouterr().err
