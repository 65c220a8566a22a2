"""The warehouse: subjects holding Delta tables, schema-on-write, timestamped, non-volatile.

    wh = Warehouse()                                  # ./.datajourney/warehouse/
    wh.create("sales.orders", schema)                 # or create=True on the first load
    wh.load("sales.orders", "orders.csv")             # checked, then a new version
    wh.table("sales.orders").as_of(3)                 # the rows as version 3 held them
    wh.sql("SELECT count(*) FROM sales.orders")       # or wh('sales.orders', 3)

Every change is a new Delta version and an execution in the metadata store (``WarehouseLoad``,
in the table's ``WarehouseTable`` context, itself in its ``WarehouseSubject``), whose inputs are
the files or lake entries read and whose output is the ``WarehouseTableVersion`` written.
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import os
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.metadata.errors import AlreadyExistsError, NotFoundError
from datajourney.metadata.model import Artifact, ParentContext
from datajourney.metadata.store import MetadataStore
from datajourney.metadata.tracking import resolve_context
from datajourney.schema import SchemaDiff, infer_schema, load_schema_text, schema_diff
from datajourney.validation.rows import RowCheck

from . import delta, guard, leftovers
from . import quarantine as quarantined
from .errors import ConflictError, TableExistsError, WarehouseError
from .loading import SourceData, check_inferable, judge, read_source

DEFAULT_ROOT = Path(".datajourney") / "warehouse"
QUARANTINE_SUFFIX = quarantined.SUFFIX
#: A Delta checkpoint every this many versions: opening a version reads the checkpoint before
#: it and the few commits after, not the whole log (Delta's default is 100).
CHECKPOINT_INTERVAL = 10
_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
Authorize = Callable[[str, str], None]
SchemaLike = schema_pb2.Schema | str | os.PathLike


@dataclass(frozen=True)
class Load:
    """What a write did: the table, the version written (None if nothing was), rows written,
    rows quarantined, the execution that recorded it, the quarantine table's version, and the
    ``WarehouseTableVersion`` artifact that records the version in the lineage."""

    table: str
    version: int | None
    rows: int
    quarantined: int
    execution_id: int | None
    quarantine_version: int | None = None
    artifact_id: int | None = None


@dataclass(frozen=True)
class TableVersion:
    """A table as one version held it (``version``), readable as Arrow or through Delta."""

    name: str
    location: str
    version: int

    def to_arrow(self, columns: list[str] | None = None) -> pa.Table:
        """The rows of this version."""
        return delta.read_table(self.location, version=self.version, columns=columns)

    def to_pandas(self) -> Any:
        return self.to_arrow().to_pandas()

    def delta_table(self) -> Any:
        """The ``deltalake.DeltaTable`` at this version."""
        return delta.open_table(self.location, self.version)


class Table:
    """One warehouse table: its location, schema, versions and time travel."""

    def __init__(self, warehouse: Warehouse, name: str):
        self.warehouse = warehouse
        self.name = name
        self.location = warehouse.location(name)

    def __repr__(self) -> str:
        return f"Table({self.name!r}, version={self.version})"

    @property
    def version(self) -> int:
        return delta.open_table(self.location).version()

    @property
    def schema(self) -> schema_pb2.Schema:
        """The table's TFMD schema now."""
        return delta.schema_at(delta.open_table(self.location))

    def history(self) -> list[delta.Version]:
        """Every version: when, who, operation, rows, the recording execution; oldest first."""
        return delta.history(delta.open_table(self.location))

    def as_of(
        self, version: int | None = None, timestamp: datetime.datetime | None = None
    ) -> TableVersion:
        """The table at a version number, or as it was at a time."""
        if (version is None) == (timestamp is None):
            raise ValueError("as_of needs a version or a timestamp")
        if timestamp is not None:
            version = delta.at_time(self.location, timestamp).version()
        delta.open_table(self.location, version)
        return TableVersion(self.name, self.location, version)

    def to_arrow(self) -> pa.Table:
        """The rows now."""
        return delta.read_table(self.location)


class Warehouse:
    """Subject-oriented Delta tables under ``root`` (default ``./.datajourney/warehouse``; a
    local folder or a URL ``deltalake`` writes to), recorded in ``store`` (a MetadataStore or
    its URL; default the embedded one). ``authorize(action, resource)`` is asked first on
    every call and raises to refuse; without one, the access policy decides (``guard``)."""

    def __init__(
        self,
        root: str | os.PathLike | None = None,
        store: MetadataStore | str | None = None,
        authorize: Authorize | None = None,
    ):
        self.root = str(root or os.environ.get("DATAJOURNEY_WAREHOUSE") or DEFAULT_ROOT.absolute())
        self._owns_store = not isinstance(store, MetadataStore)
        self.store = store if isinstance(store, MetadataStore) else MetadataStore(store)
        self.authorize = authorize

    def close(self) -> None:
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check(self, action: str, name: str) -> None:
        guard.check(self, action, name)

    # Names -------------------------------------------------------------------------------

    def location(self, name: str) -> str:
        """Where table ``subject.table`` lives."""
        match = _NAME.match(name)
        if match is None:
            raise WarehouseError(f"table name {name!r}: give subject.table (letters, digits, _)")
        if "://" in self.root:
            return f"{self.root.rstrip('/')}/{match[1]}/{match[2]}"
        return str(Path(self.root, match[1], match[2]))

    def table(self, name: str) -> Table:
        """An existing table."""
        self._check("warehouse.read", name)
        found = Table(self, name)
        base = name.removesuffix(QUARANTINE_SUFFIX)
        if base != name and _exists(self.location(base)):
            quarantined.recover(self, base)
        delta.open_table(found.location)
        return found

    def tables(self, subject: str | None = None) -> list[str]:
        """The names of the tables (of one subject), sorted (local warehouses)."""
        root = Path(self.root)
        if "://" in self.root or not root.is_dir():
            return []
        found = [
            f"{s.name}.{t.name}"
            for s in root.iterdir()
            if s.is_dir() and (subject is None or s.name == subject)
            for t in s.iterdir()
            if (t / "_delta_log").is_dir()
        ]
        return guard.visible(self, sorted(found))

    # Writing -----------------------------------------------------------------------------

    def create(
        self,
        name: str,
        schema: SchemaLike | None = None,
        *,
        like: Any = None,
        partition_by: Sequence[str] = (),
        description: str = "",
    ) -> Table:
        """Create an empty table (version 0) with a TFMD ``schema`` (a proto or a schema.pbtxt
        path), or one inferred from the data ``like`` (types, presence and shape; no domains:
        see ``_without_domains``); ``partition_by`` names columns whose values split the files
        (queries on them skip the others)."""
        self._check("warehouse.create", name)
        location = self.location(name)
        if _exists(location):
            raise TableExistsError(f"table {name} exists already at {location}", name)
        schema = self._schema(schema, like, name)
        unknown = [c for c in partition_by if c not in {f.name for f in schema.feature}]
        if unknown:
            raise WarehouseError(f"partition columns not in the schema: {', '.join(unknown)}", name)
        with leftovers.removed_on_failure(self, name):
            self._new_table(name, schema, partition_by, description)
        return Table(self, name)

    def _new_table(
        self,
        name: str,
        schema: schema_pb2.Schema,
        partition_by: Sequence[str] = (),
        description: str = "",
    ) -> Any:
        """Write version 0 of a new table (no rows) and record its context; the table."""
        metadata = {**self._meta(None, 0), delta.SCHEMA_KEY: delta.schema_text(schema)}
        self._write(
            name,
            delta.arrow_schema(schema).empty_table(),
            "error",
            metadata,
            partition_by=list(partition_by) or None,
            description=description,
            configuration={"delta.checkpointInterval": str(CHECKPOINT_INTERVAL)},
        )
        self._contexts(name)
        return delta.open_table(self.location(name))

    def _schema(self, schema: SchemaLike | None, like: Any, name: str) -> schema_pb2.Schema:
        if isinstance(schema, schema_pb2.Schema):
            return schema
        if schema is not None:
            return load_schema_text(schema)
        if like is None:
            raise WarehouseError(f"create {name}: give a schema or data to infer it from", name)
        from datajourney.stats import generate_statistics

        table = read_source(like).table
        check_inferable(table, name)
        return _without_domains(infer_schema(generate_statistics(table)))

    def load(
        self,
        name: str,
        source: Any,
        *,
        mode: str = "append",
        quarantine: bool = False,
        create: bool = False,
    ) -> Load:
        """Check ``source`` against the table's schema and write it as a new version.

        ``mode``: "append" or "overwrite" (the old rows stay readable at their versions).
        Rows that do not fit refuse the whole load (``LoadRefusedError`` with the anomalies),
        or with ``quarantine`` go to table ``<name>_quarantine`` as text with the reason, in
        the same all-or-nothing step as the version (see ``warehouse.quarantine``); rows a
        CSV reader could not split keep their file, line number and raw text there.
        ``create``: create a missing table with the schema inferred from this data; a load
        that is refused or fails then leaves no table (no files, no contexts).
        An appended version's lineage names the version it was appended to.
        """
        if mode not in ("append", "overwrite"):
            raise WarehouseError(f"mode must be append or overwrite, not {mode!r}", name)
        self._check("warehouse.load", name)
        location = self.location(name)
        if create and not _exists(location):
            with contextlib.suppress(TableExistsError):  # another process created it meanwhile
                return self._create_loading(name, source, mode, quarantine)
        table = delta.open_table(location)
        schema = delta.schema_at(table)
        data = read_source(source, schema)
        return self._load(name, table, data, judge(data, schema, name, quarantine), mode)

    def _create_loading(self, name: str, source: Any, mode: str, quarantine: bool) -> Load:
        """A new table with the schema inferred from ``source``, and its first load, all or
        nothing: data that does not fit is refused before anything is written."""
        self._check("warehouse.create", name)
        schema = self._schema(None, read_source(source).table, name)
        data = read_source(source, schema)
        checked = judge(data, schema, name, quarantine)
        with leftovers.removed_on_failure(self, name):
            return self._load(name, self._new_table(name, schema), data, checked, mode)

    def _load(self, name: str, table: Any, data: SourceData, checked: RowCheck, mode: str) -> Load:
        """Write the rows that ``judge`` let through as a new version (see ``load``)."""
        location = self.location(name)
        rows = delta.stamped(checked.rows)
        bad = checked.bad_rows.num_rows + data.malformed
        quarantined.recover(self, name)
        previous = self._version_artifact(location, table.version()) if mode == "append" else None
        with self.store.run(
            "WarehouseLoad",
            context=self._contexts(name),
            params={"table": name, "operation": "load", "mode": mode},
        ) as run:
            for artifact in self._inputs(data):
                run.input(artifact)
            if previous is not None:
                run.input(previous)
            load_id = uuid.uuid4().hex
            meta = {
                **self._meta(run.id, rows.num_rows),
                delta.QUARANTINED_KEY: str(bad),
                delta.LOAD_KEY: load_id,
            }
            staged = None
            if bad:
                bad_rows = quarantined.quarantine_rows(
                    checked.bad_rows, data.malformed_rows, run.id, load_id
                )
                staged = quarantined.stage(location, bad_rows, load_id)
            try:
                version = self._write(name, rows, mode, meta, table=table)
            except BaseException:
                if staged is not None:
                    quarantined.unstage(location, staged)
                raise
            quarantine_version = (
                quarantined.publish(self, name, staged) if staged is not None else None
            )
            output = run.output(
                "WarehouseTableVersion",
                uri=location,
                table=name,
                version=version,
                rows=float(rows.num_rows),  # a DOUBLE: INTs are 32 bits on MySQL, PostgreSQL
            )
        return Load(name, version, rows.num_rows, bad, run.id, quarantine_version, output.id)

    def _version_artifact(self, location: str, version: int) -> Artifact | None:
        """The ``WarehouseTableVersion`` artifact recording ``version`` of the table at
        ``location`` (None if no execution recorded it, e.g. a table written by others)."""
        try:
            found = self.store.get_artifacts(type_name="WarehouseTableVersion", uris=[location])
        except NotFoundError:
            return None
        matching = [a for a in found if a.properties.get("version") == version]
        return matching[-1] if matching else None

    def update(self, name: str, where: str, values: dict[str, Any]) -> Load:
        """Set ``values`` on the rows matching the SQL predicate ``where``, as a new version
        (the rows' load time becomes now; earlier versions keep the old values)."""
        self._check("warehouse.update", name)
        table = delta.open_table(self.location(name))
        schema = delta.schema_at(table)
        only = schema_pb2.Schema()
        only.CopyFrom(schema)
        del only.feature[:]
        only.feature.extend(f for f in schema.feature if f.name in values)
        judge(read_source(pa.table({k: [v] for k, v in values.items()})), only, name, False)
        now = datetime.datetime.now(datetime.UTC)
        return self._change(
            name,
            table,
            "update",
            lambda props: table.update(
                predicate=where,
                new_values={**values, delta.LOADED_AT: now},
                commit_properties=props,
            ),
            "num_updated_rows",
        )

    def delete(self, name: str, where: str) -> Load:
        """Remove the rows matching the SQL predicate ``where`` from the next version (earlier
        versions keep them)."""
        self._check("warehouse.delete", name)
        table = delta.open_table(self.location(name))
        return self._change(
            name,
            table,
            "delete",
            lambda props: table.delete(predicate=where, commit_properties=props),
            "num_deleted_rows",
        )

    def evolve(self, name: str, schema: SchemaLike) -> tuple[SchemaDiff, Load | None]:
        """Change a table's schema explicitly: the diff and the version that records it.

        New features become new (empty) columns; a feature whose type changes has its column
        rewritten in the new type (refused if a value does not convert); removed features keep
        their old values at their old versions. No change: no version.
        """
        self._check("warehouse.evolve", name)
        table = delta.open_table(self.location(name))
        old = delta.schema_at(table)
        new = self._schema(schema, None, name)
        diff = schema_diff(old, new)
        if not diff:
            return diff, None
        text = {delta.SCHEMA_KEY: delta.schema_text(new)}
        retyped = [c.feature for c in diff.changed if c.aspect == "type"]

        def write(props) -> None:
            from deltalake import write_deltalake

            if retyped:
                current = table.to_pyarrow_table()
                target = delta.arrow_schema(new)
                columns = {
                    n: _cast(current.column(n), target.field(n).type, name, n)
                    if n in retyped
                    else current.column(n)
                    for n in current.column_names
                }
                for field in target:
                    if field.name not in columns:
                        columns[field.name] = pa.nulls(current.num_rows, field.type)
                write_deltalake(
                    table,
                    pa.table(columns),
                    mode="overwrite",
                    schema_mode="overwrite",
                    commit_properties=props,
                )
            else:
                write_deltalake(
                    table,
                    delta.arrow_schema(new).empty_table(),
                    mode="append",
                    schema_mode="merge",
                    commit_properties=props,
                )

        return diff, self._change(name, table, "evolve", write, None, text)

    def _change(self, name, table, operation: str, act, metric: str | None, extra=None) -> Load:
        from deltalake import CommitProperties

        previous = self._version_artifact(self.location(name), table.version())
        with self.store.run(
            "WarehouseLoad",
            context=self._contexts(name),
            params={"table": name, "operation": operation, "mode": operation},
        ) as run:
            if previous is not None:
                run.input(previous)
            meta = {**self._meta(run.id, 0), **(extra or {})}
            result = _committing(name, lambda: act(CommitProperties(custom_metadata=meta)))
            table.update_incremental()
            version = table.version()
            rows = int((result or {}).get(metric, 0)) if metric else 0
            output = run.output(
                "WarehouseTableVersion",
                uri=self.location(name),
                table=name,
                version=version,
                rows=float(rows),
            )
        return Load(name, version, rows, 0, run.id, None, output.id)

    def _write(
        self, name: str, rows: pa.Table, mode: str, meta: dict, *, table=None, **options
    ) -> int:
        from deltalake import CommitProperties, write_deltalake

        target = table if table is not None else self.location(name)

        def write() -> None:
            write_deltalake(
                target,
                rows,
                mode=mode,
                commit_properties=CommitProperties(custom_metadata=meta),
                **options,
            )

        _committing(name, write)
        if table is not None:
            return table.version()
        return delta.open_table(self.location(name)).version()

    def _meta(self, execution_id: int | None, rows: int) -> dict[str, str]:
        return {
            delta.USER_KEY: _user(),
            delta.EXECUTION_KEY: "" if execution_id is None else str(execution_id),
            delta.ROWS_KEY: str(rows),
        }

    def _contexts(self, name: str) -> list:
        """The table's context (created, inside its subject's context, on first use; a
        process creating it at the same moment is no error)."""
        try:
            return [self._table_context(name)]
        except AlreadyExistsError:
            return [self._table_context(name)]

    def _table_context(self, name: str):
        subject, table = (
            resolve_context(self.store, s, True) for s in leftovers.context_specs(name)
        )
        if subject.id is None or table.id is None:
            subject.id = subject.id or self.store.put([subject])[0]
            table.id = table.id or self.store.put([table])[0]
            self.store.put_parent_contexts([ParentContext(child_id=table.id, parent_id=subject.id)])
        return table

    def _inputs(self, data) -> list[Artifact]:
        found = self.store.get_artifacts(ids=data.artifact_ids) if data.artifact_ids else []
        for file in data.files:
            with_uri = self.store.get_artifacts(type_name="DataFile", uris=[file])
            if with_uri:
                found.append(with_uri[-1])
            else:
                from datajourney.metadata.model import ArtifactState, NodeKind
                from datajourney.metadata.tracking import ensure_type

                type_id = ensure_type(self.store, NodeKind.ARTIFACT, "DataFile", {})
                found.append(Artifact(type_id=type_id, uri=file, state=ArtifactState.LIVE))
        return found

    # Reading -----------------------------------------------------------------------------

    def history(self, name: str) -> list[delta.Version]:
        """Every version of a table, oldest first."""
        self._check("warehouse.describe", name)
        return Table(self, name).history()

    def as_of(
        self, name: str, version: int | None = None, timestamp: datetime.datetime | None = None
    ) -> TableVersion:
        """A table at a version or time (see ``Table.as_of``)."""
        return self.table(name).as_of(version, timestamp)

    def sql(self, query: str) -> pa.Table:
        """DuckDB SQL over the tables: ``subject.table`` names a table now,
        ``wh('subject.table', 3)`` at version 3, ``wh('subject.table', '2026-01-31 12:00')``
        as it was at that time (ISO text, UTC unless it says otherwise)."""
        from .sql import run_sql

        return run_sql(self, query)

    # Upkeep ------------------------------------------------------------------------------

    def compact(self, name: str) -> Load:
        """Merge small files into larger ones (a new version holding the same rows)."""
        self._check("warehouse.compact", name)
        table = delta.open_table(self.location(name))
        return self._change(
            name,
            table,
            "compact",
            lambda props: table.optimize.compact(commit_properties=props),
            None,
        )

    def retain(self, name: str, older_than: datetime.timedelta, dry_run: bool = False) -> list[str]:
        """Remove the files only versions older than ``older_than`` need (Delta's vacuum):
        the only call that makes history unreadable. The files removed (or to remove)."""
        self._check("warehouse.retain", name)
        table = delta.open_table(self.location(name))
        hours = int(older_than.total_seconds() // 3600)
        return table.vacuum(
            retention_hours=hours, dry_run=dry_run, enforce_retention_duration=False
        )


def _without_domains(schema: schema_pb2.Schema) -> schema_pb2.Schema:
    """An inferred table schema holds the columns' types, presence and shape, but no domains:
    the values of a first load are no rule for the next (a new customer id, email or time is
    no anomaly), and the schema, written into the Delta log, keeps none of the data's values.
    Domains are curated: ``create`` with a schema, or ``evolve``."""
    for feature in schema.feature:
        feature.ClearField("domain_info")
    del schema.string_domain[:]
    return schema


def _committing(name: str, write: Callable[[], Any]) -> Any:
    """Run a Delta write; a concurrent conflicting commit is one ``ConflictError``."""
    from deltalake.exceptions import CommitFailedError, DeltaError

    try:
        return write()
    except CommitFailedError as error:
        raise ConflictError(
            f"{name}: another writer committed a conflicting change; nothing was written, "
            f"retry ({error})",
            name,
        ) from None
    except DeltaError as error:
        if "already exists" in str(error).lower():
            raise TableExistsError(f"table {name} exists already", name) from None
        raise


def _cast(column: pa.ChunkedArray, to: pa.DataType, table: str, name: str) -> pa.ChunkedArray:
    try:
        return column.cast(to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise WarehouseError(
            f"{table}: column {name} does not convert to {to}: {error}", table
        ) from None


def _exists(location: str) -> bool:
    from deltalake import DeltaTable

    return DeltaTable.is_deltatable(location)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else ""
