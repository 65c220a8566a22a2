"""Pipeline definitions: DAG errors, parallel branches, and what every run records."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from datajourney.metadata.store import MetadataStore
from datajourney.pipeline import (
    DefinitionError,
    Input,
    InputError,
    InteractiveContext,
    Output,
    Pipeline,
    component,
)

from .conftest import Numbers, Source, Total, read_number


def test_cycle_is_an_error(store):
    first = Source()
    a = Total(numbers=first.outputs["numbers"]).with_id("A")
    b = Total(numbers=a.outputs["total"]).with_id("B")
    a.inputs["numbers"] = b.outputs["total"]
    with pytest.raises(DefinitionError, match="cycle"):
        Pipeline("p", [first, a, b], store=store)


def test_missing_producer_is_an_error(store):
    source = Source()
    with pytest.raises(DefinitionError, match="comes from Source, which is not in the pipeline"):
        Pipeline("p", [Total(numbers=source.outputs["numbers"])], store=store)


def test_duplicate_ids_are_an_error(store):
    with pytest.raises(DefinitionError, match="duplicate component id"):
        Pipeline("p", [Source(), Source()], store=store)


def test_wrong_input_type_and_unknown_argument():
    class Other:
        pass

    @component
    def Reader(other: Input[Other]) -> None:
        pass

    with pytest.raises(TypeError, match="takes Other, got Numbers"):
        Reader(other=Source().outputs["numbers"])
    with pytest.raises(TypeError, match="unknown argument"):
        Source(size=3)


def test_interactive_input_not_run_yet(store, workspace):
    context = InteractiveContext(pipeline_root="root", store=store)
    with pytest.raises(InputError, match="run Source first"):
        context.run(Total(numbers=Source().outputs["numbers"]))


def test_components_run_in_order_and_in_parallel(workspace):
    store = MetadataStore(f"sqlite:///{workspace / 'metadata.sqlite'}")  # shared by threads
    left, right = Source(count=3).with_id("Left"), Source(count=5).with_id("Right")
    sums = [Total(numbers=s.outputs["numbers"]).with_id(f"Total{s.id}") for s in (left, right)]
    result = Pipeline("p", [*sums, left, right], store=store, root="root").run(parallel=2)
    assert result.ok
    order = [r.component_id for r in result.results]
    assert order.index("Left") < order.index("TotalLeft")
    assert order.index("Right") < order.index("TotalRight")
    assert [read_number(s.outputs["total"].artifacts[0]) for s in sums] == ["3", "10"]


def test_contexts_and_reproducibility_record(store, workspace):
    source = Source(count=2)
    result = Pipeline("demo", [source], store=store, root="root").run()
    [execution] = store.get_executions(ids=[result["Source"].execution_id])
    record = execution.custom_properties
    assert record["python_version"] == platform.python_version()
    assert record["parameters"] == '{"count": 2}'
    assert len(record["executor_source_hash"]) == 64
    assert {"git_commit", "git_dirty", "platform", "packages_digest"} <= set(record)
    contexts = {c.type: c.name for c in store.get_contexts(execution_id=execution.id)}
    assert contexts["pipeline"] == "demo"
    assert contexts["node"] == "demo.Source"
    assert contexts["pipeline_run"] == f"demo.{result.run_id}"
    [packages] = store.get_artifacts(type_name="PythonPackages")
    assert packages.custom_properties["digest"] == record["packages_digest"]
    assert "datajourney==" in Path(packages.uri).read_text()
    [output] = store.get_artifacts(type_name="Numbers")
    run_context = store.get_contexts(type_name="pipeline_run")[0]
    assert output.id in [a.id for a in store.get_artifacts(context_id=run_context.id)]


def test_a_run_keeps_what_another_writer_set_on_its_pipeline_context(store, workspace):
    @component
    def Tagger(numbers: Input[Numbers], same: Output[Numbers]) -> None:
        (Path(same.uri) / "n.txt").write_text(read_number(numbers))
        # Someone else labels the pipeline while this run goes on.
        [pipeline] = store.get_contexts(type_name="pipeline", name="tagged")
        pipeline.custom_properties["owner"] = "data-team"
        store.put([pipeline])

    source = Source(count=2)
    tagger = Tagger(numbers=source.outputs["numbers"])
    later = Total(numbers=tagger.outputs["same"])  # starts after the label was set
    result = Pipeline("tagged", [source, tagger, later], store=store, root="root").run()
    assert result.ok
    [pipeline] = store.get_contexts(type_name="pipeline", name="tagged")
    assert pipeline.custom_properties["owner"] == "data-team"
