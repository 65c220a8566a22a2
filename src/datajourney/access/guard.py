"""The one check every storage layer calls before it reads or writes a governed resource.

With no policy set, everything is allowed (writes are still audited); once a policy is set,
what no permission of the principal's roles allows is denied, audited, and raised as
``AccessDeniedError`` before anything changes.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
import os
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ..metadata.errors import FailedPreconditionError, PermissionDeniedError
from ..metadata.store import MetadataStore
from . import audit, remote, tables
from .evaluate import granting_role
from .model import ADMIN_ROLE, Action, Policy, Resource, ResourceKind, policy_from_json

_ACTING_AS: contextvars.ContextVar[str | None] = contextvars.ContextVar("principal", default=None)
_AUDITED = frozenset({Action.WRITE, Action.DELETE, Action.ADMIN})
POLICY_RESOURCE = Resource(ResourceKind.POLICY, "policy")
#: How long (seconds) a process trusts the policy it read before reading it again; a policy set
#: in this process through the same store URL takes effect at once, one set by another process
#: within this many seconds.
POLICY_CACHE_SECONDS = 1.0
_CACHE: dict[str, _Remembered] = {}
_PRIVATE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # memory:// stores
_CACHE_LOCK = threading.Lock()


class AccessDeniedError(PermissionDeniedError):
    """``principal`` may not do ``action`` to ``resource``."""

    def __init__(self, principal: str, action: Action, resource: Resource) -> None:
        super().__init__(
            f"access denied: {principal!r} may not {action.value} {resource} "
            "(no role of theirs allows it)"
        )
        self.principal = principal
        self.action = action
        self.resource = resource


def current_principal() -> str:
    """Who is acting: set by ``acting_as``, else $DATAJOURNEY_PRINCIPAL, else the login name."""
    return _ACTING_AS.get() or os.environ.get("DATAJOURNEY_PRINCIPAL") or getpass.getuser()


@contextmanager
def acting_as(principal: str) -> Iterator[None]:
    """Run the block as ``principal`` (a server does this per request)."""
    token = _ACTING_AS.set(principal)
    try:
        yield
    finally:
        _ACTING_AS.reset(token)


def policy(store: MetadataStore) -> Policy | None:
    """The policy in force, or None when access control is off (read from the database now;
    a remote store's from its server)."""
    if _remote(store):
        return remote.policy(store)
    with tables.connection(store) as conn:
        current = tables.current_policy(conn)
    return None if current is None else policy_from_json(current[1])


class _Remembered:
    """A store's policy as last read, when, and the decisions taken on it since."""

    __slots__ = ("at", "decisions", "policy")

    def __init__(self, at: float, policy: Policy | None):
        self.at = at
        self.policy = policy
        self.decisions: dict[tuple, bool] = {}

    def allows(self, who: str, action: Action, resource: Resource) -> bool:
        key = (who, action, resource.kind, resource.name, tuple(sorted(resource.tags.items())))
        found = self.decisions.get(key)
        if found is None:
            if len(self.decisions) > 10_000:
                self.decisions.clear()
            found = granting_role(self.policy, who, action, resource) is not None
            self.decisions[key] = found
        return found


def _remote(store: MetadataStore) -> bool:
    return store.url.startswith(("http://", "https://"))


def _cache_of(store: MetadataStore) -> tuple[dict | weakref.WeakKeyDictionary, object]:
    if store.url.startswith("memory:"):
        return _PRIVATE_CACHE, store
    return _CACHE, store.url


def _remembered(store: MetadataStore) -> _Remembered:
    url = store.url
    found = _PRIVATE_CACHE.get(store) if url.startswith("memory:") else _CACHE.get(url)
    now = time.monotonic()
    if found is not None and now - found.at < POLICY_CACHE_SECONDS:
        return found
    # a remote store's server enforces its own policy: nothing to remember here
    remote = _remote(store)
    found = _Remembered(float("inf") if remote else now, None if remote else policy(store))
    cache, key = _cache_of(store)
    with _CACHE_LOCK:
        cache[key] = found
    return found


def policy_in_force(store: MetadataStore) -> Policy | None:
    """``policy(store)``, remembered per store for ``POLICY_CACHE_SECONDS`` with the decisions
    taken on it (what the storage layers ask on every call, so that asking costs nothing
    measurable). None for a remote store: its server enforces its own policy."""
    return _remembered(store).policy


def forget_policy(store: MetadataStore) -> None:
    """Read the policy again on the next check (``set_policy`` does this itself)."""
    cache, key = _cache_of(store)
    with _CACHE_LOCK:
        cache.pop(key, None)


def enabled(store: MetadataStore) -> bool:
    """Whether a policy is in force for this store (cached, see ``policy_in_force``)."""
    return policy_in_force(store) is not None


def allowed(
    store: MetadataStore,
    action: Action,
    resources: Resource | Sequence[Resource],
    principal: str | None = None,
) -> bool:
    """Whether ``principal`` may do ``action`` to the resource (to any one of ``resources``);
    nothing is audited. For filtering listings down to what a principal may see."""
    remembered = _remembered(store)
    if remembered.policy is None:
        return True
    who = principal or current_principal()
    found = [resources] if isinstance(resources, Resource) else resources
    return any(remembered.allows(who, action, r) for r in found)


def check(
    store: MetadataStore,
    action: Action,
    resource: Resource,
    principal: str | None = None,
    detail: str = "",
) -> None:
    """Allow ``action`` on ``resource`` for ``principal`` (default: ``current_principal()``)
    or raise AccessDeniedError; denials and allowed writes, deletes and admin go to the audit
    log. Call it before the work's own transaction, so a denial's entry is kept."""
    check_any(store, action, [resource], principal, detail)


def check_any(
    store: MetadataStore,
    action: Action,
    resources: Sequence[Resource],
    principal: str | None = None,
    detail: str = "",
) -> None:
    """``check`` where a permission on any one of ``resources`` allows it (a warehouse table
    or its subject; a lake entry's zones), the first one named in the audit log and the error.
    A remote store's checks are its server's (a no-op here)."""
    remembered = _remembered(store)
    if remembered.policy is None and (action not in _AUDITED or remembered.at == float("inf")):
        return
    who = principal or current_principal()
    if remembered.policy is not None and not any(
        remembered.allows(who, action, r) for r in resources
    ):
        _record_denial(store, who, action, resources[0], detail)
        raise AccessDeniedError(who, action, resources[0])
    if action in _AUDITED:
        audit.record(store, who, action, resources[0], audit.ALLOWED, detail)


def _record_denial(
    store: MetadataStore, who: str, action: Action, resource: Resource, detail: str
) -> None:
    """Audit a denial, also when ``store`` was opened read-only (through a connection of its
    own, if the database lets this process write; otherwise it cannot be kept)."""
    try:
        audit.record(store, who, action, resource, audit.DENIED, detail)
    except FailedPreconditionError:
        with contextlib.suppress(Exception), MetadataStore(store.url, create=False) as writable:
            audit.record(writable, who, action, resource, audit.DENIED, detail)


def set_policy(
    store: MetadataStore, new: Policy | dict | None, principal: str | None = None
) -> int:
    """Put ``new`` in force (None turns access control off); its version number. Once a
    policy is set, only an admin may change it; a policy binding nobody to ``admin`` is refused,
    since nobody could change it afterwards. On a remote store the server decides, acting as
    the principal of the client's token (``principal`` is not sent)."""
    who = principal or current_principal()
    document = None
    if new is not None:
        parsed = new if isinstance(new, Policy) else policy_from_json(new)
        if not any(ADMIN_ROLE in roles for roles in parsed.bindings.values()):
            raise FailedPreconditionError(
                "policy: nobody holds the 'admin' role, so nobody could change it again; "
                "bind 'admin' to a principal or group"
            )
        document = parsed.to_json()
    if _remote(store):  # the server decides, acting as the principal of the client's token
        return remote.set_policy(store, document)
    forget_policy(store)  # decide on the policy in force now, not a remembered one
    check(store, Action.ADMIN, POLICY_RESOURCE, who, "policy off" if new is None else "set policy")
    try:
        with tables.connection(store) as conn:
            return tables.append_policy(conn, document, who)
    finally:
        forget_policy(store)
