"""A component is served from cache only when code, parameters and input contents all match a
past success whose outputs are still on disk unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

from datajourney.metadata.model import ExecutionState
from datajourney.pipeline import (
    CsvExampleGen,
    Output,
    Pipeline,
    StatisticsGen,
    component,
)

from .conftest import Numbers, Source, Total, read_number, write_csv


def states(result) -> dict[str, str]:
    return {r.component_id: r.state for r in result.results}


def test_second_run_is_served_from_cache(store, workspace):
    source = Source(count=4)
    total = Total(numbers=source.outputs["numbers"])
    pipeline = Pipeline("p", [source, total], store=store, root="root")
    first = pipeline.run()
    assert states(first) == {"Source": "COMPLETE", "Total": "COMPLETE"}
    produced = total.outputs["total"].artifacts[0].id
    second = pipeline.run()
    assert states(second) == {"Source": "CACHED", "Total": "CACHED"}
    assert total.outputs["total"].artifacts[0].id == produced
    assert read_number(total.outputs["total"].artifacts[0]) == "6"
    cached = store.get_executions(ids=[second["Total"].execution_id])[0]
    assert cached.last_known_state == ExecutionState.CACHED
    assert cached.custom_properties["cached_from"] == first["Total"].execution_id


def test_changed_parameter_is_a_miss_downstream_too(store, workspace):
    Pipeline("p", [Source(count=3)], store=store, root="root").run()
    source = Source(count=5)
    total = Total(numbers=source.outputs["numbers"])
    result = Pipeline("p", [source, total], store=store, root="root").run()
    assert states(result) == {"Source": "COMPLETE", "Total": "COMPLETE"}
    assert read_number(total.outputs["total"].artifacts[0]) == "10"


def test_same_content_from_another_producer_is_a_hit_downstream(store, workspace):
    first = Source(count=3)
    Pipeline("p", [first, Total(numbers=first.outputs["numbers"])], store=store, root="r").run()
    again = Source(count=3)
    total = Total(numbers=again.outputs["numbers"])
    result = Pipeline("p", [again, total], store=store, root="r").run(enable_cache=True)
    assert states(result)["Total"] == "CACHED"


def test_changed_code_is_a_miss(store, workspace):
    Pipeline("p", [Source(count=3)], store=store, root="root").run()

    @component(name="Source")
    def changed(numbers: Output[Numbers], count: int = 3) -> None:
        (Path(numbers.uri) / "n.txt").write_text("changed")

    result = Pipeline("p", [changed(count=3)], store=store, root="root").run()
    assert states(result) == {"Source": "COMPLETE"}


def test_changed_data_is_a_miss(store, workspace):
    write_csv(workspace / "data" / "d.csv")

    def run():
        gen = CsvExampleGen(input_base="data")
        stats = StatisticsGen(examples=gen.outputs["examples"])
        return states(Pipeline("p", [gen, stats], store=store, root="root").run())

    assert run() == {"CsvExampleGen": "COMPLETE", "StatisticsGen": "COMPLETE"}
    assert run() == {"CsvExampleGen": "CACHED", "StatisticsGen": "CACHED"}
    write_csv(workspace / "data" / "d.csv", offset=1)
    assert run() == {"CsvExampleGen": "COMPLETE", "StatisticsGen": "COMPLETE"}


def test_vanished_or_changed_outputs_are_a_miss(store, workspace):
    source = Source(count=3)
    pipeline = Pipeline("p", [source], store=store, root="root")
    pipeline.run()
    artifact = source.outputs["numbers"].artifacts[0]
    shutil.rmtree(artifact.uri)
    assert states(pipeline.run()) == {"Source": "COMPLETE"}
    fresh = source.outputs["numbers"].artifacts[0]
    assert fresh.id != artifact.id
    (Path(fresh.uri) / "n.txt").write_text("tampered")
    assert states(pipeline.run()) == {"Source": "COMPLETE"}
    assert read_number(source.outputs["numbers"].artifacts[0]) == "0\n1\n2"


def test_cache_can_be_disabled(store, workspace):
    pipeline = Pipeline("p", [Source()], store=store, root="root")
    pipeline.run()
    assert states(pipeline.run(enable_cache=False)) == {"Source": "COMPLETE"}


def test_outputs_are_live_with_a_snapshot(store, workspace):
    source = Source()
    Pipeline("p", [source], store=store, root="root").run()
    [artifact] = store.get_artifacts(type_name="Numbers")
    assert artifact.state.name == "LIVE"
    assert len(artifact.custom_properties["snapshot"]) == 64
    assert Path(artifact.uri).is_relative_to(workspace / "root")
