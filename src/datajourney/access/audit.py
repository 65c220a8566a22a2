"""The audit log: who did what to which resource, when, and whether it was allowed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import weakref

import sqlalchemy as sa

from ..metadata.errors import InvalidArgumentError
from ..metadata.sql import conflicts
from ..metadata.store import MetadataStore
from . import remote, tables
from .model import Action, Resource

_INSERT = tables.AUDIT.insert()
_READY: weakref.WeakSet = weakref.WeakSet()  # store backends whose audit tables exist
ALLOWED = "allowed"
DENIED = "denied"


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: dt.datetime
    principal: str
    action: str
    resource_kind: str
    resource_name: str
    outcome: str
    detail: str

    def to_json(self) -> dict:
        return {**dataclasses.asdict(self), "at": self.at.isoformat()}


def record(
    store: MetadataStore,
    principal: str,
    action: Action,
    resource: Resource,
    outcome: str,
    detail: str = "",
) -> None:
    """Append one entry (in the caller's transaction when there is one). In a transaction of
    its own, the entry is written again when a concurrent one aborts it (a busy SQLite file, a
    PostgreSQL serialization failure), as the store's own writes are: concurrent writers slow
    an audited write down rather than fail it. In the caller's, the conflict aborts the
    caller's transaction, for the caller to rerun."""
    row = {
        "at_ms": tables.now_ms(),
        "principal": principal,
        "action": action.value,
        "resource_kind": resource.kind.value,
        "resource_name": resource.name,
        "outcome": outcome,
        "detail": detail,
    }
    conflicts.rerun(lambda: _append(store, row))


def _append(store: MetadataStore, row: dict) -> None:
    with tables.connection(store) as conn:
        if store.backend not in _READY:
            tables.ensure_tables(conn)
        try:
            conn.execute(_INSERT, row)
        except Exception:
            _READY.discard(store.backend)  # the next entry asks again (tables rolled back?)
            raise
    _READY.add(store.backend)  # its tables exist now: later entries skip asking


def audit_log(
    store: MetadataStore,
    *,
    principal: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    resource: str | None = None,
    since: dt.datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest entries first, filtered by principal, action, outcome (allowed / denied),
    resource name and time; ``limit`` at most. A remote store's is its server's (``GET
    /api/audit``, which needs ``describe`` on ``policy`` ``audit``)."""
    if limit < 1:
        raise InvalidArgumentError(f"limit must be at least 1, got {limit}")
    if outcome not in (None, ALLOWED, DENIED):
        raise InvalidArgumentError(f"outcome must be {ALLOWED!r} or {DENIED!r}, got {outcome!r}")
    if remote.is_remote(store):  # the server's log, through its API
        found = remote.audit_entries(
            store,
            principal=principal,
            action=action,
            outcome=outcome,
            resource=resource,
            since=since,
            limit=limit,
        )
        return [
            AuditEntry(**{**entry, "at": dt.datetime.fromisoformat(entry["at"])}) for entry in found
        ]
    audit = tables.AUDIT
    query = sa.select(audit).order_by(audit.c.id.desc()).limit(limit)
    for column, value in (
        (audit.c.principal, principal),
        (audit.c.action, action),
        (audit.c.outcome, outcome),
        (audit.c.resource_name, resource),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(audit.c.at_ms >= int(since.timestamp() * 1000))
    with tables.connection(store) as conn:
        if not sa.inspect(conn).has_table(audit.name):
            return []
        rows = conn.execute(query).all()
    return [
        AuditEntry(
            id=row.id,
            at=dt.datetime.fromtimestamp(row.at_ms / 1000, tz=dt.timezone.utc),
            principal=row.principal,
            action=row.action,
            resource_kind=row.resource_kind,
            resource_name=row.resource_name,
            outcome=row.outcome,
            detail=row.detail,
        )
        for row in rows
    ]
