"""Access control of a remote store (``MetadataStore("http://...")``): its server's.

The server enforces its policy on every request, acting as the principal of the client's
token; here the policy and the audit log are read and set through its API
(``/api/access/policy``, ``/api/audit``), so ``policy``, ``set_policy`` and ``audit_log``
take a remote store as they take a local one.
"""

from __future__ import annotations

import datetime as dt

from ..metadata.store import MetadataStore
from .model import Policy, policy_from_json


def is_remote(store: MetadataStore) -> bool:
    """Whether the store is a ``datajourney serve`` server."""
    return store.url.startswith(("http://", "https://"))


def policy(store: MetadataStore) -> Policy | None:
    """The server's policy in force, or None."""
    document = store.backend.access_policy()
    return None if document is None else policy_from_json(document)


def set_policy(store: MetadataStore, document: dict | None) -> int:
    """Put ``document`` (already checked) in force on the server; its version number."""
    return store.backend.set_access_policy(document)


def audit_entries(
    store: MetadataStore,
    *,
    principal: str | None,
    action: str | None,
    outcome: str | None,
    resource: str | None,
    since: dt.datetime | None,
    limit: int,
) -> list[dict]:
    """The server's audit log entries (as JSON), newest first."""
    return store.backend.audit_entries(
        principal=principal,
        action=action,
        outcome=outcome,
        resource=resource,
        since=since.isoformat() if since is not None else None,
        limit=limit,
    )
