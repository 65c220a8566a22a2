"""On-demand feature views run: their inputs gathered by feature name, the transform called in
pandas or python mode, its outputs checked against the declared schema; on read (added to a
historical retrieval's rows) and on write (rows computed to be stored online)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .definitions import OnDemandFeatureView
from .errors import FeatureStoreError
from .resolve import Resolved, internal_name
from .values import checked_table, python_values, result_column

if TYPE_CHECKING:
    import pyarrow as pa

    from .repo import Definitions


def _inputs(view: OnDemandFeatureView, columns: dict[str, list]) -> dict[str, list]:
    """The transform's input columns: each source feature by name and by ``view__feature``,
    each request field by name."""
    inputs: dict[str, list] = {}
    for projection in view.source_projections:
        for feature in projection.features:
            values = columns[internal_name(projection.name, feature.name)]
            inputs[feature.name] = values
            inputs[internal_name(projection.name, feature.name)] = values
    for request in view.request_sources:
        for f in request.schema:
            if f.name not in columns:
                raise FeatureStoreError(
                    f"on-demand feature view {view.name!r} needs request data {f.name!r}; "
                    "give it as a column of the entity rows"
                )
            inputs[f.name] = columns[f.name]
    return inputs


def run_on_demand(
    view: OnDemandFeatureView, columns: dict[str, list], rows: int
) -> dict[str, list]:
    """The view's features for ``rows`` rows, from ``columns`` (internal names and request
    fields, as lists); returns internal name -> list."""
    inputs = _inputs(view, columns)
    try:
        if view.mode == "pandas":
            import pandas as pd

            frame = pd.DataFrame(inputs, index=range(rows))
            result = view.udf(frame)
            produced = {
                name: result[name].tolist() for name in result.columns if name in _names(view)
            }
        elif view.singleton:
            produced = {f.name: [] for f in view.schema}
            for i in range(rows):
                one = view.udf({k: v[i] for k, v in inputs.items()})
                for name in produced:
                    produced[name].append(one.get(name))
        else:
            result = view.udf(dict(inputs))
            produced = {k: list(v) for k, v in result.items() if k in _names(view)}
    except FeatureStoreError:
        raise
    except Exception as error:
        raise FeatureStoreError(
            f"on-demand feature view {view.name!r} failed: {type(error).__name__}: {error}"
        ) from error
    missing = [n for n in _names(view) if n not in produced]
    if missing:
        raise FeatureStoreError(
            f"on-demand feature view {view.name!r} did not return {missing[0]!r}"
        )
    return {internal_name(view.name, n): _plain(v) for n, v in produced.items()}


def _names(view: OnDemandFeatureView) -> list[str]:
    return [f.name for f in view.schema]


def _plain(values: list) -> list[Any]:
    return [v.item() if hasattr(v, "item") else v for v in values]


def on_demand_rows(view: OnDemandFeatureView, frame: Any) -> pa.Table:
    """The on-demand view's join keys, event time and computed features for the input
    rows (checked first: nothing is written when they do not fit)."""
    import pyarrow as pa

    if not view.write_to_online_store:
        raise FeatureStoreError(
            f"on-demand feature view {view.name!r} is computed on read; declare "
            "write_to_online_store=True to store its values"
        )
    inputs = [f for p in view.source_projections for f in p.features]
    inputs += [f for r in view.request_sources for f in r.schema]
    table = checked_table(
        frame,
        list({f.name: f for f in inputs}.values()),
        [*view.join_keys, view.timestamp_field],
        f"rows for {view.name!r}",
        [view.timestamp_field],
    )
    declared = {f.name: f for f in inputs}
    columns = {name: python_values(table[name], declared.get(name)) for name in table.column_names}
    for projection in view.source_projections:
        for f in projection.features:
            columns[internal_name(projection.name, f.name)] = columns[f.name]
    produced = run_on_demand(view, columns, table.num_rows)
    computed = {f.name: produced[internal_name(view.name, f.name)] for f in view.schema}
    keep = {k: table[k] for k in [*view.join_keys, view.timestamp_field]}
    return checked_table(
        pa.table({**keep, **computed}), view.schema, [], f"results of {view.name!r}"
    )


def with_on_demand(
    joined: pa.Table, entity_columns: list[str], resolved: Resolved, definitions: Definitions
) -> pa.Table:
    """Compute the on-demand features and keep the entity columns and the requested outputs,
    in request order, under their output names."""
    import pyarrow as pa

    columns = {name: joined[name] for name in joined.column_names}
    if resolved.on_demand:
        lists = {name: python_values(joined[name], None) for name in joined.column_names}
        for name in resolved.on_demand:
            view = definitions.on_demand[name]
            produced = run_on_demand(view, lists, joined.num_rows)
            types = {internal_name(name, f.name): f for f in view.schema}
            for column, data in produced.items():
                columns[column] = result_column(data, types[column], f"results of {name!r}")
    output = {name: columns[name] for name in entity_columns}
    for internal, out in resolved.outputs:
        output[out] = columns[internal]
    return pa.table(output)
