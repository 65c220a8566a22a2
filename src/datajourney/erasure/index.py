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
    (dataset -> why), files forgotten, and the units known now."""

    scanned: int = 0
    unchanged: int = 0
    unreadable: dict[str, str] = field(default_factory=dict)
    forgotten: int = 0
    units: list[Unit] = field(default_factory=list)
    places: Places | None = None


def hasher_for(store: MetadataStore, config: ErasureConfig) -> Hasher:
    return Hasher(secret(store, config))


def index_subjects(store: MetadataStore, config: ErasureConfig | None = None) -> IndexReport:
    """Bring the subject index up to date with every data file the store leads to."""
    config = config or load_config(store)
    hasher = hasher_for(store, config)
    units, where = discover(store, config)
    report = IndexReport(units=units, places=where)
    with tables.connection(store) as conn:
        stored = tables.get_config(conn).get(_FINGERPRINT)
        if stored != hasher.fingerprint:  # another secret: the old hashes mean nothing now
            conn.execute(tables.INDEX.delete())
            conn.execute(tables.SCANNED.delete())
            tables.set_config(conn, {_FINGERPRINT: hasher.fingerprint})
        known = {
            row.dataset: (row.fingerprint, row.columns)
            for row in conn.execute(
                sa.select(
                    tables.SCANNED.c.dataset,
                    tables.SCANNED.c.fingerprint,
                    tables.SCANNED.c.columns,
                )
            )
        }
    current = {u.dataset for u in units}
    gone = [d for d in known if d not in current]
    for unit in units:
        columns = config.columns_for(unit.name)
        if known.get(unit.dataset) == (unit.fingerprint, json.dumps(columns)):
            report.unchanged += 1
            continue
        scan_unit(store, unit, columns, hasher, report)
    if gone:
        with tables.connection(store) as conn:
            for start in range(0, len(gone), 500):
                chunk = gone[start : start + 500]
                conn.execute(tables.INDEX.delete().where(tables.INDEX.c.dataset.in_(chunk)))
                conn.execute(tables.SCANNED.delete().where(tables.SCANNED.c.dataset.in_(chunk)))
        report.forgotten = len(gone)
    return report


def scan_unit(
    store: MetadataStore,
    unit: Unit,
    columns: list[str],
    hasher: Hasher,
    report: IndexReport | None = None,
) -> None:
    """Read one file's key values and record their keyed hashes (replacing older ones)."""
    note, rows, hashes = "", 0, set()
    if columns:
        try:
            rows, values = key_values(unit.path.read_bytes(), unit.format, columns)
            hashes = {h for h in map(hasher.of, values) if h is not None}
        except Exception as error:  # a file that does not parse is reported, not fatal
            note = f"unreadable: {type(error).__name__}: {error}"[:500]
            if report is not None:
                report.unreadable[unit.dataset] = note
    else:
        note = "no key column configured"
    with tables.connection(store) as conn:
        conn.execute(tables.INDEX.delete().where(tables.INDEX.c.dataset == unit.dataset))
        conn.execute(tables.SCANNED.delete().where(tables.SCANNED.c.dataset == unit.dataset))
        if hashes:
            conn.execute(
                tables.INDEX.insert(),
                [{"dataset": unit.dataset, "subject_hash": h} for h in sorted(hashes)],
            )
        conn.execute(
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
    if report is not None:
        report.scanned += 1


def holding(store: MetadataStore, subject_hash: str) -> list[str]:
    """The datasets the index says hold the subject."""
    with tables.connection(store) as conn:
        rows = conn.execute(
            sa.select(tables.INDEX.c.dataset).where(tables.INDEX.c.subject_hash == subject_hash)
        )
        return sorted(row.dataset for row in rows)


def not_searched(store: MetadataStore) -> dict[str, str]:
    """Files that could not be read (dataset -> why): a subject there would be missed."""
    with tables.connection(store) as conn:
        rows = conn.execute(
            sa.select(tables.SCANNED.c.dataset, tables.SCANNED.c.note).where(
                tables.SCANNED.c.note.like("unreadable%")
            )
        )
        return {row.dataset: row.note for row in rows}
