"""Run Great Expectations 1.x expectations against a DuckDB file: in SQL, read-only.

GX's generic SQL datasource (``context.data_sources.add_sql``) is broken on DuckDB
through duckdb-engine: ``SqlAlchemyExecutionEngine.execute_query`` executes inside
``with self.get_connection()`` and its callers fetch the rows after that block has
closed the connection.  Closing rolls the transaction back and, since duckdb-engine's
DB-API cursor *is* the DuckDB connection, the ROLLBACK discards the pending result:
``resolve_metric_bundle`` hits ``IndexError`` and every expectation errors.

This module registers a fluent datasource type ``duckdb_readonly``:

* one DuckDB connection per engine, ``duckdb.connect(path, read_only=True)``, shared
  through a ``StaticPool`` (``create_read_only_engine``);
* its DB-API wrapper turns BEGIN / COMMIT / ROLLBACK into no-ops - nothing can be
  written anyway - so no rollback can discard a result and no nested BEGIN fails;
* the execution engine keeps one persistent SQLAlchemy connection, as GX does for
  SQLite (``_PERSISTED_CONNECTION_DIALECTS``), instead of one per statement.

Metrics are still compiled to SQL by GX and computed by DuckDB; tables are never
loaded into pandas.  Design note: docs/gx_duckdb.md.
"""

from __future__ import annotations

import builtins
import warnings
from collections.abc import Generator, Mapping, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb
import sqlalchemy as sa
from duckdb_engine import ConnectionWrapper
from great_expectations.compatibility import pydantic
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.datasource.fluent.config_str import ConfigStr
from great_expectations.datasource.fluent.sql_datasource import SQLDatasource
from great_expectations.execution_engine import SqlAlchemyExecutionEngine

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.data_context import AbstractDataContext
    from great_expectations.datasource.fluent.sql_datasource import TableAsset

__all__ = [
    "DuckDBReadOnlyDatasource",
    "DuckDBReadOnlyExecutionEngine",
    "add_table_batch_definition",
    "close_datasource",
    "create_read_only_engine",
    "get_duckdb_datasource",
    "result_raised",
]

_URL_PREFIX = "duckdb:///"


def _database_path(connection_string: str) -> str:
    """The file path of a ``duckdb:///<path>`` URL; rejects in-memory and URL options."""
    if not connection_string.startswith(_URL_PREFIX):
        raise ValueError(f"expected duckdb:///<path to a database file>, got {connection_string!r}")
    path = connection_string[len(_URL_PREFIX) :]
    if not path or path.startswith(":memory:") or "?" in path:
        raise ValueError(f"expected duckdb:///<path to a database file> without options, got {connection_string!r}")
    return path


class _ReadOnlyDBAPIConnection(ConnectionWrapper):
    """duckdb-engine's DB-API connection wrapper without transaction control.

    SQLAlchemy brackets every checkout with BEGIN ... ROLLBACK.  On DuckDB that hurts
    three ways: the ROLLBACK discards any result not yet fetched (the upstream bug);
    after one failed statement the open transaction is "aborted" and every later
    statement on the shared connection fails; and GX opens several SQLAlchemy
    Connections (inspector, reflection) over the one pooled DuckDB connection, whose
    single transaction then drifts from SQLAlchemy's bookkeeping ("cannot start a
    transaction within a transaction").  The database is opened read_only, so there
    is nothing to commit or roll back: each statement runs in DuckDB's own
    auto-committed read transaction, and no writer can change the file meanwhile.
    """

    def begin(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass


def create_read_only_engine(connection_string: str, **kwargs: Any) -> sa.Engine:
    """SQLAlchemy engine over ONE ``duckdb.connect(path, read_only=True)`` connection.

    ``StaticPool`` hands every checkout the same DuckDB connection; the connection is
    opened by us (``creator``) rather than by duckdb-engine so that read-only cannot
    be overridden from config and so that its DuckDB configuration equals a plain
    ``duckdb.connect(path, read_only=True)`` (DuckDB refuses a second in-process
    connection to the same file with a different configuration).  ``kwargs`` go to
    ``sa.create_engine``; only ``connect_args={"config": {...}}`` is honoured from
    connect_args (DuckDB settings such as ``threads`` or ``memory_limit``).
    """
    path = _database_path(connection_string)
    connect_args = dict(kwargs.pop("connect_args", None) or {})
    config = dict(connect_args.pop("config", None) or {})
    config.pop("access_mode", None)  # read_only=True below is not negotiable
    if connect_args:
        raise ValueError(f"unsupported connect_args for a read-only DuckDB engine: {sorted(connect_args)}")
    kwargs.pop("poolclass", None)
    kwargs.pop("creator", None)

    def _connect() -> ConnectionWrapper:
        return _ReadOnlyDBAPIConnection(duckdb.connect(path, read_only=True, config=config))

    return sa.create_engine(connection_string, creator=_connect, poolclass=sa.pool.StaticPool, **kwargs)


class DuckDBReadOnlyExecutionEngine(SqlAlchemyExecutionEngine):
    """SqlAlchemyExecutionEngine that holds one read-only DuckDB connection open.

    Upstream only persists the connection for the dialects in
    ``_PERSISTED_CONNECTION_DIALECTS`` (sqlite, mssql, bigquery, databricks); for
    every other dialect ``get_connection`` closes it after each statement.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("engine") is not None or kwargs.get("credentials") or kwargs.get("url"):
            raise ValueError("DuckDBReadOnlyExecutionEngine takes a duckdb:///<path> connection_string only")
        super().__init__(*args, **kwargs)

    def _setup_engine(
        self,
        kwargs: MutableMapping[str, Any],
        connection_string: str | None = None,
        credentials: dict[str, Any] | None = None,
        url: str | None = None,
    ) -> None:
        if connection_string is None:
            raise ValueError("DuckDBReadOnlyExecutionEngine needs a duckdb:///<path> connection_string")
        self.engine = create_read_only_engine(connection_string, **kwargs)

    @contextmanager
    def get_connection(self) -> Generator[sa.Connection, None, None]:
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
        yield self._connection

    def close(self) -> None:
        """Close the persistent connection and the DuckDB handle (also run by ``__del__``)."""
        connection = getattr(self, "_connection", None)
        self._connection = None
        if connection is not None:
            connection.close()
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()


class DuckDBReadOnlyDatasource(SQLDatasource):
    """Fluent SQL datasource over a DuckDB file, opened read-only.

    ``connection_string`` must be ``duckdb:///<path to file>``; ``read_only=True``
    and a ``StaticPool`` are forced by the engine, not taken from config.
    """

    type: Literal["duckdb_readonly"] = "duckdb_readonly"  # type: ignore[assignment]
    connection_string: ConfigStr | str

    @pydantic.validator("connection_string")
    @classmethod
    def _check_duckdb_file_url(cls, value: ConfigStr | str) -> ConfigStr | str:
        if not isinstance(value, ConfigStr):  # ${VAR} templates are checked once substituted
            _database_path(value)
        return value

    @property
    def execution_engine_type(self) -> builtins.type[SqlAlchemyExecutionEngine]:
        return DuckDBReadOnlyExecutionEngine

    def _create_engine(self) -> sa.Engine:
        # Engine used by GX for test_connection / asset checks (not for metrics).
        model_dict = self.dict(exclude=self._get_exec_engine_excludes(), config_provider=self._config_provider)
        connection_string = model_dict.pop("connection_string")
        kwargs = model_dict.pop("kwargs", {})
        return create_read_only_engine(connection_string, **kwargs)


def get_duckdb_datasource(
    context: AbstractDataContext, name: str, database_path: str | Path
) -> DuckDBReadOnlyDatasource:
    """Add, update or reuse the read-only DuckDB datasource ``name`` on ``context``.

    An existing datasource of that name keeps its assets and batch definitions (GX's
    plain ``add_or_update_*`` would drop them, breaking stored validation
    definitions); only its type / database path are brought up to date.
    """
    path = Path(database_path).expanduser().resolve()
    if not path.is_file():
        raise FileNotFoundError(f"DuckDB database file not found: {path}")
    connection_string = f"{_URL_PREFIX}{path}"
    existing = context.data_sources.all().get(name)
    if isinstance(existing, DuckDBReadOnlyDatasource) and existing.connection_string == connection_string:
        return existing
    assets = list(existing.assets) if isinstance(existing, SQLDatasource) else []
    if isinstance(existing, SQLDatasource):
        close_datasource(existing)  # release its file handle before reopening read-only
    if existing is not None and not isinstance(existing, DuckDBReadOnlyDatasource):
        context.data_sources.delete(name)
    datasource = context.data_sources.add_or_update_duckdb_readonly(
        name=name, connection_string=connection_string, assets=assets
    )
    assert isinstance(datasource, DuckDBReadOnlyDatasource)
    return datasource


def add_table_batch_definition(
    datasource: DuckDBReadOnlyDatasource,
    table_name: str,
    schema_name: str | None = None,
    asset_name: str | None = None,
    batch_definition_name: str = "whole_table",
) -> BatchDefinition[Any]:
    """Get or add a table asset for ``[schema_name.]table_name`` and a whole-table batch definition.

    ``asset_name`` defaults to ``schema_name.table_name``.  An existing asset of that
    name pointing at another table is an error rather than silently replaced.
    """
    asset_name = asset_name or (f"{schema_name}.{table_name}" if schema_name else table_name)
    asset: TableAsset  # GX types get_asset as Any
    if asset_name in datasource.get_asset_names():
        asset = datasource.get_asset(asset_name)
        if (asset.table_name, asset._effective_schema_name) != (table_name, schema_name):
            raise ValueError(f"asset {asset_name!r} already points at {asset.qualified_name!r}")
    else:
        asset = _add_table_asset(datasource, asset_name, table_name, schema_name)
    if batch_definition_name in {bd.name for bd in asset.batch_definitions}:
        return asset.get_batch_definition(batch_definition_name)
    return asset.add_batch_definition_whole_table(name=batch_definition_name)


def _add_table_asset(
    datasource: DuckDBReadOnlyDatasource, asset_name: str, table_name: str, schema_name: str | None
) -> TableAsset:
    with warnings.catch_warnings():
        # GX 1.14 deprecated TableAsset.schema_name in favour of one schema per
        # datasource; a dbt DuckDB file spreads tables over several schemas
        # (main, main_marts, ...), so the schema is still given per table.
        warnings.simplefilter("ignore", DeprecationWarning)
        if schema_name:
            return datasource.add_table_asset(name=asset_name, table_name=table_name, schema_name=schema_name)
        return datasource.add_table_asset(name=asset_name, table_name=table_name)


def close_datasource(datasource: SQLDatasource) -> None:
    """Release the DuckDB file handles held by ``datasource`` (both of its engines).

    The datasource stays usable: the next query reopens the file.  Call it before
    anything in the same process opens the file with another configuration (e.g.
    read-write), which DuckDB refuses while a read-only handle is open.
    """
    execution_engine = datasource._execution_engine
    if execution_engine is not None:
        execution_engine.close()
    if datasource._engine is not None:
        datasource._engine.dispose()


def _raised(exception_info: Mapping[str, Any] | None) -> bool:
    if not exception_info:
        return False
    if "raised_exception" in exception_info:
        return bool(exception_info["raised_exception"])
    # GX keys exception info by metric id when a metric failed to resolve:
    # {"MetricConfigurationID(...)": {"raised_exception": True, ...}, ...}
    return any(isinstance(v, Mapping) and _raised(v) for v in exception_info.values())


def result_raised(
    result: ExpectationValidationResult | ExpectationSuiteValidationResult | Mapping[str, Any],
) -> bool:
    """True if the expectation ERRORED (raised) rather than merely failed.

    ``success=False`` is ambiguous: it is also what GX returns when a metric could
    not be computed.  Only ``exception_info`` tells the two apart, and it comes in
    two shapes (flat, or keyed by metric id), so ``exception_info["raised_exception"]``
    alone misses the second one.  Suite results are True if any expectation raised.
    """
    if isinstance(result, ExpectationSuiteValidationResult):
        return any(result_raised(r) for r in result.results)
    if isinstance(result, ExpectationValidationResult):
        return _raised(result.exception_info)
    if "results" in result:  # a suite result in dict form
        return any(result_raised(r) for r in result["results"])
    return _raised(result.get("exception_info"))
