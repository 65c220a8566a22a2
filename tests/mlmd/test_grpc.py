"""The gRPC service as a user meets it: ``datajourney serve-mlmd``, clients writing at once,
MLMD's status codes, and the two behaviours shared with the local drop-in (a property with no
value set, ``retry_options``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

grpc = pytest.importorskip("grpc", reason="the gRPC service needs grpcio (the grpc extra)")

from datajourney.mlmd import errors  # noqa: E402
from datajourney.mlmd.grpc_server import MetadataStoreServer  # noqa: E402
from datajourney.mlmd.metadata_store import metadata_store as ms  # noqa: E402
from datajourney.mlmd.proto import metadata_store_pb2 as pb  # noqa: E402
from datajourney.mlmd.proto import metadata_store_service_pb2 as svc  # noqa: E402
from datajourney.mlmd.proto.metadata_store_service_pb2_grpc import (  # noqa: E402
    MetadataStoreServiceStub,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(tmp_path: Path):
    with MetadataStoreServer(f"sqlite:///{tmp_path / 'm.sqlite'}", port=0, host="127.0.0.1") as s:
        yield s


def _client(port: int) -> ms.MetadataStore:
    return ms.MetadataStore(pb.MetadataStoreClientConfig(host="127.0.0.1", port=port))


def _dataset_type(store: ms.MetadataStore) -> int:
    t = pb.ArtifactType(name="DataSet")
    t.properties["split"] = pb.STRING
    return store.put_artifact_type(t)


def test_four_clients_writing_at_once_lose_nothing(server: MetadataStoreServer) -> None:
    type_id = _dataset_type(_client(server.port))
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        store = _client(server.port)
        try:
            for i in range(25):
                a = pb.Artifact(type_id=type_id, uri=f"/w{worker}/{i}")
                a.properties["split"].string_value = "train"
                [aid] = store.put_artifacts([a])
                e = pb.Execution(type_id=store.put_execution_type(pb.ExecutionType(name="T")))
                event = pb.Event(type=pb.Event.OUTPUT)
                a.id = aid
                store.put_execution(
                    e,
                    [(a, event)],
                    [pb.Context(type_id=ctx_type, name=f"w{worker}")],
                    reuse_context_if_already_exist=True,
                )
        except BaseException as error:  # reported below
            failures.append(error)

    ctx_type = _client(server.port).put_context_type(pb.ContextType(name="Run"))
    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    store = _client(server.port)
    uris = sorted(a.uri for a in store.get_artifacts_by_type("DataSet"))
    assert uris == sorted(f"/w{w}/{i}" for w in range(4) for i in range(25))
    assert len(store.get_executions()) == 100
    assert sorted(c.name for c in store.get_contexts()) == ["w0", "w1", "w2", "w3"]
    for context in store.get_contexts():
        assert len(store.get_artifacts_by_context(context.id)) == 25


def test_status_codes_are_mlmds(server: MetadataStoreServer) -> None:
    stub = MetadataStoreServiceStub(grpc.insecure_channel(f"127.0.0.1:{server.port}"))
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetArtifactType(svc.GetArtifactTypeRequest(type_name="nope"))
    assert raised.value.code() is grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as raised:
        stub.PutArtifacts(svc.PutArtifactsRequest(artifacts=[pb.Artifact(type_id=999)]))
    assert raised.value.code() is grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetArtifacts(
            svc.GetArtifactsRequest(options=pb.ListOperationOptions(filter_query="("))
        )
    assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    store = _client(server.port)
    with pytest.raises(errors.NotFoundError):
        store.get_artifact_type("nope")
    with pytest.raises(errors.AlreadyExistsError):
        for _ in range(2):
            store.put_contexts(
                [pb.Context(type_id=store.put_context_type(pb.ContextType(name="C")), name="x")]
            )


@pytest.mark.parametrize("remote", [False, True], ids=["local", "grpc"])
def test_a_property_with_no_value_is_invalid_argument(
    server: MetadataStoreServer, tmp_path: Path, remote: bool
) -> None:
    if remote:
        store = _client(server.port)
    else:
        config = pb.ConnectionConfig()
        config.sqlite.filename_uri = str(tmp_path / "local.sqlite")
        store = ms.MetadataStore(config)
    type_id = _dataset_type(store)
    artifact = pb.Artifact(type_id=type_id, uri="/x")
    artifact.properties["split"]  # touched, nothing assigned
    with pytest.raises(errors.InvalidArgumentError, match="Found unmatched property type: split"):
        store.put_artifacts([artifact])
    assert store.get_artifacts() == []  # nothing written


def test_retry_options_are_honoured_and_visible(tmp_path: Path) -> None:
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(tmp_path / "r.sqlite")
    assert ms.MetadataStore(config)._max_num_retries == 5
    config.retry_options.max_num_retries = 3
    store = ms.MetadataStore(config)
    assert store._max_num_retries == 3
    assert store.native.backend.attempts == 3  # a call aborted by a concurrent one runs 3 times
    assert _client(1)._max_num_retries == 5  # gRPC clients keep ml-metadata's default


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_mlmd_command(tmp_path: Path) -> None:
    port = _free_port()
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "src"))
    main = "from datajourney.cli import main; main()"
    command = [sys.executable, "-c", main, "serve-mlmd", "--store", url]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        store = _client(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                type_id = _dataset_type(store)
                break
            except errors.UnavailableError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        store.put_artifacts([pb.Artifact(type_id=type_id, uri="/served")])
    finally:
        process.terminate()
        process.wait(timeout=10)
    # what the client wrote is in the database the command served
    config = pb.ConnectionConfig()
    config.sqlite.filename_uri = str(tmp_path / "cli.sqlite")
    assert [a.uri for a in ms.MetadataStore(config).get_artifacts()] == ["/served"]


def test_methods_read_from_the_class_work_on_a_remote_store(server: MetadataStoreServer) -> None:
    # ml-metadata has one MetadataStore class, so code may pick a method off the class
    # (a table of put / get functions per node kind) and call it with any store.
    store = _client(server.port)
    put_type, put_nodes, get_nodes = (
        ms.MetadataStore.put_context_type,
        ms.MetadataStore.put_contexts,
        ms.MetadataStore.get_contexts,
    )
    type_id = put_type(store, pb.ContextType(name="Experiment"), can_add_fields=True)
    [context_id] = put_nodes(store, [pb.Context(type_id=type_id, name="demo")])
    listed = get_nodes(store, list_options=ms.ListOptions(filter_query="name = 'demo'"))
    assert [c.id for c in listed] == [context_id]
    assert isinstance(store, ms.MetadataStore)


def test_types_by_external_ids_take_the_keyword_over_grpc(server: MetadataStoreServer) -> None:
    store = _client(server.port)
    store.put_context_type(pb.ContextType(name="Run", external_id="run"))
    [found] = store.get_context_types_by_external_ids(external_ids=["run"])
    assert found.name == "Run"
