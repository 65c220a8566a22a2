"""The subject index: for every data file, the keyed hashes of the subject keys it holds.

``index_subjects(store)`` scans what is new or changed since the last scan (objects are
immutable, so each is read once; a table or training-set file again only when its bytes
change) and forgets files that are gone. The index holds keyed hashes, never keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..metadata.store import MetadataStore
from . import tables
from .config import ErasureConfig, Hasher, load_config, secret
from .datasets import Places, Unit, discover
from .rows import key_values

_FINGERPRINT = "index_secret_fingerprint"


@dataclass
class IndexReport:
    """What a scan did: files read, files already up to date, files that could not be read
    (dataset -> why), files forgotten, and the units known now. A dry run (``survey`` without
    writing) leaves the index as it is: the files it does not hold as they are now are read in
    memory, and ``pending`` says whether each holds the subject looked for."""

    scanned: int = 0
    unchanged: int = 0
    unreadable: dict[str, str] = field(default_factory=dict)
    forgotten: int = 0
    units: list[Unit] = field(default_factory=list)
    places: Places | None = None
    pending: dict[str, bool] = field(default_factory=dict)


def hasher_for(store: MetadataStore, config: ErasureConfig, create: bool = True) -> Hasher:
    return Hasher(secret(store, config, create))


def index_subjects(store: MetadataStore, config: ErasureConfig | None = None) -> IndexReport:
    """Bring the subject index up to date with every data file the store leads to."""
    config = config or load_config(store)
    return survey(store, config, hasher_for(store, config))


def survey(
    store: MetadataStore, config: ErasureConfig, hasher: Hasher, wanted: str | None = None
) -> IndexReport:
    """Bring the index up to date; or, given the ``wanted`` subject's hash, write nothing and
    read what the index does not hold in memory (a dry run)."""
    units, where = discover(store, config)
    report = IndexReport(units=units, places=where)
    with tables.reading(store) as conn:
        stored = tables.get_config(conn).get(_FINGERPRINT) if conn is not None else None
        scanned = tables.SCANNED.c
        known = {
            row.dataset: (row.id, row.fingerprint, row.columns)
            for row in (
                conn.execute(
                    sa.select(scanned.id, scanned.dataset, scanned.fingerprint, scanned.columns)
                )
                if conn is not None and stored == hasher.fingerprint
                else ()
            )
        }
    if stored != hasher.fingerprint and wanted is None:
        with tables.connection(store) as conn:  # another secret: the old hashes mean nothing
            conn.execute(tables.INDEX.delete())
            conn.execute(tables.SCANNED.delete())
            tables.set_config(conn, {_FINGERPRINT: hasher.fingerprint})
    current = {u.dataset for u in units}
    gone = [ids for d, (ids, _, _) in known.items() if d not in current]
    for unit in units:
        columns = config.columns_for(unit.name)
        old = known.get(unit.dataset)
        if old is not None and old[1:] == (unit.fingerprint, json.dumps(columns)):
            report.unchanged += 1
        elif wanted is not None:
            _, hashes, _ = read_unit(unit, columns, hasher, report)
            report.pending[unit.dataset] = wanted[: tables.HASH_CHARS] in hashes
        else:
            scan_unit(store, unit, columns, hasher, report, None if old is None else old[0])
    if gone and wanted is None:
        with tables.connection(store) as conn:
            for start in range(0, len(gone), 500):
                chunk = gone[start : start + 500]
                conn.execute(tables.INDEX.delete().where(tables.INDEX.c.scan_id.in_(chunk)))
                conn.execute(tables.SCANNED.delete().where(tables.SCANNED.c.id.in_(chunk)))
        report.forgotten = len(gone)
    return report


def read_unit(
    unit: Unit, columns: list[str], hasher: Hasher, report: IndexReport | None = None
) -> tuple[int, set[str], str]:
    """One file's (rows, keyed hashes of its key values, note: why it could not be read)."""
    if not columns:
        return 0, set(), "no key column configured"
    try:
        rows, values = key_values(unit.path.read_bytes(), unit.format, columns)
    except Exception as error:  # a file that does not parse is reported, not fatal
        note = f"unreadable: {type(error).__name__}: {error}"[:500]
        if report is not None:
            report.unreadable[unit.dataset] = note
        return 0, set(), note
    values += [v for k, v in partition_values(unit).items() if k in columns]
    cut = tables.HASH_CHARS
    return rows, {h[:cut] for h in map(hasher.of, values) if h is not None}, ""


def scan_unit(
    store: MetadataStore,
    unit: Unit,
    columns: list[str],
    hasher: Hasher,
    report: IndexReport | None = None,
    old_id: int | None = None,
) -> None:
    """Read one file's key values and record their keyed hashes (replacing older ones)."""
    rows, hashes, note = read_unit(unit, columns, hasher, report)
    with tables.connection(store) as conn:
        if old_id is not None:
            conn.execute(tables.INDEX.delete().where(tables.INDEX.c.scan_id == old_id))
            conn.execute(tables.SCANNED.delete().where(tables.SCANNED.c.id == old_id))
        result = conn.execute(
            tables.SCANNED.insert().values(
                dataset=unit.dataset,
                kind=unit.kind,
                fingerprint=unit.fingerprint,
                columns=json.dumps(columns),
                rows=rows,
                note=note,
                scanned_at_ms=tables.now_ms(),
            )
        )
        scan_id = int(result.inserted_primary_key[0])
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        insert = f"INSERT INTO {tables.INDEX.name} (scan_id, subject_hash) VALUES ({mark}, {mark})"
        ordered = sorted(hashes)
        for start in range(0, len(ordered), 50_000):  # the driver's executemany, no compiling
            conn.exec_driver_sql(insert, [(scan_id, h) for h in ordered[start : start + 50_000]])
    if report is not None:
        report.scanned += 1


def partition_values(unit: Unit) -> dict[str, str]:
    """The partition values a Delta file's folders name (``user_id=7/part-0.parquet``)."""
    if unit.kind != "delta":
        return {}
    from urllib.parse import unquote

    rel = unit.dataset.split("#", 1)[1]
    found = {}
    for part in rel.split("/")[:-1]:
        name, sep, value = part.partition("=")
        if sep and value != "__HIVE_DEFAULT_PARTITION__":
            found[unquote(name)] = unquote(value)
    return found


def holding(
    store: MetadataStore, subject_hash: str, report: IndexReport | None = None
) -> list[str]:
    """The datasets the index says hold the subject; with a dry run's ``report``, those it
    read in memory instead of the index's older entries."""
    pending = report.pending if report is not None else {}
    index, scanned = tables.INDEX.c, tables.SCANNED.c
    with tables.reading(store) as conn:
        rows = (
            conn.execute(
                sa.select(scanned.dataset)
                .join_from(tables.INDEX, tables.SCANNED, index.scan_id == scanned.id)
                .where(index.subject_hash == subject_hash[: tables.HASH_CHARS])
            )
            if conn is not None
            else ()
        )
        found = {row.dataset for row in rows if row.dataset not in pending}
    return sorted(found | {dataset for dataset, held in pending.items() if held})


def not_searched(store: MetadataStore, report: IndexReport) -> dict[str, str]:
    """Files of ``report`` that could not be read (dataset -> why): a subject there would be
    missed."""
    current = {u.dataset for u in report.units}
    with tables.reading(store) as conn:
        rows = (
            conn.execute(
                sa.select(tables.SCANNED.c.dataset, tables.SCANNED.c.note).where(
                    tables.SCANNED.c.note.like("unreadable%")
                )
            )
            if conn is not None
            else ()
        )
        found = {
            r.dataset: r.note
            for r in rows
            if r.dataset in current and r.dataset not in report.pending
        }
    return {**found, **report.unreadable}
