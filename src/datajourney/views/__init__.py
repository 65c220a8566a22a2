"""Viewing schemas, anomalies and statistics: self-contained HTML in notebooks (inline CSS and
SVG, nothing fetched), aligned text tables in a terminal.

``display_schema``, ``display_anomalies`` and ``visualize_statistics`` show the view where the
code runs; the ``*_html`` / ``*_text`` functions return it, e.g. to write a report file.
"""

from __future__ import annotations

import sys

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import dataset_of
from datajourney.views import text
from datajourney.views.html import anomalies_html, schema_html, statistics_html
from datajourney.views.tables import anomalies_table, schema_tables, statistics_tables

Statistics = statistics_pb2.DatasetFeatureStatisticsList

__all__ = [
    "anomalies_html",
    "anomalies_text",
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


def get_statistics_html(
    lhs_statistics: Statistics,
    rhs_statistics: Statistics | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
) -> str:
    """TFDV's name for :func:`statistics_html`."""
    return statistics_html(lhs_statistics, rhs_statistics, lhs_name, rhs_name)


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


def visualize_statistics(
    lhs_statistics: Statistics,
    rhs_statistics: Statistics | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
) -> None:
    """Show the statistics, two data sets side by side when ``rhs_statistics`` is given."""
    _show(
        statistics_html(lhs_statistics, rhs_statistics, lhs_name, rhs_name),
        statistics_text(lhs_statistics, rhs_statistics, lhs_name, rhs_name),
    )
