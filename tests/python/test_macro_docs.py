"""Every public macro is documented in a macros/**/*.yml file (dispatched
adapter variants, default__/duckdb__..., are documented by their wrapper)."""

from __future__ import annotations

import re

import yaml

from tests.python.dbt_helpers import REPO_ROOT

MACRO = re.compile(r"{%-?\s*macro\s+([a-z_0-9]+)\s*\(")
VARIANT = re.compile(r"^[a-z0-9]+__")


def test_every_public_macro_is_documented() -> None:
    defined = {
        name
        for path in (REPO_ROOT / "macros").rglob("*.sql")
        for name in MACRO.findall(path.read_text())
        if not VARIANT.match(name)
    }
    documented = {
        entry["name"]
        for path in (REPO_ROOT / "macros").rglob("*.yml")
        for entry in yaml.safe_load(path.read_text()).get("macros", [])
    }
    assert sorted(defined - documented) == []


def test_macro_arguments_have_only_dbt_properties() -> None:
    # An unquoted comma in a flow mapping silently becomes a key; dbt then
    # refuses the file at parse time.
    for path in (REPO_ROOT / "macros").rglob("*.yml"):
        for entry in yaml.safe_load(path.read_text()).get("macros", []):
            for argument in entry.get("arguments", []):
                assert set(argument) <= {"name", "type", "description"}, (path.name, entry["name"], argument)
