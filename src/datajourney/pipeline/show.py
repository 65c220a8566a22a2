"""Rendering the standard artifacts with :mod:`datajourney.views`."""

from __future__ import annotations

from datajourney import views
from datajourney.metadata.model import Artifact

from .artifacts import load_schema, load_split_anomalies, load_split_statistics


def artifact_html(artifact: Artifact) -> str:
    """HTML of a Schema, ExampleStatistics or ExampleAnomalies artifact (one section a split)."""
    type_name = artifact.type
    if type_name == "Schema":
        return views.schema_html(load_schema(artifact))
    if type_name == "ExampleStatistics":
        return "".join(
            f"<h3>{split}</h3>" + views.statistics_html(stats, lhs_name=split)
            for split, stats in load_split_statistics(artifact).items()
        )
    if type_name == "ExampleAnomalies":
        return "".join(
            f"<h3>{split}</h3>" + views.anomalies_html(anomalies)
            for split, anomalies in load_split_anomalies(artifact).items()
        )
    raise ValueError(f"no view for {type_name} artifacts")


def show(artifact: Artifact) -> None:
    """Show a Schema, ExampleStatistics or ExampleAnomalies artifact where the code runs."""
    if artifact.type == "Schema":
        views.display_schema(load_schema(artifact))
    elif artifact.type == "ExampleStatistics":
        for split, stats in load_split_statistics(artifact).items():
            print(f"split {split}:")
            views.visualize_statistics(stats, lhs_name=split)
    elif artifact.type == "ExampleAnomalies":
        for split, anomalies in load_split_anomalies(artifact).items():
            print(f"split {split}:")
            views.display_anomalies(anomalies)
    else:
        raise ValueError(f"no view for {artifact.type} artifacts")
