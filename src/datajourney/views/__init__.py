"""Viewing schemas, anomalies and statistics: self-contained HTML in notebooks (inline CSS and
SVG, nothing fetched), aligned text tables in a terminal.

``display_schema``, ``display_anomalies`` and ``visualize_statistics`` show the view where the
code runs; the ``*_html`` / ``*_text`` functions return it, e.g. to write a report file.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import dataset_of
from datajourney.views import text
from datajourney.views.html import anomalies_html, schema_html, statistics_html
from datajourney.views.tables import anomalies_table, schema_tables, statistics_tables

Statistics = statistics_pb2.DatasetFeatureStatisticsList

__all__ = [
    "anomalies_html",
    "anomalies_text",
    "compare_slices",
    "display_anomalies",
    "display_schema",
    "get_statistics_html",
    "schema_html",
    "schema_text",
    "statistics_html",
    "statistics_text",
    "visualize_statistics",
]


def schema_text(schema: schema_pb2.Schema, ansi: bool | None = None) -> str:
    """The schema as text tables."""
    return text.render(schema_tables(schema), ansi)


def anomalies_text(anomalies: anomalies_pb2.Anomalies, ansi: bool | None = None) -> str:
    """The anomalies as a text table."""
    return text.render([anomalies_table(anomalies)], ansi)


def statistics_text(
    lhs: Statistics,
    rhs: Statistics | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
    ansi: bool | None = None,
) -> str:
    """Per-feature statistics tables of one or two data sets."""
    tables = statistics_tables(dataset_of(lhs), lhs_name)
    if rhs is not None:
        tables += statistics_tables(dataset_of(rhs), rhs_name)
    return text.render(tables, ansi)


def _feature_steps(feature: object) -> tuple[str, ...]:
    """A feature given by name (``"a"``), steps (``["a", "b"]``) or a FeaturePath."""
    if isinstance(feature, str):
        return (feature,)
    steps = getattr(feature, "steps", None)
    return tuple(steps() if callable(steps) else feature)  # type: ignore[arg-type]


def _projected(
    statistics: Statistics | None, allowlist: object, denylist: object
) -> Statistics | None:
    """``statistics`` with only the allowed features, or without the denied ones."""
    if statistics is None or (allowlist is None and denylist is None):
        return statistics
    chosen = allowlist if allowlist is not None else denylist
    names = {_feature_steps(f) for f in ([chosen] if isinstance(chosen, str) else chosen)}  # type: ignore[union-attr]
    keep = allowlist is not None
    result = Statistics()
    result.CopyFrom(statistics)
    for dataset in result.datasets:
        features = [
            f
            for f in dataset.features
            if ((tuple(f.path.step) if f.path.step else (f.name,)) in names) == keep
        ]
        del dataset.features[:]
        dataset.features.extend(features)
    return result


def _checked(
    lhs_statistics: object, rhs_statistics: object, allowlist: object, denylist: object
) -> None:
    """TFDV's checks of the statistics views' arguments."""
    for name, value in (("lhs_statistics", lhs_statistics), ("rhs_statistics", rhs_statistics)):
        if value is not None and not isinstance(value, Statistics):
            raise TypeError(
                f"{name} is of type {type(value).__name__}, should be a "
                "DatasetFeatureStatisticsList proto."
            )
    if allowlist is not None and denylist is not None:
        raise AssertionError("Only specify one of allowlist_features and denylist_features.")


def get_statistics_html(
    lhs_statistics: Statistics,
    rhs_statistics: Statistics | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
    allowlist_features: Sequence[object] | None = None,
    denylist_features: Sequence[object] | None = None,
) -> str:
    """TFDV's name for :func:`statistics_html`; ``allowlist_features`` (or
    ``denylist_features``: not both) names the features shown (names or FeaturePaths)."""
    _checked(lhs_statistics, rhs_statistics, allowlist_features, denylist_features)
    return statistics_html(
        _projected(lhs_statistics, allowlist_features, denylist_features),
        _projected(rhs_statistics, allowlist_features, denylist_features),
        lhs_name,
        rhs_name,
    )


def _in_notebook() -> bool:
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")


def _show(html: str, plain: str) -> None:
    if _in_notebook():
        from IPython.display import HTML, display

        display(HTML(html))
    else:
        print(plain)


def display_schema(schema: schema_pb2.Schema) -> None:
    """Show the schema's features and domains (HTML in a notebook, text elsewhere)."""
    _show(schema_html(schema), schema_text(schema))


def display_anomalies(anomalies: anomalies_pb2.Anomalies) -> None:
    """Show the anomalies per feature (HTML in a notebook, text elsewhere)."""
    _show(anomalies_html(anomalies), anomalies_text(anomalies))


def compare_slices(statistics: Statistics, lhs_slice_key: str, rhs_slice_key: str) -> None:
    """Show two slices of ``statistics`` side by side, each named by its slice key
    (ValueError when ``statistics`` has no such slice)."""
    from datajourney.stats.dataset_views import get_slice_stats

    visualize_statistics(
        get_slice_stats(statistics, lhs_slice_key),
        get_slice_stats(statistics, rhs_slice_key),
        lhs_name=lhs_slice_key,
        rhs_name=rhs_slice_key,
    )


def visualize_statistics(
    lhs_statistics: Statistics,
    rhs_statistics: Statistics | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
    allowlist_features: Sequence[object] | None = None,
    denylist_features: Sequence[object] | None = None,
) -> None:
    """Show the statistics, two data sets side by side when ``rhs_statistics`` is given;
    ``allowlist_features`` or ``denylist_features`` (not both) choose the features shown."""
    _checked(lhs_statistics, rhs_statistics, allowlist_features, denylist_features)
    lhs = _projected(lhs_statistics, allowlist_features, denylist_features)
    rhs = _projected(rhs_statistics, allowlist_features, denylist_features)
    _show(
        statistics_html(lhs, rhs, lhs_name, rhs_name),  # type: ignore[arg-type]
        statistics_text(lhs, rhs, lhs_name, rhs_name),  # type: ignore[arg-type]
    )
