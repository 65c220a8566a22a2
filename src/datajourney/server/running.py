"""Running the app: in the foreground (``datajourney serve``) or on a background thread (tests,
notebooks, benchmarks: ``with running(store) as url: MetadataStore(url)``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
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


def serve(app: FastAPI, host: str, port: int, log_level: str = "info") -> None:
    """Serve ``app`` in the foreground until interrupted."""
    _server(app, host, port, log_level).run()
