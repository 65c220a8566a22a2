"""``MetadataStore("http://...")`` against a running server: the same results and errors as
a local store, atomic blocks, tokens, and a pipeline recording the same lineage."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import datajourney as dj
from datajourney.metadata import errors
from datajourney.server.auth import token_hash
from datajourney.server.running import running


@pytest.fixture
def served(tmp_path: Path):
    with running(f"sqlite:///{tmp_path / 'served.sqlite'}") as url:
        yield url


def _record(store: dj.MetadataStore) -> int:
    with store.run("Train", context=("Experiment", "x"), params={"lr": 0.1}) as run:
        run.input("DataSet", uri="/d/train.csv", split="train")
        model = run.output("Model", uri="/m/1", accuracy=0.9)
    return model.id


def test_remote_errors_are_the_local_classes(served):
    with dj.MetadataStore(served) as store:
        model = _record(store)
        with pytest.raises(errors.NotFoundError, match="Nope"):
            store.get_type(dj.ArtifactType, "Nope")
        with pytest.raises(errors.InvalidArgumentError, match="filter"):
            store.artifacts(where="bogus(")
        with pytest.raises(errors.FailedPreconditionError, match="cascade"):
            store.delete_artifacts([1])  # the Train run read it
        with pytest.raises(errors.AlreadyExistsError):
            store.put_type(dj.ArtifactType("Model", {"accuracy": dj.PropertyType.STRING}))
        graph = store.lineage(model, direction="upstream")
        assert {a.uri for a in graph.artifacts.values()} == {"/d/train.csv", "/m/1"}


def test_a_failed_block_leaves_the_remote_store_as_it_was(served):
    with dj.MetadataStore(served) as store:
        type_id = store.put_type(dj.ArtifactType("DataSet"))
        with pytest.raises(RuntimeError, match="boom"), store.transaction():
            store.put([dj.Artifact(type_id=type_id, uri="/a")])
            assert [a.uri for a in store.get_artifacts()] == ["/a"]  # seen inside the block
            raise RuntimeError("boom")
        assert store.get_artifacts() == []
        with store.transaction(), store.transaction():  # nested blocks join the outer one
            store.put([dj.Artifact(type_id=type_id, uri="/b")])
        assert [a.uri for a in store.get_artifacts()] == ["/b"]


def test_read_only_remote_client_and_read_only_server(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with dj.MetadataStore(url) as local:
        _record(local)
    with running(url) as served, dj.MetadataStore(served, read_only=True) as store:
        with pytest.raises(errors.FailedPreconditionError, match="read-only"):
            store.put_type(dj.ArtifactType("X"))
        assert len(store.artifacts()) == 2
    with running(url, read_only=True) as served, dj.MetadataStore(served) as store:
        with pytest.raises(errors.PermissionDeniedError, match="read-only"):
            store.put_type(dj.ArtifactType("X"))
        assert len(store.artifacts()) == 2


def test_nothing_listening_is_unavailable():
    with running("memory://") as served:
        pass  # stopped: its port now refuses
    with pytest.raises(errors.UnavailableError, match="unavailable"):
        dj.MetadataStore(served)


def test_tokens_from_the_environment(tmp_path, monkeypatch):
    hashes = {token_hash("s3cret"): "ci"}
    with running("memory://", token_hashes=hashes) as served:
        monkeypatch.delenv("DATAJOURNEY_TOKEN", raising=False)
        with pytest.raises(errors.UnauthenticatedError, match="needs a token"):
            dj.MetadataStore(served).artifacts()
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "wrong")
        with pytest.raises(errors.UnauthenticatedError, match="not valid"):
            dj.MetadataStore(served).artifacts()
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "s3cret")
        with dj.MetadataStore(served) as store:
            assert _record(store) == 2


def _lineage_shape(store: dj.MetadataStore, artifact_id: int, workdir: Path) -> tuple:
    """The upstream lineage with ids, types, states, events, uris relative to the run."""
    graph = store.lineage(artifact_id, direction="upstream")
    where = re.escape(str(workdir))

    def rel(uri: str | None) -> str | None:
        return re.sub(where, "<work>", uri) if uri else uri

    nodes = sorted(
        [("artifact", a.id, a.type, a.state.name, rel(a.uri)) for a in graph.artifacts.values()]
        + [
            ("execution", e.id, e.type, e.last_known_state.name, None)
            for e in graph.executions.values()
        ]
    )
    edges = sorted(
        (e.artifact_id, e.execution_id, e.type.name, tuple(e.path)) for e in graph.events
    )
    return nodes, edges


def test_a_pipeline_against_a_server_records_the_same_lineage_as_against_a_file(
    tmp_path, monkeypatch
):
    from datajourney.pipeline.demo import run_demo

    shapes = []
    for name in ("file", "server"):
        root = tmp_path / name
        monkeypatch.setenv("DATAJOURNEY_OBJECTS", str(root / "objects"))
        url = f"sqlite:///{tmp_path / (name + '.sqlite')}"
        if name == "file":
            with dj.MetadataStore(url) as store:
                result = run_demo(root / "demo", store, rows=200)
                shapes.append(_lineage_shape(store, result.anomalies_artifact.id, root))
        else:
            with running(url) as served:
                monkeypatch.setenv("DATAJOURNEY_STORE", served)
                with dj.MetadataStore() as store:  # DATAJOURNEY_STORE=http://...
                    assert store.url == served
                    result = run_demo(root / "demo", store, rows=200)
                    shapes.append(_lineage_shape(store, result.anomalies_artifact.id, root))
    assert [r.state for r in result.passes[1]] == ["CACHED"] * 6
    assert shapes[0] == shapes[1]
    assert len(shapes[0][0]) > 8


def test_environment_variable_is_not_left_set():
    assert not os.environ.get("DATAJOURNEY_STORE", "").startswith("http://127.0.0.1")


def test_serve_with_two_workers_answers_and_each_sees_the_others_writes(tmp_path):
    import json
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"sqlite:///{tmp_path / 'served.sqlite'}"
    command = [sys.executable, "-m", "datajourney.cli", "serve", "--store", url]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/health", timeout=5) as answer:
                    assert json.load(answer)["status"] == "ok"
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.2)
        with dj.MetadataStore(base) as store:
            model = _record(store)
        for _ in range(8):  # new connections, answered by either worker
            with dj.MetadataStore(base) as store:
                assert store.get_artifacts(ids=[model])[0].properties["accuracy"] == 0.9
            with urllib.request.urlopen(f"{base}/api/artifacts/{model}") as answer:
                assert json.load(answer)["uri"] == "/m/1"
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
        server.stderr.close()
