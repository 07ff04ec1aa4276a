"""The source registry is the one list of sources: the generated contract
page, dbt's source declarations and the staging models follow it."""

from __future__ import annotations

import yaml

from scripts import source_contract
from tests.python.dbt_helpers import REPO_ROOT


def test_the_contract_page_is_generated_from_the_registry() -> None:
    assert source_contract.main(["--check"]) == 0


def test_every_registered_source_is_declared_and_staged() -> None:
    registry = source_contract.load_registry()
    declared = yaml.safe_load((REPO_ROOT / "models" / "staging" / "_staging.yml").read_text())
    tables = {
        (source["name"], table["name"])
        for source in declared["sources"]
        for table in source["tables"]
    }
    assert tables == {(entry["source"], name) for name, entry in registry.items()}
    for name, entry in registry.items():
        stem = f"{entry['source']}__{name}"
        assert (REPO_ROOT / "models" / "staging" / "base" / f"base_{stem}.sql").exists(), name
        assert (REPO_ROOT / "models" / "staging" / f"stg_{stem}.sql").exists(), name


def test_a_stale_page_is_detected(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "source_contract.md"
    stale.write_text("# Source contract\n")
    monkeypatch.setattr(source_contract, "PAGE", stale)
    assert source_contract.main(["--check"]) == 1
