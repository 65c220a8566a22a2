"""On-demand feature views run: their inputs gathered by feature name, the transform called in
pandas or python mode, its outputs checked against the declared schema."""

from __future__ import annotations

from typing import Any

from .definitions import OnDemandFeatureView
from .errors import FeatureStoreError
from .resolve import internal_name


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
