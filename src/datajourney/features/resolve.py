"""Feature references (``"view:feature"`` strings or a FeatureService) resolved against the
definitions: which views to read, which on-demand views to compute, and the output columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .definitions import FeatureService, OnDemandFeatureView
from .errors import RetrievalError
from .repo import Definitions
from .retrieval import ViewRequest


def internal_name(view: str, feature: str) -> str:
    """The column a feature has while a retrieval runs (unique across views)."""
    return f"{view}__{feature}"


@dataclass
class Resolved:
    """What a list of feature references asks for."""

    views: dict[str, list[str]] = field(default_factory=dict)  # view -> features read
    on_demand: dict[str, list[str]] = field(default_factory=dict)  # odfv -> features wanted
    outputs: list[tuple[str, str]] = field(default_factory=list)  # internal -> output name
    refs: list[str] = field(default_factory=list)

    def view_requests(self, definitions: Definitions) -> list[ViewRequest]:
        """One request per feature view read, features under their internal names."""
        return [
            ViewRequest(definitions.views[v], [(f, internal_name(v, f)) for f in features])
            for v, features in self.views.items()
        ]


def _refs(features: Sequence[str] | FeatureService) -> list[tuple[str, str]]:
    if isinstance(features, FeatureService):
        return [tuple(ref.split(":", 1)) for ref in features.feature_refs()]
    if isinstance(features, str):
        features = [features]
    pairs = []
    for ref in features:
        if not isinstance(ref, str) or ref.count(":") != 1 or ref.startswith(":"):
            raise RetrievalError(f"feature reference {ref!r}: write 'feature_view:feature'")
        pairs.append(tuple(ref.split(":", 1)))
    if not pairs:
        raise RetrievalError("no features asked for")
    return pairs


def resolve(
    definitions: Definitions,
    features: Sequence[str] | FeatureService,
    full_feature_names: bool = False,
) -> Resolved:
    """Resolve references; unknown views or features and name clashes are RetrievalErrors."""
    found = Resolved()
    for view_name, feature in _refs(features):
        view = definitions.views.get(view_name) or definitions.on_demand.get(view_name)
        if view is None:
            raise RetrievalError(f"unknown feature view {view_name!r} in {view_name}:{feature}")
        if feature not in {f.name for f in view.features}:
            raise RetrievalError(f"feature view {view_name!r} has no feature {feature!r}")
        target = found.on_demand if isinstance(view, OnDemandFeatureView) else found.views
        if feature not in target.setdefault(view_name, []):
            target[view_name].append(feature)
            output = f"{view_name}__{feature}" if full_feature_names else feature
            found.outputs.append((internal_name(view_name, feature), output))
            found.refs.append(f"{view_name}:{feature}")
    for name in found.on_demand:
        for projection in definitions.on_demand[name].source_projections:
            read = found.views.setdefault(projection.name, [])
            read.extend(f.name for f in projection.features if f.name not in read)
    names = [out for _, out in found.outputs]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise RetrievalError(
            f"feature name {clash[0]!r} comes from more than one view; "
            "ask with full_feature_names=True to get 'view__feature' columns"
        )
    return found
