"""The installed `audience-segments` command dispatches to each tool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scripts.cli import COMMANDS

COMMAND = Path(sys.executable).parent / "audience-segments"


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COMMAND), *arguments], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_installed_and_answers_help(command: str) -> None:
    completed = run(command, "--help")
    assert completed.returncode == 0, completed.stderr
    assert "usage:" in completed.stdout


def test_the_gate_command_is_the_gate() -> None:
    completed = run("gate", "--help")
    assert "--database" in completed.stdout and "--health" in completed.stdout


def test_an_unknown_command_is_a_usage_error() -> None:
    completed = run("gait")
    assert completed.returncode == 2
    assert "unknown command 'gait'" in completed.stderr and "gate" in completed.stderr
