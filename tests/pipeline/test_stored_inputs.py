"""Channel.of: artifacts already in the store (a warehouse table version, a lake entry) as a
component's input, in a pipeline and in the lineage."""

from __future__ import annotations

from pathlib import Path

import pytest

from datajourney.metadata.model import Artifact, ArtifactState
from datajourney.pipeline import Pipeline
from datajourney.pipeline.component import Channel

from .conftest import Total


def stored_numbers(store, folder: Path) -> Artifact:
    folder.mkdir(parents=True)
    (folder / "n.txt").write_text("1\n2\n3\n")
    with store.run("Import") as run:
        numbers = run.output("Numbers", uri=str(folder))
    return store.get_artifacts(ids=[numbers.id])[0]


def test_a_stored_artifact_feeds_a_component_in_a_pipeline(store, workspace):
    numbers = stored_numbers(store, workspace / "numbers")
    total = Total(numbers=Channel.of([numbers]))
    pipeline = Pipeline("p", [total], store=store, root="root")
    first = pipeline.run()
    assert first["Total"].state == "COMPLETE"
    assert (Path(total.outputs["total"].artifacts[0].uri) / "n.txt").read_text() == "6"
    upstream = store.lineage(total.outputs["total"].artifacts[0].id, "upstream").artifacts
    assert numbers.id in upstream
    assert pipeline.run()["Total"].state == "CACHED"


def test_a_stored_channel_needs_stored_artifacts_of_its_type(store, workspace):
    with pytest.raises(TypeError, match="stored artifacts"):
        Channel.of([Artifact(type_id=1, uri="x", state=ArtifactState.LIVE)])
    numbers = stored_numbers(store, workspace / "numbers")
    with pytest.raises(TypeError, match="takes Numbers"):
        Total(numbers=Channel.of([numbers], "Examples"))
