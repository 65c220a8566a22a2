"""The pipeline's data steps on a Dask cluster: same examples, statistics and anomalies as in one
process, with the engine and the number of partitions in the lineage."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from datajourney.pipeline import (
    CsvExampleGen,
    ExampleValidator,
    Pipeline,
    SchemaGen,
    StatisticsGen,
)
from datajourney.pipeline.artifacts import load_split_anomalies, load_split_statistics
from tests.stats.test_distributed import same

pytest.importorskip("distributed")


def _data(folder: Path, missing_column: bool) -> None:
    """Three CSV files: one with a header only, one maybe without column "c", one with text in
    column "a" that the others hold numbers in."""
    folder.mkdir()
    (folder / "a.csv").write_text("a,b,c\n")
    rows = [f"{i},{i % 3}" + ("" if missing_column else f",x{i % 4}") for i in range(40)]
    header = "a,b" if missing_column else "a,b,c"
    (folder / "b.csv").write_text("\n".join([header, *rows]) + "\n")
    rows = [f"{i / 2},{i % 5},y{i % 2}" for i in range(30)]
    (folder / "c.csv").write_text("\n".join(["a,b,c", *rows]) + "\n")


def _run(store, workspace, name: str, scheduler: str | None):
    gen = CsvExampleGen(input_base="data", dask_scheduler=scheduler)
    stats = StatisticsGen(examples=gen.outputs["examples"], dask_scheduler=scheduler)
    schema = SchemaGen(statistics=stats.outputs["statistics"])
    check = ExampleValidator(
        statistics=stats.outputs["statistics"], schema=schema.outputs["schema"]
    )
    result = Pipeline(name, [gen, stats, schema, check], store=store, root=name).run()
    assert result.ok, [r.error for r in result.results]
    return gen, stats, check


def _table(artifact, split: str):
    files = sorted((Path(artifact.uri) / f"Split-{split}").glob("*.parquet"))
    return ds.dataset(files).to_table()


def test_pipeline_on_dask_equals_one_process(dask_client, store, workspace):
    # an empty file, a file without column "c", text in a column of numbers
    _data(workspace / "data", missing_column=True)
    address = dask_client.scheduler.address
    local = _run(store, workspace, "local", None)
    dask = _run(store, workspace, "dask", address)
    for split in ("train", "eval"):
        expected, ours = _table(local[0].outputs["examples"].artifacts[0], split), None
        ours = _table(dask[0].outputs["examples"].artifacts[0], split)
        assert ours.equals(expected)  # same rows, same order, same types
        assert ours.schema.field("a").type == "double"
    local_stats = load_split_statistics(local[1].outputs["statistics"].artifacts[0])
    dask_stats = load_split_statistics(dask[1].outputs["statistics"].artifacts[0])
    for split, statistics in local_stats.items():
        same(dask_stats[split], statistics)
    assert load_split_anomalies(dask[2].outputs["anomalies"].artifacts[0]) == load_split_anomalies(
        local[2].outputs["anomalies"].artifacts[0]
    )


def test_lineage_records_the_engine_and_the_partitions(dask_client, store, workspace):
    _data(workspace / "data", missing_column=True)
    address = dask_client.scheduler.address
    gen, stats, _ = _run(store, workspace, "dask", address)
    examples = _stored(store, gen, "examples")
    assert examples.custom_properties["engine"] == "dask"
    assert examples.custom_properties["dask_scheduler"] == address
    assert json.loads(examples.custom_properties["split_partitions"]) == {"train": 3, "eval": 3}
    assert examples.custom_properties["partitions"] == 6
    statistics = _stored(store, stats, "statistics")
    assert statistics.custom_properties["engine"] == "dask"
    local, _, _ = _run(store, workspace, "local", None)
    assert local.outputs["examples"].artifacts[0].custom_properties["engine"] == "local"


def test_current_client_and_bad_scheduler(dask_client, store, workspace):
    _data(workspace / "data", missing_column=False)
    with dask_client.as_current():
        gen = CsvExampleGen(input_base="data", dask_scheduler="current")
        # the pipeline runs components in worker threads: "current" means the default client
        result = Pipeline("p", [gen], store=store, root="p").run()
    assert result.ok, result.results[0].error
    bad = CsvExampleGen(input_base="data", dask_scheduler="localhost")
    result = Pipeline("q", [bad], store=store, root="q").run()
    assert not result.ok
    assert "dask_scheduler must be a scheduler address" in result.results[0].error


def _stored(store, component, key: str):
    """The output artifact as the metadata store holds it."""
    (artifact,) = store.get_artifacts(ids=[component.outputs[key].artifacts[0].id])
    return artifact


def test_a_pipeline_setting_runs_every_data_step_on_dask(dask_client, store, workspace):
    _data(workspace / "data", missing_column=False)
    address = dask_client.scheduler.address
    gen = CsvExampleGen(input_base="data")
    stats = StatisticsGen(examples=gen.outputs["examples"])
    schema = SchemaGen(statistics=stats.outputs["statistics"])
    result = Pipeline(
        "p", [gen, stats, schema], store=store, root="p", dask_scheduler=address
    ).run()
    assert result.ok, [r.error for r in result.results]
    for step, key in ((gen, "examples"), (stats, "statistics")):
        recorded = _stored(store, step, key)
        assert recorded.custom_properties["engine"] == "dask"
        assert recorded.custom_properties["dask_scheduler"] == address
    # a step that names its own scheduler keeps it (here a malformed one, to see it was used)
    own = CsvExampleGen(input_base="data", dask_scheduler="localhost").with_id("own")
    result = Pipeline("q", [own], store=store, root="q", dask_scheduler=address).run()
    assert "dask_scheduler must be a scheduler address" in result.results[0].error
