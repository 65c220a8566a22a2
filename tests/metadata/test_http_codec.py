"""The remote store's wire encoding: every value the backend passes comes back equal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datajourney.metadata.deletion import DeletionPlan
from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.http.codec import decode, encode
from datajourney.metadata.lineage_graph import LineageGraph
from datajourney.metadata.model import (
    Artifact,
    ArtifactState,
    ArtifactType,
    Event,
    EventType,
    Execution,
    ExecutionState,
    NodeKind,
    PropertyType,
    ProtoValue,
)
from datajourney.metadata.sql.queries import NodeQuery


def wire(value):
    return decode(json.loads(json.dumps(encode(value))))


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
values = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(),
    st.booleans(),
    st.dictionaries(st.text(), json_like, max_size=3),
    st.builds(ProtoValue, st.text(), st.binary()),
)


@given(st.dictionaries(st.text(), values, max_size=4), st.sampled_from(list(ArtifactState)))
def test_artifacts_with_any_property_values_survive_the_wire(properties, state):
    artifact = Artifact(type_id=1, id=2, uri="/u", state=state, properties=properties)
    assert wire(artifact) == artifact


def test_model_records_and_results_survive_the_wire():
    graph = LineageGraph(
        focus=("artifact", 1),
        artifacts={1: Artifact(type_id=1, id=1)},
        executions={2: Execution(type_id=3, id=2, last_known_state=ExecutionState.FAILED)},
        events=[Event(1, 2, EventType.INPUT, ["in", 0], 5)],
        memberships={("artifact", 1): [4]},
    )
    for value in (
        graph,
        ArtifactType("Model", {"accuracy": PropertyType.DOUBLE}, version="2"),
        NodeQuery(type_name="Model", filter_query="id > 1", limit=3, ascending=False),
        DeletionPlan(artifacts=[1], events=2, executed=True),
        (7, [1, 2], [3]),
        [NodeKind.CONTEXT, {"$": "a dict with the tag key"}, {1: "int keys"}, float("inf")],
    ):
        assert wire(value) == value


@pytest.mark.parametrize(
    "message",
    [
        {"$": "os.system", "v": 1},
        {"$": "Artifact", "no_such_field": 1},
        {"$": "ArtifactState", "v": 99},
        {"$": "bytes", "b64": "***"},
        {"$": "map", "items": [[{"k": 1}, 2]]},
    ],
)
def test_a_malformed_message_is_an_invalid_argument(message):
    with pytest.raises(InvalidArgumentError):
        decode(message)
