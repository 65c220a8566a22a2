"""Feature definitions with Feast's concepts and names: entities, feature views (and their
projections ``fv[["a", "b"]]``), on-demand feature views and feature services.

Each definition turns into JSON-ready data (``to_spec``) whose digest versions it in the
registry; ``from_spec`` gives it back.
"""

from __future__ import annotations

import enum
import inspect
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .errors import DefinitionError
from .feature_logging import LoggingConfig
from .sources import (
    DataSource,
    FileSource,
    PushSource,
    RequestSource,
    SpecEquality,
    WarehouseSource,
    source_from_spec,
)
from .transformations import PandasTransformation, PythonTransformation, Transformation
from .types import Field, ValueType, from_value_type

_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def _check_name(kind: str, name: str) -> None:
    if not name or not isinstance(name, str) or set(name) - _NAME_CHARS:
        raise DefinitionError(f"{kind} name {name!r}: use letters, digits, '_' and '-'")


@dataclass(eq=False)
class Entity(SpecEquality):
    """What features describe (a driver, a customer), found by its join keys."""

    name: str
    join_keys: list[str] | None = None
    value_type: ValueType = ValueType.UNKNOWN
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""

    def __post_init__(self) -> None:
        _check_name("entity", self.name)
        self.join_keys = list(self.join_keys or [self.name])
        self.tags = dict(self.tags or {})

    @property
    def join_key(self) -> str:
        """The first join key (Feast's single-key attribute)."""
        return self.join_keys[0]

    def to_spec(self) -> dict:
        """The entity as JSON-ready data."""
        return {
            "kind": "Entity",
            "name": self.name,
            "join_keys": list(self.join_keys),
            "value_type": self.value_type.name,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }

    @classmethod
    def from_spec(cls, spec: dict) -> Entity:
        """An entity back from its spec."""
        return cls(
            spec["name"],
            spec["join_keys"],
            ValueType[spec["value_type"]],
            spec["description"],
            spec["tags"],
            spec["owner"],
        )


@dataclass(eq=False)
class FeatureViewProjection:
    """Some of a view's features, as a feature service or ``fv[["a", "b"]]`` selects them."""

    view: FeatureView | OnDemandFeatureView
    features: list[Field]

    @property
    def name(self) -> str:
        """The projected view's name."""
        return self.view.name

    def to_spec(self) -> dict:
        """The projection as JSON-ready data (the view by name)."""
        return {"view": self.view.name, "features": [f.name for f in self.features]}


def _select(view: FeatureView | OnDemandFeatureView, names: Sequence[str]) -> FeatureViewProjection:
    known = {f.name: f for f in view.features}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DefinitionError(f"feature view {view.name!r} has no feature {unknown[0]!r}")
    return FeatureViewProjection(view, [known[n] for n in names])


@dataclass(eq=False)
class FeatureView(SpecEquality):
    """A group of features of the same entities, read from one source with a ttl."""

    name: str
    source: DataSource
    schema: list[Field] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    ttl: timedelta | None = timedelta(0)
    online: bool = True
    offline: bool = False
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""
    enable_validation: bool = False
    version: str = "latest"
    materialization_intervals: list[tuple[datetime, datetime]] = field(
        default_factory=list, init=False, repr=False
    )

    def __post_init__(self) -> None:
        _check_name(self._kind_label, self.name)
        _check_version(self.name, self.version)
        what = f"{self._kind_label} {self.name!r}"
        if not isinstance(self.source, FileSource | WarehouseSource | PushSource):
            raise DefinitionError(
                f"{what}: source must be a FileSource, WarehouseSource or PushSource"
            )
        if isinstance(self.source, PushSource) and self.source.batch_source is None:
            raise DefinitionError(f"{what}: push source {self.source.name!r} has no batch_source")
        self.entities = list(self.entities or [])
        self.schema = list(self.schema or [])
        self.tags = dict(self.tags or {})
        for entity in self.entities:
            if not isinstance(entity, Entity):
                raise DefinitionError(f"feature view {self.name!r}: {entity!r} is not an Entity")
        owners: dict[str, str] = {}
        for entity in self.entities:
            for key in entity.join_keys:
                if owners.setdefault(key, entity.name) != entity.name:
                    raise DefinitionError(
                        f"feature view {self.name!r}: entities {owners[key]!r} and "
                        f"{entity.name!r} share the join key {key!r}"
                    )
        names = [f.name for f in self.schema]
        if len(set(names)) != len(names):
            raise DefinitionError(f"feature view {self.name!r} declares a field twice")

    _kind_label = "feature view"

    @property
    def join_keys(self) -> list[str]:
        """The join keys of its entities, in order."""
        return [key for entity in self.entities for key in entity.join_keys]

    @property
    def entity_columns(self) -> list[Field]:
        """The join key columns with their types (declared in the schema or by the entity)."""
        declared = {f.name: f for f in self.schema}
        columns = []
        for entity in self.entities:
            for key in entity.join_keys:
                if key in declared:
                    columns.append(declared[key])
                elif entity.value_type != ValueType.UNKNOWN:
                    columns.append(Field(key, from_value_type(entity.value_type)))
        return columns

    @property
    def features(self) -> list[Field]:
        """The schema's fields that are neither join keys nor the timestamp."""
        skip = {*self.join_keys, self.source.timestamp_field}
        return [f for f in self.schema if f.name not in skip]

    @property
    def most_recent_end_time(self) -> datetime | None:
        """The latest end of its materializations (None before the first)."""
        return max((end for _, end in self.materialization_intervals), default=None)

    def update_materialization_intervals(
        self, existing: Sequence[tuple[datetime, datetime]]
    ) -> None:
        """Take these (start, end) intervals when it has none of its own (as Feast does when
        a changed view is applied over a materialized one)."""
        if not self.materialization_intervals:
            self.materialization_intervals.extend((start, end) for start, end in existing)

    @property
    def batch_source(self) -> DataSource:
        """Where its rows are kept offline: the source, or a push source's batch source."""
        return self.source.batch_source if isinstance(self.source, PushSource) else self.source

    @property
    def timestamp_field(self) -> str:
        """The source's event time column."""
        return self.source.timestamp_field

    @property
    def ttl_seconds(self) -> float:
        """The ttl in seconds, 0 meaning unlimited."""
        return self.ttl.total_seconds() if self.ttl else 0.0

    def __getitem__(self, names: Sequence[str]) -> FeatureViewProjection:
        return _select(self, names)

    def to_spec(self) -> dict:
        """The view as JSON-ready data (entities by name; ``enable_validation`` only when
        set, so older definitions keep their digests)."""
        spec = {
            "kind": "FeatureView",
            "name": self.name,
            "source": self.source.to_spec(),
            "schema": [f.to_spec() for f in self.schema],
            "entities": [e.name for e in self.entities],
            "ttl_seconds": self.ttl_seconds,
            "online": self.online,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }
        if self.enable_validation:
            spec["enable_validation"] = True
        return spec

    @classmethod
    def from_spec(cls, spec: dict, entities: dict[str, Entity]) -> FeatureView:
        """A view back from its spec, its entities looked up by name."""
        return cls(
            name=spec["name"],
            source=source_from_spec(spec["source"]),
            schema=[Field.from_spec(f) for f in spec["schema"]],
            entities=[entities[name] for name in spec["entities"]],
            ttl=timedelta(seconds=spec["ttl_seconds"]),
            online=spec["online"],
            description=spec["description"],
            tags=spec["tags"],
            owner=spec["owner"],
            enable_validation=spec.get("enable_validation", False),
        )


_VERSION = re.compile(r"^v(?:ersion)?(\d+)$", re.IGNORECASE)


def _check_version(name: str, version: str) -> None:
    """``version`` must be ``latest``: the definition applied is the current one (the registry
    keeps every earlier version, see ``FeatureStore.history``); pinning ``vN`` is refused."""
    if not version or version.lower() == "latest":
        return
    if _VERSION.match(version):
        raise DefinitionError(
            f"feature view {name!r}: version={version!r} would make an earlier version the "
            "active one, which is not supported; use version='latest' (every applied version "
            "stays in the registry's history)"
        )
    raise DefinitionError(
        f"feature view {name!r}: version {version!r}: expected 'latest', 'vN' or 'versionN'"
    )


class ConflictPolicy(enum.Enum):
    """How labels written for the same entity by several labelers are resolved (Feast's
    names and values). Only ``LAST_WRITE_WINS`` is supported: the latest label as of each
    row's time, offline and online."""

    LAST_WRITE_WINS = "last_write_wins"
    LABELER_PRIORITY = "labeler_priority"
    MAJORITY_VOTE = "majority_vote"


@dataclass(eq=False)
class LabelView(FeatureView):
    """Labels of entities (human reviews, model judgements), written with ``push`` through
    its push source and read like a feature view's features: point-in-time in training sets,
    the latest online. Labels do not expire unless given a ttl, and are never materialized
    (they arrive by push). ``labeler_field`` names the column saying who labelled;
    ``reference_feature_view`` the view whose entities it labels (informational)."""

    source: FileSource | WarehouseSource | PushSource | None = None
    labeler_field: str = "labeler"
    conflict_policy: ConflictPolicy = ConflictPolicy.LAST_WRITE_WINS
    reference_feature_view: str = ""

    _kind_label = "label view"

    def __post_init__(self) -> None:
        if self.source is None:
            raise DefinitionError(
                f"label view {self.name!r}: give a source (a PushSource with a batch_source)"
            )
        super().__post_init__()
        if not self.entities:
            raise DefinitionError(f"label view {self.name!r} has no entities")
        policy = self.conflict_policy
        if policy != ConflictPolicy.LAST_WRITE_WINS:
            raise DefinitionError(
                f"label view {self.name!r}: conflict_policy "
                f"{getattr(policy, 'name', policy)} is not supported; labels resolve by "
                "LAST_WRITE_WINS (the latest label as of each row's time)"
            )
        self.reference_feature_view = self.reference_feature_view or ""

    def to_spec(self) -> dict:
        """The label view as JSON-ready data."""
        return {
            **super().to_spec(),
            "kind": "LabelView",
            "labeler_field": self.labeler_field,
            "conflict_policy": self.conflict_policy.name,
            "reference_feature_view": self.reference_feature_view,
        }

    @classmethod
    def from_spec(cls, spec: dict, entities: dict[str, Entity]) -> LabelView:
        """A label view back from its spec."""
        view = FeatureView.from_spec(spec, entities)
        return cls(
            **{f: getattr(view, f) for f in _VIEW_FIELDS},
            labeler_field=spec["labeler_field"],
            conflict_policy=ConflictPolicy[spec["conflict_policy"]],
            reference_feature_view=spec["reference_feature_view"],
        )


_VIEW_FIELDS = [n for n, f in FeatureView.__dataclass_fields__.items() if f.init and n != "version"]


@dataclass(eq=False)
class Project(SpecEquality):
    """The project a repo's definitions belong to; its name must be ``project`` of
    ``feature_store.yaml`` (a repo defines at most one)."""

    name: str
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""

    def __post_init__(self) -> None:
        _check_name("project", self.name)
        self.tags = dict(self.tags or {})

    def to_spec(self) -> dict:
        """The project as JSON-ready data."""
        return {
            "kind": "Project",
            "name": self.name,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }

    @classmethod
    def from_spec(cls, spec: dict) -> Project:
        """A project back from its spec."""
        return cls(spec["name"], spec["description"], spec["tags"], spec["owner"])


Transform = Callable[[Any], Any]


@dataclass(eq=False)
class OnDemandFeatureView(SpecEquality):
    """Features computed row by row from other views' features and request data, on read (or
    on write with ``write_to_online_store``); ``mode`` is ``pandas`` or ``python`` (by default
    the ``feature_transformation``'s, else ``pandas``). The transform is ``udf`` or a
    ``PandasTransformation`` / ``PythonTransformation``; the mode says what it is given."""

    name: str
    sources: list[FeatureView | FeatureViewProjection | RequestSource]
    schema: list[Field]
    udf: Transform | None = None
    mode: str | None = None
    write_to_online_store: bool = False
    singleton: bool = False
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""
    feature_transformation: Transformation | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _check_name("on-demand feature view", self.name)
        what = f"on-demand feature view {self.name!r}"
        given = self.feature_transformation
        if given is not None:
            if not isinstance(given, Transformation):
                raise DefinitionError(
                    f"{what}: feature_transformation must be a PandasTransformation or "
                    "PythonTransformation"
                )
            self.udf = self.udf or given.udf
            self.mode = self.mode or given.mode
        if self.udf is None:
            raise DefinitionError(f"{what}: give a udf or a feature_transformation")
        self.mode = self.mode or "pandas"
        if self.mode not in ("pandas", "python"):
            raise DefinitionError(f"{what}: mode must be 'pandas' or 'python'")
        if given is None:
            kind = PandasTransformation if self.mode == "pandas" else PythonTransformation
            self.feature_transformation = kind(self.udf)
        self.sources = list(self.sources)
        self.tags = dict(self.tags or {})

    @property
    def features(self) -> list[Field]:
        """The computed features."""
        return list(self.schema)

    @property
    def source_projections(self) -> list[FeatureViewProjection]:
        """The feature views read, as projections of the features used."""
        found = []
        for source in self.sources:
            if isinstance(source, FeatureView):
                found.append(FeatureViewProjection(source, source.features))
            elif isinstance(source, FeatureViewProjection):
                found.append(source)
        return found

    @property
    def join_keys(self) -> list[str]:
        """The join keys of the views it reads, in order (its values are stored by these when
        ``write_to_online_store``)."""
        keys: list[str] = []
        for projection in self.source_projections:
            keys += [k for k in projection.view.join_keys if k not in keys]
        return keys

    @property
    def timestamp_field(self) -> str:
        """The event time column of rows written to it: its first source view's."""
        for projection in self.source_projections:
            return projection.view.source.timestamp_field
        return "event_timestamp"

    @property
    def ttl_seconds(self) -> float:
        """Stored on-demand values do not expire (0: unlimited)."""
        return 0.0

    @property
    def request_sources(self) -> list[RequestSource]:
        """The request sources read."""
        return [s for s in self.sources if isinstance(s, RequestSource)]

    def __getitem__(self, names: Sequence[str]) -> FeatureViewProjection:
        return _select(self, names)

    def transform_dict(self, feature_dict: dict[str, Any]) -> dict[str, Any]:
        """Run a python-mode transform on one dict of inputs, as Feast does: a source feature
        may be given by name or as ``view__feature``; returns the inputs given and the
        outputs (one row's values with ``singleton``, else lists)."""
        if self.mode != "python":
            raise DefinitionError(
                f"on-demand feature view {self.name!r}: transform_dict runs python-mode views"
            )
        inputs = dict(feature_dict)
        added = []
        for projection in self.source_projections:
            for feature in projection.features:
                full = f"{projection.name}__{feature.name}"
                given, missing = (
                    (full, feature.name) if full in feature_dict else (feature.name, full)
                )
                if given in feature_dict:
                    inputs[missing] = feature_dict[given]
                    added.append(missing)
        if self.singleton:
            inputs = {k: v[0] for k, v in inputs.items()}
        outputs = {**inputs, **self.udf(inputs)}
        return {k: v for k, v in outputs.items() if k not in added}

    def udf_source(self) -> str:
        """The transform's source text (part of the definition's digest)."""
        try:
            return textwrap.dedent(inspect.getsource(self.udf))
        except (OSError, TypeError):
            return getattr(self.udf, "__qualname__", repr(self.udf))

    def to_spec(self) -> dict:
        """The view as JSON-ready data (sources by name, the transform by its source text)."""
        sources = []
        for source in self.sources:
            if isinstance(source, RequestSource):
                sources.append({"request": source.to_spec()})
            elif isinstance(source, FeatureViewProjection):
                sources.append({"view": source.view.name, "features": source.to_spec()["features"]})
            else:
                sources.append({"view": source.name, "features": None})
        return {
            "kind": "OnDemandFeatureView",
            "name": self.name,
            "sources": sources,
            "schema": [f.to_spec() for f in self.schema],
            "mode": self.mode,
            "write_to_online_store": self.write_to_online_store,
            "singleton": self.singleton,
            "udf": self.udf_source(),
            "udf_name": getattr(self.udf, "__name__", ""),
            "udf_file": inspect.getsourcefile(self.udf) if callable(self.udf) else None,
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }


def on_demand_feature_view(
    *,
    sources: Sequence[FeatureView | FeatureViewProjection | RequestSource],
    schema: Sequence[Field],
    mode: str = "pandas",
    write_to_online_store: bool = False,
    singleton: bool = False,
    description: str = "",
    tags: dict[str, str] | None = None,
    owner: str = "",
    **_ignored: Any,
) -> Callable[[Transform], OnDemandFeatureView]:
    """Decorator: the function becomes an on-demand feature view of its name."""

    def wrap(udf: Transform) -> OnDemandFeatureView:
        return OnDemandFeatureView(
            name=udf.__name__,
            sources=list(sources),
            schema=list(schema),
            udf=udf,
            mode=mode,
            write_to_online_store=write_to_online_store,
            singleton=singleton,
            description=description,
            tags=dict(tags or {}),
            owner=owner,
        )

    return wrap


@dataclass(eq=False)
class FeatureService(SpecEquality):
    """The features one model uses: whole views or projections of them."""

    name: str
    features: list[FeatureView | OnDemandFeatureView | FeatureViewProjection]
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    owner: str = ""
    logging_config: LoggingConfig | None = None

    def __post_init__(self) -> None:
        _check_name("feature service", self.name)
        self.tags = dict(self.tags or {})
        if self.logging_config is not None and not isinstance(self.logging_config, LoggingConfig):
            raise DefinitionError(
                f"feature service {self.name!r}: logging_config must be a LoggingConfig"
            )

    @property
    def projections(self) -> list[FeatureViewProjection]:
        """Each member as a projection (a whole view projects all its features)."""
        return [
            f if isinstance(f, FeatureViewProjection) else FeatureViewProjection(f, f.features)
            for f in self.features
        ]

    def feature_refs(self) -> list[str]:
        """``view:feature`` references of every feature served."""
        return [f"{p.name}:{f.name}" for p in self.projections for f in p.features]

    def to_spec(self) -> dict:
        """The service as JSON-ready data (views by name; the logging config when set)."""
        spec = {
            "kind": "FeatureService",
            "name": self.name,
            "features": [p.to_spec() for p in self.projections],
            "description": self.description,
            "tags": dict(self.tags),
            "owner": self.owner,
        }
        if self.logging_config is not None:
            spec["logging_config"] = self.logging_config.to_spec()
        return spec


Definition = Entity | FeatureView | OnDemandFeatureView | FeatureService | DataSource | Project
