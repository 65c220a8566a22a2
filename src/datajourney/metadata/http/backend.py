"""``HttpBackend``: the store's primitive operations as calls to a ``datajourney serve`` server.

Each call is one ``POST <base>/api/store/<operation>`` with ``{"args": [...]}`` encoded by
``codec``; the answer is ``{"result": ...}`` or a JSON error ``{"error": {"code", "message"}}``
raised here as the same ``StatusError`` class a local store raises. ``transaction()`` opens a
transaction on the server that the calls of this thread join until the block ends (commit) or
raises (rollback), so a block of calls is as atomic as on a local store.

Only the standard library is used (``http.client``, one kept-alive connection per thread), so a
remote store needs no extra package. ``$DATAJOURNEY_TOKEN`` is sent as a bearer token, and
``$DATAJOURNEY_PRINCIPAL`` as who the client acts as (heeded by a server without tokens only).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from ..deletion import DeletionPlan
from ..errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    StatusError,
    UnavailableError,
    make_exception,
)
from ..lineage import LineageSubgraph
from ..lineage_graph import LineageGraph
from ..model import (
    AnyNode,
    AnyType,
    Artifact,
    Association,
    Attribution,
    Context,
    Event,
    Execution,
    NodeKind,
    ParentContext,
)
from ..sql.queries import NodeQuery
from . import codec

TOKEN_ENV = "DATAJOURNEY_TOKEN"
# Who the client acts as on a server without tokens (a server with tokens ignores it).
PRINCIPAL_ENV = "DATAJOURNEY_PRINCIPAL"
PRINCIPAL_HEADER = "X-Datajourney-Principal"
TRANSACTION_HEADER = "X-Datajourney-Transaction"
TIMEOUT_SECONDS = 120.0
# The backend operations that write: refused by a client opened read-only, as a local store does.
WRITES = frozenset(
    {
        "put_type",
        "put",
        "put_events",
        "put_attributions_and_associations",
        "put_parent_contexts",
        "delete",
        "collect_garbage",
        "put_execution",
        "put_lineage_subgraph",
    }
)
READS = frozenset({"get_type", "find_type", "get_types", "get", "get_events", "lineage"})
# Reads the server answers in SQL itself (no StoreBackend operation of that name).
QUERIES = frozenset({"counts_by_type", "lineage_subgraph"})


_STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class HttpBackend:
    """A store backend that forwards every operation to a server (see ``StoreBackend``)."""

    def __init__(self, url: str, read_only: bool = False, create: bool = True) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidArgumentError(f"{url!r} is not an http(s)://host[:port] store URL")
        self.url = url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._read_only = read_only
        token = os.environ.get(TOKEN_ENV)
        self._headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        principal = os.environ.get(PRINCIPAL_ENV)
        if principal:
            self._headers[PRINCIPAL_HEADER] = principal
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[http.client.HTTPConnection] = []
        self._request("GET", "/api/health", None)  # fail now if nothing answers there

    # Transport ---------------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = cls(self._host, self._port, timeout=TIMEOUT_SECONDS)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _request(self, method: str, path: str, body: Any, headers: dict | None = None) -> Any:
        payload = None if body is None else json.dumps(body).encode()
        all_headers = {**self._headers, **(headers or {})}
        for attempt in range(2):
            conn = self._connection()
            reused = getattr(conn, "sock", None) is not None
            try:
                conn.request(method, self._prefix + path, payload, all_headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (TimeoutError, http.client.HTTPException, ConnectionError, OSError) as error:
                self._drop_connection()
                # A kept-alive connection the server closed while idle (it closed without a
                # word, or refused the bytes): the request was not run; send it again, once.
                if attempt == 0 and reused and isinstance(error, _STALE_CONNECTION):
                    continue
                raise UnavailableError(
                    f"store server at {self.url} unavailable: {error or type(error).__name__}"
                ) from None
        if response.getheader("Connection", "").lower() == "close":
            self._drop_connection()
        try:
            answer = json.loads(data) if data else {}
        except ValueError:
            answer = None
        if response.status >= 400 or not isinstance(answer, dict):
            error = answer.get("error") if isinstance(answer, dict) else None
            if isinstance(error, dict) and isinstance(error.get("code"), int):
                raise make_exception(str(error.get("message", "")), error["code"])
            raise UnavailableError(
                f"store server at {self.url} answered {method} {path} with HTTP "
                f"{response.status} and no store error: {data[:200]!r}"
            )
        return answer

    def _call(self, operation: str, *args: Any) -> Any:
        if self._read_only and operation in WRITES:
            raise FailedPreconditionError(f"the store is read-only: {operation} refused")
        tx = getattr(self._local, "tx", None)
        headers = {TRANSACTION_HEADER: tx} if tx else None
        answer = self._request(
            "POST", f"/api/store/{operation}", {"args": codec.encode(list(args))}, headers
        )
        return codec.decode(answer.get("result"))

    def close(self) -> None:
        """Close the connections to the server."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A transaction on the server that this thread's calls join until the block ends."""
        if getattr(self._local, "tx", None):
            yield None  # joins the enclosing block
            return
        tx = self._request("POST", "/api/store/transactions", {})["transaction"]
        self._local.tx = tx
        try:
            yield None
        except BaseException:
            self._local.tx = None
            # A failed rollback is left to the server, which rolls back idle transactions.
            with contextlib.suppress(StatusError):
                self._request("POST", f"/api/store/transactions/{tx}/rollback", {})
            raise
        self._local.tx = None
        self._request("POST", f"/api/store/transactions/{tx}/commit", {})

    # Operations (see StoreBackend) -------------------------------------------------------

    def put_type(self, t: AnyType, can_add_fields: bool, can_omit_fields: bool) -> int:
        return self._call("put_type", t, can_add_fields, can_omit_fields)

    def get_type(self, kind: NodeKind, name: str, version: str | None) -> AnyType:
        return self._call("get_type", kind, name, version)

    def find_type(self, kind: NodeKind, name: str, version: str | None) -> AnyType | None:
        return self._call("find_type", kind, name, version)

    def get_types(
        self, kind: NodeKind, ids: Sequence[int] | None, external_ids: Sequence[str] | None
    ) -> list[AnyType]:
        return self._call("get_types", kind, _list(ids), _list(external_ids))

    def put(self, items: Sequence[AnyNode], field_mask: Sequence[str] | None) -> list[int]:
        return self._call("put", list(items), _list(field_mask))

    def get(self, kind: NodeKind, query: NodeQuery) -> list[AnyNode]:
        return self._call("get", kind, query)

    def put_events(self, events: Sequence[Event]) -> None:
        self._call("put_events", list(events))

    def get_events(self, artifact_ids: Sequence[int], execution_ids: Sequence[int]) -> list[Event]:
        return self._call("get_events", list(artifact_ids), list(execution_ids))

    def put_attributions_and_associations(
        self, attributions: Sequence[Attribution], associations: Sequence[Association]
    ) -> None:
        self._call("put_attributions_and_associations", list(attributions), list(associations))

    def put_parent_contexts(self, links: Sequence[ParentContext]) -> None:
        self._call("put_parent_contexts", list(links))

    def delete(
        self, kind: NodeKind, ids: Sequence[int], cascade: bool, dry_run: bool
    ) -> DeletionPlan:
        return self._call("delete", kind, list(ids), cascade, dry_run)

    def collect_garbage(
        self,
        context_id: int | None,
        created_before_ms: int | None,
        dry_run: bool,
        mark_artifacts: bool,
    ) -> DeletionPlan:
        return self._call("collect_garbage", context_id, created_before_ms, dry_run, mark_artifacts)

    def lineage(
        self, kind: NodeKind, node_id: int, direction: str, max_hops: int | None
    ) -> LineageGraph:
        return self._call("lineage", kind, node_id, direction, max_hops)

    def put_execution(
        self,
        execution: Execution,
        artifact_and_events: Sequence[tuple[Artifact, Event | None]],
        contexts: Sequence[Context],
        reuse_context_if_already_exist: bool,
        reuse_artifact_if_already_exist_by_external_id: bool,
        force_reuse_context: bool,
    ) -> tuple[int, list[int], list[int]]:
        execution_id, artifact_ids, context_ids = self._call(
            "put_execution",
            execution,
            [tuple(pair) for pair in artifact_and_events],
            list(contexts),
            reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id,
            force_reuse_context,
        )
        return execution_id, artifact_ids, context_ids

    def put_lineage_subgraph(
        self,
        executions: Sequence[Execution],
        artifacts: Sequence[Artifact],
        contexts: Sequence[Context],
        event_edges: Sequence[tuple[int | None, int | None, Event]],
        reuse_context_if_already_exist: bool,
        reuse_artifact_if_already_exist_by_external_id: bool,
    ) -> tuple[list[int], list[int], list[int]]:
        execution_ids, artifact_ids, context_ids = self._call(
            "put_lineage_subgraph",
            list(executions),
            list(artifacts),
            list(contexts),
            [tuple(edge) for edge in event_edges],
            reuse_context_if_already_exist,
            reuse_artifact_if_already_exist_by_external_id,
        )
        return execution_ids, artifact_ids, context_ids

    # Queries the server runs in SQL (see QUERIES) ---------------------------------------

    def counts_by_type(self, kind: NodeKind) -> dict[str, int]:
        """How many nodes of ``kind`` each type has (type name -> count)."""
        return self._call("counts_by_type", kind)

    def lineage_subgraph(self, **options: Any) -> LineageSubgraph:
        """``datajourney.metadata.lineage.lineage_subgraph`` run by the server, with the same
        keyword options (starting nodes, hops, direction, ending nodes, parts)."""
        return self._call("lineage_subgraph", options)

    # Access control (the server's /api/access and /api/audit) ------------------------------

    def access_policy(self) -> dict | None:
        """The server's policy in force as JSON (None when access control is off)."""
        return self._request("GET", "/api/access/policy", None).get("policy")

    def set_access_policy(self, document: dict | None) -> int:
        """Put ``document`` in force on the server (None: off), acting as this client's
        principal; the policy's version number."""
        if self._read_only:
            raise FailedPreconditionError("the store is read-only: set_policy refused")
        if document is None:
            return self._request("DELETE", "/api/access/policy", None)["version"]
        return self._request("PUT", "/api/access/policy", document)["version"]

    def audit_entries(self, **filters: Any) -> list[dict]:
        """The server's audit log (``GET /api/audit``): entries as JSON, newest first."""
        given = {k: v for k, v in filters.items() if v is not None}
        query = urlencode(given, quote_via=quote)
        return self._request("GET", "/api/audit" + (f"?{query}" if query else ""), None)["items"]


def _list(values: Sequence | None) -> list | None:
    return None if values is None else list(values)
