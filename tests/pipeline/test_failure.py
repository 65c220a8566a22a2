"""An executor that raises: FAILED with its error, outputs abandoned, downstream not run, and a
re-run resumes from the cached successes."""

from __future__ import annotations

from pathlib import Path

import pytest

from datajourney.metadata.model import ArtifactState, ExecutionState
from datajourney.pipeline import (
    ComponentFailedError,
    InteractiveContext,
    Output,
    Pipeline,
    component,
)

from .conftest import Numbers, Source, Total


@component
def Flaky(numbers: Output[Numbers], marker: str = "fixed") -> None:
    (Path(numbers.uri) / "partial.txt").write_text("half")
    if not Path(marker).exists():
        raise RuntimeError("disk on fire")
    (Path(numbers.uri) / "n.txt").write_text("7")


def test_failure_is_recorded_and_stops_downstream(store, workspace):
    source = Source()
    flaky = Flaky()
    total = Total(numbers=flaky.outputs["numbers"])
    result = Pipeline("p", [source, flaky, total], store=store, root="root").run()
    assert not result.ok
    assert result["Flaky"].state == "FAILED"
    assert "RuntimeError: disk on fire" in result["Flaky"].error
    assert result["Total"].state == "SKIPPED"
    assert result["Source"].state == "COMPLETE"
    execution = store.get_executions(ids=[result["Flaky"].execution_id])[0]
    assert execution.last_known_state == ExecutionState.FAILED
    assert "disk on fire" in execution.custom_properties["error"]
    [abandoned] = [
        a
        for a in store.get_artifacts(type_name="Numbers")
        if a.custom_properties.get("producer_component") == "Flaky"
    ]
    assert abandoned.state == ArtifactState.ABANDONED
    assert not Path(abandoned.uri).exists()
    assert store.get_executions(type_name="Total") == []


def test_rerun_resumes_from_cached_successes(store, workspace):
    def build():
        source, flaky = Source(), Flaky()
        return Pipeline(
            "p", [source, flaky, Total(numbers=flaky.outputs["numbers"])], store=store, root="root"
        )

    build().run()
    Path("fixed").write_text("")
    result = build().run()
    assert result.ok
    assert [(r.component_id, r.state) for r in result.results] == [
        ("Source", "CACHED"),
        ("Flaky", "COMPLETE"),
        ("Total", "COMPLETE"),
    ]


def test_interactive_run_raises_after_recording(store, workspace):
    context = InteractiveContext(pipeline_root="root", store=store)
    with pytest.raises(ComponentFailedError, match=r"Flaky failed .*disk on fire"):
        context.run(Flaky())
    [execution] = store.get_executions(type_name="Flaky")
    assert execution.last_known_state == ExecutionState.FAILED
