"""The end-to-end demo: the covertype assignment of the seed labs on the embedded store.

First the storage step (``demo_storage``): the raw CSVs kept in the lake and loaded into
warehouse tables. Then the pipeline reads those tables: WarehouseExampleGen -> StatisticsGen ->
SchemaGen, schema curation (domains, TRAINING / SERVING environments, the label not in SERVING),
ImportSchemaGen, ExampleValidator on eval and serving, a skew / drift check; the anomalies'
lineage (down to the raw files) and an HTML report. The flow runs twice: the second pass loads
nothing and is served from cache. Then the feature store step (``demo_features``): area
features from the warehouse's training table, a point-in-time training set in the lineage,
materialized and read online.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

from datajourney import views
from datajourney.metadata.model import Artifact
from datajourney.metadata.store import DEFAULT_FOLDER, MetadataStore
from datajourney.schema import get_feature, set_domain, write_schema_text
from datajourney.validation import validate_statistics, write_anomalies_text

from .artifacts import (
    load_schema,
    load_split_anomalies,
    load_split_statistics,
    set_split_names,
    split_file,
)
from .component import component
from .components import ExampleValidator, ImportSchemaGen, SchemaGen, StatisticsGen
from .demo_data import LABEL, write_covertype
from .demo_features import FeatureStepResult, feature_step
from .demo_storage import Landed, WarehouseExampleGen, land
from .interactive import InteractiveContext
from .launcher import ComponentResult
from .lineage_tree import lineage_tree
from .ports import Input, Output
from .types import ExampleAnomalies, ExampleStatistics, Schema

PIPELINE_NAME = "covertype-demo"


@component
def SkewDriftCheck(
    statistics: Input[ExampleStatistics],
    schema: Input[Schema],
    anomalies: Output[ExampleAnomalies],
    baseline: str = "train",
    drift_split: str = "eval",
    skew_split: str = "serving",
) -> None:
    """Drift (``drift_split`` against ``baseline``) and skew (``baseline`` against
    ``skew_split``) by the schema's comparators; only comparator anomalies are kept."""
    by_split = load_split_statistics(statistics)
    curated = load_schema(schema)
    found = {
        "drift": validate_statistics(
            by_split[drift_split], curated, previous_statistics=by_split[baseline]
        ),
        "skew": validate_statistics(
            by_split[baseline], curated, serving_statistics=by_split[skew_split]
        ),
    }
    for name, result in found.items():
        target = split_file(anomalies, name, "ExampleAnomalies")
        write_anomalies_text(comparator_only(result), target)
    set_split_names(anomalies, list(found))


def comparator_only(anomalies: anomalies_pb2.Anomalies) -> anomalies_pb2.Anomalies:
    """The anomalies with only skew / drift comparator reasons left."""
    kept = anomalies_pb2.Anomalies()
    kept.CopyFrom(anomalies)
    kept.ClearField("anomaly_info")
    kept.ClearField("dataset_anomaly_info")
    for name, info in anomalies.anomaly_info.items():
        reasons = [
            r
            for r in info.reason
            if anomalies_pb2.AnomalyInfo.Type.Name(r.type).startswith("COMPARATOR_")
        ]
        if reasons:
            target = kept.anomaly_info[name]
            target.CopyFrom(info)
            del target.reason[:]
            target.reason.extend(reasons)
            target.description = " ".join(r.description for r in reasons)
    return kept


def curate(schema: schema_pb2.Schema) -> schema_pb2.Schema:
    """The lab's curation: domains, environments, the label not in SERVING, comparators."""
    for name in ("Hillshade_9am", "Hillshade_Noon", "Hillshade_3pm"):
        set_domain(schema, name, schema_pb2.IntDomain(name=name, min=0, max=255))
    set_domain(schema, "Slope", schema_pb2.IntDomain(name="Slope", min=0, max=90))
    schema.default_environment.extend(["TRAINING", "SERVING"])
    get_feature(schema, LABEL).not_in_environment.append("SERVING")
    get_feature(schema, "Wilderness_Area").skew_comparator.infinity_norm.threshold = 0.1
    get_feature(schema, "Soil_Type").drift_comparator.infinity_norm.threshold = 0.03
    return schema


@dataclass
class DemoResult:
    """What the demo did: each pass's component results, the anomalies, lineage and report."""

    passes: list[list[ComponentResult]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    anomalies: dict[str, anomalies_pb2.Anomalies] = field(default_factory=dict)
    skew_drift: dict[str, anomalies_pb2.Anomalies] = field(default_factory=dict)
    anomalies_artifact: Artifact | None = None
    lineage: str = ""
    report: Path | None = None
    store_url: str = ""
    features: FeatureStepResult | None = None
    landed: list[Landed] = field(default_factory=list)


def run_demo(
    workdir: str | Path | None = None,
    store: MetadataStore | str | None = None,
    rows: int = 4000,
    progress: Callable[[ComponentResult], None] | None = None,
) -> DemoResult:
    """Run the demo flow twice under ``workdir`` (default ``./.datajourney/demo``) with the
    store (default the embedded one); ``progress`` is called after each component."""
    work = Path(workdir or Path(DEFAULT_FOLDER) / "demo")
    store = store if isinstance(store, MetadataStore) else MetadataStore(store)
    result = DemoResult(store_url=store.url)
    for _ in range(2):
        started = time.perf_counter()
        landed = land(work, store, write_covertype(work / "data", rows=rows))
        results, parts = _one_pass(work, store, landed, progress)
        result.landed.append(landed)
        result.passes.append(results)
        result.seconds.append(time.perf_counter() - started)
    validator, skew = parts["validator"], parts["skew"]
    result.anomalies = load_split_anomalies(validator)
    result.skew_drift = load_split_anomalies(skew)
    result.anomalies_artifact = validator
    result.lineage = lineage_tree(store.lineage(validator.id, direction="upstream"))
    result.features = feature_step(work, store, landed.warehouse, landed.table("train"))
    result.report = _report(work / "report.html", parts, result)
    return result


def _one_pass(
    work: Path, store: MetadataStore, landed: Landed, progress: Callable | None
) -> tuple[list[ComponentResult], dict[str, Artifact]]:
    context = InteractiveContext(PIPELINE_NAME, pipeline_root=work / "pipeline", store=store)
    results: list[ComponentResult] = []

    def run(component):
        results.append(context.run(component))
        if progress is not None:
            progress(results[-1])
        return component

    example_gen = run(
        WarehouseExampleGen(
            train=landed.channel("train"),
            eval=landed.channel("eval"),
            serving=landed.channel("serving"),
        )
    )
    statistics_gen = run(StatisticsGen(examples=example_gen.outputs["examples"]))
    schema_gen = run(SchemaGen(statistics=statistics_gen.outputs["statistics"]))
    curated_file = work / "curated" / "schema.pbtxt"
    curated_file.parent.mkdir(parents=True, exist_ok=True)
    write_schema_text(curate(load_schema(schema_gen.outputs["schema"].artifacts[0])), curated_file)
    importer = run(ImportSchemaGen(schema_file=curated_file))
    validator = run(
        ExampleValidator(
            statistics=statistics_gen.outputs["statistics"],
            schema=importer.outputs["schema"],
            exclude_splits=["train"],
        )
    )
    skew = run(
        SkewDriftCheck(
            statistics=statistics_gen.outputs["statistics"], schema=importer.outputs["schema"]
        )
    )
    parts = {
        "statistics": statistics_gen.outputs["statistics"].artifacts[0],
        "schema": importer.outputs["schema"].artifacts[0],
        "validator": validator.outputs["anomalies"].artifacts[0],
        "skew": skew.outputs["anomalies"].artifacts[0],
    }
    return results, parts


def _report(path: Path, parts: dict[str, Artifact], result: DemoResult) -> Path:
    stats = load_split_statistics(parts["statistics"])
    sections = [
        (
            "Statistics: train against eval",
            views.statistics_html(stats["train"], stats["eval"], "train", "eval"),
        ),
        (
            "Statistics: train against serving (what the skew check compares)",
            views.statistics_html(stats["train"], stats["serving"], "train", "serving"),
        ),
        ("Curated schema", views.schema_html(load_schema(parts["schema"]))),
        *((f"Anomalies: {name}", views.anomalies_html(a)) for name, a in result.anomalies.items()),
        *((f"Check: {name}", views.anomalies_html(a)) for name, a in result.skew_drift.items()),
        ("Lineage of the anomalies", f"<pre>{html.escape(result.lineage)}</pre>"),
    ]
    if result.features is not None:
        sections.append(
            (
                "Feature store: lineage of the training set",
                f"<pre>{html.escape(result.features.lineage)}</pre>",
            )
        )
    body = "".join(f"<h2>{html.escape(title)}</h2>{content}" for title, content in sections)
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>datajourney demo</title>"
        f"</head><body><h1>datajourney demo: {PIPELINE_NAME}</h1>{body}</body></html>"
    )
    return path
