"""Limited listings with filters: the same answer whichever SQL form the store picks."""

from __future__ import annotations

import pytest

import datajourney.metadata as dj
from datajourney.metadata.sql import filter_query


@pytest.mark.parametrize("unselective", [5, 10_000])  # EXISTS form, IN form
@pytest.mark.parametrize(
    "where",
    [
        "properties.split.string_value = 'eval'",  # a third of the nodes
        "uri = '/d/7'",  # one node
        "properties.n.int_value > 1000",  # none
    ],
)
def test_limited_filtered_listing_is_the_head_of_the_full_one(monkeypatch, where, unselective):
    monkeypatch.setattr(filter_query, "UNSELECTIVE", unselective)
    store = dj.MetadataStore("memory://")
    data = store.put_type(
        dj.ArtifactType(
            name="D", properties={"split": dj.PropertyType.STRING, "n": dj.PropertyType.INT}
        )
    )
    splits = ("train", "eval", "test")
    store.put(
        [
            dj.Artifact(type_id=data, uri=f"/d/{i}", properties={"split": splits[i % 3], "n": i})
            for i in range(300)
        ]
    )
    everything = [a.id for a in store.get_artifacts(filter_query=where)]
    for ascending in (True, False):
        head = store.get_artifacts(filter_query=where, limit=20, ascending=ascending)
        expected = sorted(everything, reverse=not ascending)[:20]
        assert [a.id for a in head] == expected
    listed = store.artifacts(
        "D", where=where.replace(".string_value", "").replace(".int_value", ""), limit=20
    )
    assert [a.id for a in listed] == sorted(everything)[:20]
