"""Online reads: the stored values of each entity row's views (and of on-demand views stored on
write), with their event times and read states, and the on-demand views computed on read."""

from __future__ import annotations

import json
from typing import Any

from .errors import RetrievalError
from .jobs import OnlineResponse
from .online import OnlineStore, entity_key
from .repo import Definitions
from .resolve import Resolved, internal_name
from .transforms import run_on_demand
from .values import decode, needs_decoding


def read_online(
    online_store: OnlineStore,
    project: str,
    definitions: Definitions,
    resolved: Resolved,
    columns: dict[str, list[Any]],
    now: int,
    honor_ttl: bool,
) -> OnlineResponse:
    """The response for entity rows given as ``columns`` (join key -> values); with
    ``honor_ttl`` a value older than ``now`` (epoch microseconds) minus its view's ttl reads as
    None, state ``OUTSIDE_MAX_AGE``."""
    count = len(next(iter(columns.values()), []))
    values: dict[str, list] = {}
    found_at: dict[str, tuple[list, list] | None] = {}  # event times and read states
    key_names: list[str] = []
    reads = [(definitions.views[name], wanted) for name, wanted in resolved.views.items()]
    reads += [
        (definitions.on_demand[name], wanted)
        for name, wanted in resolved.on_demand.items()
        if definitions.on_demand[name].write_to_online_store
    ]
    for view, wanted in reads:
        view_name = view.name
        for k in view.join_keys:
            if k not in columns:
                raise RetrievalError(f"entity rows lack join key {k!r} of view {view_name!r}")
            if k not in key_names:
                key_names.append(k)
        keys = [entity_key(parts) for parts in zip(*(columns[k] for k in view.join_keys))]
        stored = online_store.read(project, view_name, keys)
        ttl_us = int(view.ttl_seconds * 1_000_000) if honor_ttl else 0
        fields = {f.name: f for f in view.features}
        lists = {internal_name(view_name, f): [] for f in wanted}
        targets = [
            (f, fields[f], lists[internal_name(view_name, f)], needs_decoding(fields[f]))
            for f in wanted
        ]
        events, states = [], []
        for found in stored:
            if found is None or (ttl_us and found[0] < now - ttl_us):
                states.append("NOT_FOUND" if found is None else "OUTSIDE_MAX_AGE")
                for _, _, out, _ in targets:
                    out.append(None)
            else:
                row = json.loads(found[1])
                states.append("PRESENT")
                for name, field, out, decoded in targets:
                    value = row.get(name)
                    out.append(decode(value, field) if decoded else value)
            events.append(found[0] if found is not None else None)
        values.update(lists)
        for name in lists:
            found_at[name] = (events, states)
    for name in resolved.on_demand:
        odfv = definitions.on_demand[name]
        if not odfv.write_to_online_store:
            values.update(run_on_demand(odfv, {**columns, **values}, count))
    result = {k: columns[k] for k in key_names}
    result.update({out: values[internal] for internal, out in resolved.outputs})
    found_at = {out: found_at.get(internal) for internal, out in resolved.outputs}
    return OnlineResponse(result, found_at)
