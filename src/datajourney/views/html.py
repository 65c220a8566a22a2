"""Self-contained HTML for schemas, anomalies and statistics: inline CSS and SVG, no scripts.

The pages work offline and in any notebook (nothing is fetched from a CDN).
"""

from __future__ import annotations

from html import escape

from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2, statistics_pb2

from datajourney.schema.statistics_view import FeatureView, dataset_of, features_of
from datajourney.views import svg
from datajourney.views.tables import (
    NUMERIC_HEADER,
    STRING_HEADER,
    Table,
    anomalies_table,
    numeric_row,
    schema_tables,
    string_row,
)

STYLE = """<style>
.dj-view{font-family:system-ui,sans-serif;font-size:13px}
.dj-view table{border-collapse:collapse;margin:6px 0 14px}
.dj-view th,.dj-view td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;
vertical-align:middle}
.dj-view th{background:#f4f4f4}
.dj-view .legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px;
opacity:.6}
</style>"""


def _page(body: str) -> str:
    return f'{STYLE}<div class="dj-view">{body}</div>'


def _table(
    table: Table, extra: list[tuple[str, int] | None] | None = None, extra_header: str = ""
) -> str:
    """``table`` as HTML; ``extra`` adds a last column of (HTML, rows it spans) cells, None
    where a cell above spans the row."""
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    if extra is not None:
        head += f"<th>{escape(extra_header)}</th>"
    rows = []
    for number, row in enumerate(table.rows):
        cells = "".join(f"<td>{escape(cell)}</td>" for cell in row)
        if extra is not None and extra[number] is not None:
            content, span = extra[number]
            cells += f'<td rowspan="{span}">{content}</td>'
        rows.append(f"<tr>{cells}</tr>")
    body = f"<table><tr>{head}</tr>{''.join(rows)}</table>" if table.header else ""
    return f"<h4>{escape(table.title)}</h4>{body}"


def schema_html(schema: schema_pb2.Schema) -> str:
    """The schema's features and domains as HTML tables."""
    return _page("".join(_table(t) for t in schema_tables(schema)))


def anomalies_html(anomalies: anomalies_pb2.Anomalies) -> str:
    """The anomalies per feature as an HTML table (or "No anomalies found.")."""
    return _page(_table(anomalies_table(anomalies)))


def statistics_html(
    lhs: statistics_pb2.DatasetFeatureStatisticsList,
    rhs: statistics_pb2.DatasetFeatureStatisticsList | None = None,
    lhs_name: str = "lhs_statistics",
    rhs_name: str = "rhs_statistics",
) -> str:
    """Per-feature tables with a distribution chart; with ``rhs``, both data sets in each table
    and chart (numeric histograms on shared buckets, overlaid)."""
    sides = [(lhs_name, dataset_of(lhs))]
    if rhs is not None:
        sides.append((rhs_name, dataset_of(rhs)))
    legend = "".join(
        f'<span style="background:{svg.COLORS[i]}"></span>{escape(name)} '
        f"({dataset.num_examples:,} examples)"
        for i, (name, dataset) in enumerate(sides)
    )
    views = [{v.name: v for v in features_of(dataset)} for _, dataset in sides]
    side_names = [name for name, _ in sides]
    names = list(dict.fromkeys(name for side in views for name in side))
    body = [f'<div class="legend">{legend}</div>']
    for kind, header, row in (
        ("Numeric", NUMERIC_HEADER, numeric_row),
        ("Categorical", STRING_HEADER, string_row),
    ):
        rows: list[tuple[str, ...]] = []
        charts: list[tuple[str, int] | None] = []
        for name in names:
            present = [side.get(name) for side in views]
            matching = [v if v is not None and _is(kind, v) else None for v in present]
            shown = [v for v in matching if v is not None]
            if not shown:
                continue
            rows.extend(
                ((side_names[i],) if rhs is not None else ()) + row(v)
                for i, v in enumerate(matching)
                if v is not None
            )
            charts.append((svg.chart(matching, side_names), len(shown)))
            charts.extend([None] * (len(shown) - 1))
        if rows:
            header = (("Data set",) if rhs is not None else ()) + header
            body.append(
                _table(Table(f"{kind} features", header, tuple(rows)), charts, "Distribution")
            )
    return _page("".join(body))


def _is(kind: str, view: FeatureView) -> bool:
    return (view.numeric is not None) if kind == "Numeric" else (view.strings is not None)
