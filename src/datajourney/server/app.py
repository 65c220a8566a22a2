"""``create_app(store)``: the one FastAPI application behind ``datajourney serve``.

URL layout (Datasette's rule: what a person sees, a program reads as JSON at the same URL):

- ``/`` and the pages below it (``/artifacts``, ``/artifacts/12``, ``/lineage/artifact/12``...):
  the web UI (``datajourney.server.ui.router``); each page has a JSON twin at the same URL
  plus ``.json`` (``/artifacts/12.json``) returning the dict the page renders.
- ``/api/...``: the REST API (``datajourney.server.api``): readable resources (``/api/artifacts``,
  ``/api/artifacts/{id}``, ``/api/lineage/{kind}/{id}``, ``/api/diff``, ``/api/snapshots``,
  ``/api/features``, ``/api/lake``, ``/api/warehouse``...) and the writes.
- ``/api/store/...``: the wire protocol of the HTTP store backend (``MetadataStore("http://...")``):
  one POST per backend call, arguments and results in ``datajourney.metadata.http.codec``.
- ``/openapi.json`` and ``/docs``: the API's OpenAPI description.

Contract between the API and the UI: both get the store with ``deps.get_store``, the caller with
``deps.get_principal`` and refuse writes with ``deps.require_writable``; the data a page shows
comes from the plain functions of ``datajourney.server.data`` (JSON-able dicts), the same ones
the API routes return, so a page, its ``.json`` twin and the API agree. Errors are raised as the
store's ``StatusError`` classes and leave as JSON (``datajourney.server.errors``).

Auth: with ``token_hashes`` (token SHA-256 hex -> principal name) every request needs
``Authorization: Bearer <token>`` (401 JSON otherwise) and ``request.state.principal`` is set;
without, no token is asked (``datajourney serve`` allows that only on 127.0.0.1). Each request
runs acting as its principal and every route asks the access policy first
(``datajourney.server.governance``). CORS is off unless ``cors_origins`` names origins.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from datajourney import __version__
from datajourney.metadata.store import MetadataStore

from . import errors
from .governance import PUBLIC_PATHS, PrincipalMiddleware

# Threads running store calls at once, per process: few enough that they do not fight over the
# interpreter lock (40, the default, doubles p99 under load), enough to overlap database waits.
STORE_THREADS = 8
__all__ = ["PUBLIC_PATHS", "STORE_THREADS", "create_app"]


def create_app(
    store: str | MetadataStore | None = None,
    *,
    read_only: bool = False,
    token_hashes: Mapping[str, str] | None = None,
    cors_origins: Sequence[str] = (),
) -> FastAPI:
    """The server application over ``store`` (a URL, an open store, or None for the default
    store: ``$DATAJOURNEY_STORE`` or ``./.datajourney/metadata.sqlite``).

    A store given as a URL (or None) is opened here and closed when the app shuts down; an
    open store is left to its owner. ``read_only`` refuses every write with 403.
    """
    owned = not isinstance(store, MetadataStore)
    opened = MetadataStore(store, read_only=read_only) if owned else store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = STORE_THREADS
        try:
            yield
        finally:
            app.state.transactions.close_all()
            if owned:
                opened.close()

    app = FastAPI(
        title="datajourney",
        version=__version__,
        description="Metadata, lineage, validation, versions and storage of ML data sets.",
        lifespan=lifespan,
    )
    from .api import router as api_router
    from .api.transactions import Transactions

    app.state.store = opened
    app.state.read_only = read_only
    app.state.token_hashes = dict(token_hashes) if token_hashes is not None else None
    app.state.transactions = Transactions(opened)
    errors.install(app)
    app.add_middleware(PrincipalMiddleware, token_hashes=app.state.token_hashes)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.include_router(api_router, prefix="/api")
    # The UI router comes last: its catch-all pages must not shadow /api or /openapi.json.
    from .ui import router as ui_router

    app.include_router(ui_router)
    return app
