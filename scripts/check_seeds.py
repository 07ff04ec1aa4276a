"""Check that every seed file of a dbt project is valid UTF-8, naming the file.

    python -m scripts.check_seeds [--project-dir DIR]

dbt reads every seed while it parses the project, so one undecodable byte in
any CSV under its seed-paths fails every dbt command (parse, build, even
`dbt ls`) with "'utf-8' codec can't decode byte ..." and no file name. This
check runs before dbt in `make build` and `make test`; run it before dbt in
your own CI too.

Exit 0: every seed decodes. Exit 1: at least one does not; each is printed
with its line, column and the offending byte.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_SEED_PATHS = ("seeds",)


@dataclass(frozen=True)
class Undecodable:
    path: Path
    line: int
    column: int
    byte: int
    reason: str

    def message(self) -> str:
        return (
            f"{self.path}: line {self.line}, column {self.column}: byte 0x{self.byte:02x} is not UTF-8 "
            f"({self.reason}); dbt fails every command on this file without naming it. "
            "Re-save it as UTF-8."
        )


def seed_paths(project_dir: Path) -> list[Path]:
    """The project's seed-paths (dbt's default when dbt_project.yml names none)."""
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    return [project_dir / folder for folder in config.get("seed-paths") or DEFAULT_SEED_PATHS]


def seed_files(project_dir: Path) -> Iterator[Path]:
    for folder in seed_paths(project_dir):
        if folder.is_dir():
            yield from sorted(folder.rglob("*.csv"))


def undecodable(path: Path) -> Undecodable | None:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return Undecodable(path, line, column, data[error.start], error.reason)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.check_seeds", description=__doc__.split("\n")[0])
    parser.add_argument("--project-dir", type=Path, default=Path("."), help="the dbt project (default: .)")
    args = parser.parse_args(argv)
    problems = [found for path in seed_files(args.project_dir) if (found := undecodable(path))]
    for problem in problems:
        print(problem.message(), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
