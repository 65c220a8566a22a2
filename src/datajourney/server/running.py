"""Running the app: in the foreground (``datajourney serve``) or on a background thread (tests,
notebooks, benchmarks: ``with running(store) as url: MetadataStore(url)``)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from fastapi import FastAPI

from datajourney.metadata.errors import UnavailableError
from datajourney.metadata.store import MetadataStore

from .app import create_app


def _server(app: FastAPI, host: str, port: int, workers_log: str = "warning"):
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level=workers_log, lifespan="on")
    return uvicorn.Server(config)


@contextmanager
def running(
    app_or_store: FastAPI | MetadataStore | str,
    host: str = "127.0.0.1",
    port: int = 0,
    **app_options,
) -> Iterator[str]:
    """Serve an app (or ``create_app(store, **app_options)``) on a background thread; yields
    its base URL (``port=0``: a free port) and stops the server when the block ends."""
    app = (
        app_or_store
        if isinstance(app_or_store, FastAPI)
        else create_app(app_or_store, **app_options)
    )
    server = _server(app, host, port)
    thread = threading.Thread(target=server.run, name="datajourney-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise UnavailableError(f"the server on {host}:{port} did not start")
        time.sleep(0.005)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


OPTIONS_ENV = "DATAJOURNEY_SERVE_OPTIONS"


def serve(
    host: str,
    port: int,
    *,
    workers: int = 1,
    log_level: str = "info",
    store: str | None = None,
    read_only: bool = False,
    token_file: str | None = None,
    cors_origins: Sequence[str] = (),
) -> None:
    """Serve a store in the foreground until interrupted, in ``workers`` processes (each with
    its own connections to the store; a remote transaction stays on its connection's worker)."""
    options = {
        "store": store,
        "read_only": read_only,
        "token_file": token_file,
        "cors_origins": list(cors_origins),
    }
    if workers <= 1:
        _server(app_from_options(options), host, port, log_level).run()
        return
    import uvicorn

    os.environ[OPTIONS_ENV] = json.dumps(options)
    uvicorn.run(
        f"{__name__}:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )


def app_from_options(options: dict) -> FastAPI:
    """The app ``serve`` options describe (tokens read from the token file)."""
    from .auth import load_token_file

    token_file = options.get("token_file")
    return create_app(
        options.get("store"),
        read_only=bool(options.get("read_only")),
        token_hashes=load_token_file(token_file) if token_file else None,
        cors_origins=options.get("cors_origins") or (),
    )


def app_from_environment() -> FastAPI:
    """The app of a worker process: ``serve``'s options from ``$DATAJOURNEY_SERVE_OPTIONS``."""
    return app_from_options(json.loads(os.environ.get(OPTIONS_ENV, "{}")))
