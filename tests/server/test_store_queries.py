"""What the server counts and walks in SQL: the home page's counts by type, and ml-metadata's
``get_lineage_subgraph`` over a remote store (``MetadataStore("http://...")``)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

import datajourney as dj
from datajourney.metadata.model import Artifact, ArtifactType, NodeKind
from datajourney.mlmd import metadata_store
from datajourney.mlmd.proto import metadata_store_pb2 as pb
from datajourney.server import create_app
from datajourney.server.running import running


def _fill(url: str, n: int) -> None:
    with dj.MetadataStore(url) as store:
        data = store.put_type(ArtifactType(name="DataSet"))
        model = store.put_type(ArtifactType(name="Model"))
        with store.transaction():
            store.put([Artifact(type_id=data, uri=f"/d/{i}") for i in range(n)])
            store.put([Artifact(type_id=model, uri=f"/m/{i}") for i in range(3)])


def _statements(url: str) -> tuple[dict, list[str]]:
    """The summary of the store at ``url`` and the SQL statements the server ran for it."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    with TestClient(create_app(url, read_only=True)) as client:
        sa.event.listen(sa.Engine, "before_cursor_execute", record)
        try:
            summary = client.get("/api/summary").json()
        finally:
            sa.event.remove(sa.Engine, "before_cursor_execute", record)
    return summary, seen


def test_summary_counts_every_node_with_count_queries(tmp_path):
    big, small = f"sqlite:///{tmp_path / 'big.sqlite'}", f"sqlite:///{tmp_path / 'small.sqlite'}"
    _fill(big, 12_000)  # more than the 10,000 the home page used to load and count
    _fill(small, 5)
    summary, statements = _statements(big)
    assert summary["counts"]["artifacts"] == {"DataSet": 12_000, "Model": 3}
    assert summary["counts"]["executions"] == {} and summary["counts"]["contexts"] == {}
    _, few = _statements(small)
    # The same statements whatever the size: counted in the database, no node loaded.
    assert len(statements) == len(few)
    assert sum("group by" in s.lower() for s in statements) == 3
    assert not any("FROM ArtifactProperty" in s for s in statements)


def test_counts_by_type_over_a_remote_store(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    _fill(url, 4)
    with running(url) as served, dj.MetadataStore(served) as remote:
        assert remote.backend.counts_by_type(NodeKind.ARTIFACT) == {"DataSet": 4, "Model": 3}
        # A server in front of a server answers the same.
        with TestClient(create_app(served, read_only=True)) as front:
            assert front.get("/api/summary").json()["counts"]["artifacts"] == {
                "DataSet": 4,
                "Model": 3,
            }


def _drop_in(url: str) -> metadata_store.MetadataStore:
    return metadata_store.MetadataStore.over(dj.MetadataStore(url))


@pytest.mark.parametrize(
    ("start", "direction", "mask"),
    [
        ("uri LIKE '%train%'", pb.LineageSubgraphQueryOptions.DOWNSTREAM, None),
        ("type = 'Schema'", pb.LineageSubgraphQueryOptions.UPSTREAM, ["artifacts", "events"]),
        ("id > 0", pb.LineageSubgraphQueryOptions.BIDIRECTIONAL, ["executions", "context_types"]),
    ],
)
def test_get_lineage_subgraph_over_http_equals_the_local_store(demo, start, direction, mask):
    options = pb.LineageSubgraphQueryOptions(
        starting_artifacts=pb.LineageSubgraphQueryOptions.StartingNodes(filter_query=start),
        max_num_hops=4,
        direction=direction,
    )
    local = _drop_in(demo["url"])
    with running(demo["url"], read_only=True) as served:
        remote = _drop_in(served)
        try:
            got = remote.get_lineage_subgraph(options, mask)
        finally:
            remote.native.close()
    expected = local.get_lineage_subgraph(options, mask)
    local.native.close()
    assert got == expected
    assert len(got.artifacts) + len(got.executions) > 0


def test_get_lineage_subgraph_errors_are_the_same_over_http(demo):
    nothing = pb.LineageSubgraphQueryOptions(
        starting_artifacts=pb.LineageSubgraphQueryOptions.StartingNodes(filter_query="id < 0")
    )
    with running(demo["url"], read_only=True) as served:
        remote = _drop_in(served)
        try:
            with pytest.raises(dj.errors.NotFoundError, match="Cannot find qualified nodes"):
                remote.get_lineage_subgraph(nothing)
            with pytest.raises(dj.errors.InvalidArgumentError):
                remote.get_lineage_subgraph(pb.LineageSubgraphQueryOptions())
        finally:
            remote.native.close()
