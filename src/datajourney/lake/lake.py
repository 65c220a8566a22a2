"""The lake: raw files kept as they are, catalogued, and read with a schema only when read.

lake = Lake()                                   # ./.datajourney/ (objects and metadata)
lake.ingest("landing/events", source="app", tags=["clicks"])
lake.find("events/*.json", zone="raw")
lake.sql("SELECT count(*) FROM lake('events/*.json')")
"""

from __future__ import annotations

import datetime
import glob
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from datajourney.metadata.errors import NotFoundError
from datajourney.metadata.model import (
    INPUT_EVENT_TYPES,
    ArtifactState,
    ArtifactType,
    Event,
    EventType,
    Execution,
    ExecutionState,
    NodeKind,
)
from datajourney.metadata.store import MetadataStore
from datajourney.metadata.tracking import declare_type, ensure_type, resolve_context
from datajourney.versioning.repository import Repository
from datajourney.versioning.tree import absolute_path, scan

from . import formats, guard
from .catalog import (
    DEFAULT_ZONE,
    ENTRY_PROPERTIES,
    ENTRY_TYPE,
    INGESTION_PROPERTIES,
    INGESTION_TYPE,
    ZONE_TYPE,
    Entry,
    check_tag,
    entry_of,
    glob_regex,
    latest_per_path,
    new_artifact,
    stored_time,
)
from .errors import EntryNotFoundError, LakeError
from .reading import LakeRead, read_entries, run_sql, sql_text

if TYPE_CHECKING:
    import pyarrow as pa
    from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

    from datajourney.versioning import GcResult

#: ``authorize(action, resource)`` raises to refuse; without one, the access policy decides.
Authorize = Callable[[str, str], None]
Target = Entry | str | Sequence[Entry]


@dataclass
class Ingestion:
    """What an ingestion did: its execution, the entries it added, the files already there."""

    execution_id: int
    added: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)

    @property
    def bytes_added(self) -> int:
        return sum(entry.size for entry in self.added)


@dataclass
class Retention:
    """What a retention call did: entries dropped, entries kept because lineage reads them,
    and (with ``gc``) the space freed."""

    dropped: list[Entry]
    kept_for_lineage: list[Entry]
    gc: GcResult | None = None


class Lake:
    """Raw files in the versioning layer's object store, catalogued in the metadata store.

    ``store``: a ``MetadataStore`` or its URL (default: the embedded store); ``objects``: the
    object store folder (default ``./.datajourney/objects``); ``authorize``: called as
    ``authorize(action, resource)`` before each operation, raising to refuse it.
    """

    def __init__(
        self,
        store: MetadataStore | str | None = None,
        objects: str | os.PathLike | None = None,
        authorize: Authorize | None = None,
    ):
        self._owns_store = not isinstance(store, MetadataStore)
        self.store = store if isinstance(store, MetadataStore) else MetadataStore(store)
        self.repo = Repository(objects)
        self.authorize = authorize

    def close(self) -> None:
        """Close the stores this lake opened."""
        self.repo.close()
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Lake:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check(self, action: str, resource: str) -> None:
        guard.check(self, action, resource)

    # Ingestion ---------------------------------------------------------------------------

    def ingest(
        self,
        path: str | os.PathLike,
        *,
        zone: str = DEFAULT_ZONE,
        source: str = "",
        tags: Iterable[str] = (),
        prefix: str | None = None,
    ) -> Ingestion:
        """Keep a file, a folder or the files a glob matches exactly as they are.

        Each file's lake path is its path under the folder (or the glob's fixed part), led by
        that folder's name, or by ``prefix`` when given (a single file: ``prefix/name``).
        Content already stored is not stored again; a path ingested before with the same
        content is not catalogued again (it is listed in ``unchanged``).
        """
        tags = tuple(check_tag(t) for t in tags)
        self._check("lake.ingest", f"zone:{zone}")
        roots = _roots(os.fspath(path), prefix)
        with self.repo.locked():
            found = []
            for root, lead in roots:
                manifest = scan(self.repo, root, store=True)
                found += [(lead + e.path, e, root) for e in manifest.entries]
            return self._catalogue(found, zone, source, tags, os.fspath(path))

    def _catalogue(
        self, found, zone: str, source: str, tags: tuple[str, ...], root: str
    ) -> Ingestion:
        known = {(e.path, e.digest): e for e in self._entries(zone=zone)}
        entry_type = declare_type(self.store, NodeKind.ARTIFACT, ENTRY_TYPE, ENTRY_PROPERTIES)
        now = datetime.datetime.now(datetime.UTC).timestamp()  # whole microseconds
        unchanged, artifacts, kinds = [], [], {}
        for lake_path, manifest_entry, root_path in found:
            same = known.get((lake_path, manifest_entry.digest))
            if same is not None:
                unchanged.append(same)
                continue
            digest = manifest_entry.digest
            if digest not in kinds:
                kinds[digest] = _head(self.repo.objects.path_of(digest))
            claimed = formats.name_format(lake_path)
            kind = formats.detect(kinds[digest], lake_path)
            uri = str(root_path if root_path.is_file() else root_path / manifest_entry.path)
            artifacts.append(
                new_artifact(
                    entry_type,
                    lake_path,
                    digest,
                    manifest_entry.size,
                    kind,
                    claimed if claimed and claimed != kind else None,
                    now,
                    source,
                    tags,
                    uri,
                )
            )
        execution = Execution(
            type_id=ensure_type(
                self.store, NodeKind.EXECUTION, INGESTION_TYPE, INGESTION_PROPERTIES
            ),
            properties={"root": root, "zone": zone, "source": source, "files": len(found)},
            last_known_state=ExecutionState.COMPLETE,
        )
        context = resolve_context(self.store, (ZONE_TYPE, zone), create=True)
        execution_id, ids, _ = self.store.put_execution(
            execution,
            [(a, Event(type=EventType.OUTPUT)) for a in artifacts],
            [context],
            reuse_context_if_already_exist=True,
            force_reuse_context=True,
        )
        for artifact, artifact_id in zip(artifacts, ids):
            artifact.id = artifact_id
        added = [entry_of(a, self) for a in artifacts]
        return Ingestion(execution_id, added, unchanged)

    def promote(self, entries: Iterable[Entry], zone: str) -> None:
        """Put entries in a zone too (``curated``, say); they stay in the zones they were in."""
        self._check("lake.promote", f"zone:{zone}")
        entries = list(entries)
        guard.check_read(self, entries)
        from datajourney.metadata.model import Attribution

        context = resolve_context(self.store, (ZONE_TYPE, zone), create=True)
        if context.id is None:
            context.id = self.store.put([context])[0]
        self.store.put_attributions_and_associations(
            [Attribution(artifact_id=e.id, context_id=context.id) for e in entries], []
        )

    # Listing -----------------------------------------------------------------------------

    def _entries(self, zone: str | None = None, where: Sequence[str] = ()) -> list[Entry]:
        clauses = ["state = LIVE", *where]
        try:
            found = self.store.artifacts(
                ENTRY_TYPE,
                context=(ZONE_TYPE, zone) if zone else None,
                where=" AND ".join(clauses),
            )
        except NotFoundError:  # no such zone yet
            return []
        return [entry_of(a, self) for a in found]

    def find(
        self,
        pattern: str | None = None,
        *,
        zone: str | None = None,
        tag: str | None = None,
        format: str | None = None,
        source: str | None = None,
        since: datetime.datetime | None = None,
        until: datetime.datetime | None = None,
        all_versions: bool = False,
    ) -> list[Entry]:
        """Entries whose lake path matches ``pattern`` (``*``, ``?``, ``**``), in ``zone``,
        with ``tag``, ``format``, ``source``, ingested in ``[since, until)``; the newest
        version of each path unless ``all_versions``; sorted by path."""
        self._check("lake.list", f"zone:{zone or '*'}")
        where = []
        if tag is not None:
            where.append(f"properties.tags LIKE {_quote('%,' + check_tag(tag) + ',%')}")
        if format is not None:
            where.append(f"properties.format = {_quote(format)}")
        if source is not None:
            where.append(f"properties.source = {_quote(source)}")
        if since is not None or until is not None:
            entry_type = self.store.find_type(NodeKind.ARTIFACT, ENTRY_TYPE)
        if since is not None:
            where.append(f"properties.ingested_at >= {_stored(since, entry_type)!r}")
        if until is not None:
            where.append(f"properties.ingested_at < {_stored(until, entry_type)!r}")
        found = guard.visible(self, self._entries(zone, where), zone)
        if pattern is not None:
            match = glob_regex(pattern).match
            found = [e for e in found if match(e.path)]
        if all_versions:
            return sorted(found, key=lambda e: (e.path, e.ingested_at, e.id))
        return latest_per_path(found)

    def ls(self, prefix: str = "", *, zone: str | None = None) -> list[Entry]:
        """The newest entry of every lake path under ``prefix`` (a folder or path start)."""
        return [e for e in self.find(zone=zone) if e.path.startswith(prefix)]

    def entry(self, ref: int | str) -> Entry:
        """The entry with this artifact id, or the newest one with this lake path."""
        if isinstance(ref, int):
            found = self.store.get_artifacts(ids=[ref])
            if (
                found
                and self.store.get_types(NodeKind.ARTIFACT, ids=[found[0].type_id])[0].name
                == ENTRY_TYPE
            ):
                return entry_of(found[0], self)
        else:
            found = [e for e in self.find() if e.path == ref]
            if found:
                return found[0]
        raise EntryNotFoundError(f"no lake entry {ref!r}", str(ref))

    # Reading -----------------------------------------------------------------------------

    def resolve(self, target: Target, zone: str | None = None) -> list[Entry]:
        """The entries a target names: an entry, entries, or a lake path pattern."""
        if isinstance(target, Entry):
            return [target]
        if isinstance(target, str):
            found = self.find(target, zone=zone)
            if not found:
                raise EntryNotFoundError(f"no lake entry matches {target!r}", target)
            return found
        entries = list(target)
        if not entries:
            raise EntryNotFoundError("no lake entry given")
        return entries

    def read(
        self,
        target: Target,
        *,
        schema: schema_pb2.Schema | None = None,
        zone: str | None = None,
        allow_new_columns: bool = False,
    ) -> LakeRead:
        """Read entries (an entry, entries, or a lake path pattern) as one table.

        Without ``schema`` the types are found at read time; with a TFMD ``schema`` the rows
        are typed by it, and rows that do not fit it go to ``bad_rows`` and ``anomalies``.
        CSV rows with the wrong number of fields go there in either case.
        """
        entries = self.resolve(target, zone)
        guard.check_read(self, entries, zone)
        return read_entries(entries, schema, allow_new_columns)

    def sql(self, query: str, zone: str | None = None) -> pa.Table:
        """Run DuckDB SQL where ``lake('pattern')`` is a table of the matching entries."""
        import duckdb

        def resolve(pattern: str) -> list[Entry]:
            entries = self.find(pattern, zone=zone)
            guard.check_read(self, entries, zone)
            return entries

        text, entries = sql_text(query, resolve)
        con = duckdb.connect()
        try:
            return run_sql(con, text, entries)
        finally:
            con.close()

    def statistics(
        self, target: Target, zone: str | None = None
    ) -> statistics_pb2.DatasetFeatureStatisticsList:
        """Statistics of entries read as a table (``datajourney.stats``)."""
        from datajourney.stats import generate_statistics

        return generate_statistics(self.read(target, zone=zone).table)

    # Retention ---------------------------------------------------------------------------

    def retain(
        self,
        older_than: datetime.datetime,
        *,
        zone: str | None = None,
        dry_run: bool = False,
        gc: bool = False,
    ) -> Retention:
        """Drop entries ingested before ``older_than`` (in ``zone``), except those an execution
        read (lineage still needs them). ``gc`` then frees the space no live artifact or kept
        snapshot needs (versioning's ``gc``)."""
        self._check("lake.retain", f"zone:{zone or '*'}")
        old = self.find(zone=zone, until=older_than, all_versions=True)
        read = (
            {
                e.artifact_id
                for e in self.store.get_events(artifact_ids=[x.id for x in old])
                if e.type in INPUT_EVENT_TYPES
            }
            if old
            else set()
        )
        dropped = [e for e in old if e.id not in read]
        kept = [e for e in old if e.id in read]
        if dropped and not dry_run:
            artifacts = self.store.get_artifacts(ids=[e.id for e in dropped])
            self.store.put(
                [replace(a, state=ArtifactState.DELETED) for a in artifacts], field_mask=["state"]
            )
        freed = None
        if gc and not dry_run:
            from datajourney.versioning import gc as collect

            freed = collect(store=self.store, objects=self.repo)
        return Retention(dropped, kept, freed)


def _roots(path: str, prefix: str | None) -> list[tuple[Path, str]]:
    """(file or folder to scan, lake path lead) for a path or glob."""
    lead = "" if not prefix else prefix.strip("/") + "/"
    if glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        files = [Path(m).absolute() for m in matches if os.path.isfile(m)]
        if not files:
            raise LakeError(f"no file matches {path!r}", path)
        fixed = Path(_fixed_part(path)).absolute()
        lead = lead if prefix is not None else (fixed.name + "/" if fixed.name else "")
        return [(f, lead + _parent_part(f, fixed)) for f in files]
    root = absolute_path(path)
    if root.is_dir():
        lead = lead if prefix is not None else root.name + "/"
    return [(root, lead)]


def _fixed_part(pattern: str) -> str:
    parts = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return str(Path(*parts)) if parts else "."


def _parent_part(file: Path, fixed: Path) -> str:
    relative = file.parent.relative_to(fixed).as_posix()
    return "" if relative == "." else relative + "/"


def _head(path: Path) -> bytes:
    with open(path, "rb") as file:
        return file.read(formats.HEAD_BYTES)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _stored(moment: datetime.datetime, entry_type: ArtifactType | None) -> float | int:
    """A moment as entries of this type store ``ingested_at`` (a naive one is local time)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return stored_time(entry_type, moment.timestamp())
