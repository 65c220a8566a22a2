"""A store the demo pipeline wrote (once per session), and clients of a server over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server tests need the server extra")

from fastapi.testclient import TestClient

from datajourney.metadata.store import MetadataStore
from datajourney.server import create_app


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> dict:
    """The demo run twice into a SQLite file: ``{"url", "workdir", "anomalies_id"}``."""
    from datajourney.pipeline.demo import run_demo

    root = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{root / 'metadata.sqlite'}"
    saved = os.environ.get("DATAJOURNEY_OBJECTS")
    os.environ["DATAJOURNEY_OBJECTS"] = str(root / "objects")
    try:
        with MetadataStore(url) as store:
            result = run_demo(root / "demo", store, rows=300)
    finally:
        if saved is None:
            os.environ.pop("DATAJOURNEY_OBJECTS", None)
        else:
            os.environ["DATAJOURNEY_OBJECTS"] = saved
    return {"url": url, "workdir": root / "demo", "anomalies_id": result.anomalies_artifact.id}


@pytest.fixture(scope="session")
def client(demo) -> Iterator[TestClient]:
    """A read-only server over the demo's store (tests here must not change it)."""
    with TestClient(create_app(demo["url"], read_only=True)) as opened:
        yield opened


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[TestClient]:
    """A server over a new, empty SQLite store."""
    with TestClient(create_app(f"sqlite:///{tmp_path / 'w.sqlite'}")) as opened:
        yield opened
