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


VAR_USE = re.compile(r"""var\(\s*['"](audience_segments_[a-z_]+)['"]""")
QUOTED_NAME = re.compile(r"'(audience_segments_[a-z_]+)'")


def test_every_var_the_package_reads_is_a_known_var() -> None:
    # known_vars() lists fixed names, plus per-source names built from the
    # registry; an unlisted var would be reported as a typo on the command line.
    checks = (REPO_ROOT / "macros" / "segments" / "config_checks.sql").read_text()
    body = checks[checks.index("macro known_vars"):checks.index("endmacro", checks.index("macro known_vars"))]
    listed = set(QUOTED_NAME.findall(body))
    registry = yaml.safe_load(
        re.search(r"set registry_yaml -%}(.*?){%- endset", (REPO_ROOT / "macros" / "sources" / "source_registry.sql")
                  .read_text(), re.S).group(1)
    )
    for source in registry:
        listed |= {f"audience_segments_{source}{suffix}" for suffix in ("_identifier", "_columns", "_timestamp_format")}
        listed.add(f"audience_segments_using_{source}")
    used = {
        name
        for folder in ("macros", "models", "tests", "analyses")
        for path in (REPO_ROOT / folder).rglob("*.sql")
        for name in VAR_USE.findall(path.read_text())
        if name != "audience_segments_using_"
    }
    assert len(used) > 20
    assert sorted(used - listed) == []
