"""dbt-duckdb plugin: hand the pseudonymisation salt to DuckDB out of band.

The salt is read from AUDIENCE_SEGMENTS_HASH_SALT here, at connection time,
and set as a DuckDB session variable on every connection and cursor dbt
opens. Compiled SQL only says ``getvariable('audience_segments_hash_salt')``,
so the value never reaches target/, logs/ or a view definition in the
warehouse; dbt never reads the env var, so it is not in its partial-parse
state either. Enable it in the profile::

    plugins:
      - module: scripts.duckdb_salt
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

SALT_ENV_VAR = "AUDIENCE_SEGMENTS_HASH_SALT"
SALT_VARIABLE = "audience_segments_hash_salt"


def set_salt(connection: Any, salt: str | None) -> None:
    """Set (or clear) the salt variable on one DuckDB connection or cursor."""
    if salt:
        connection.execute(f"set variable {SALT_VARIABLE} = $salt", {"salt": salt})
    else:
        connection.execute(f"reset variable {SALT_VARIABLE}")


class Plugin(BasePlugin):
    """Sets the salt variable; an unset or empty env var leaves it NULL."""

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self._salt = os.environ.get(SALT_ENV_VAR) or None

    def configure_connection(self, conn: Any) -> None:
        set_salt(conn, self._salt)

    def configure_cursor(self, cursor: Any) -> Any:
        set_salt(cursor, self._salt)
        return cursor
