"""A feature repo: ``feature_store.yaml`` (Feast's keys) and the Python files that define
entities, views and services; and the set of definitions, from files or from the registry."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .definitions import (
    Definition,
    Entity,
    FeatureService,
    FeatureView,
    FeatureViewProjection,
    LabelView,
    OnDemandFeatureView,
    Project,
)
from .errors import DefinitionError, FeatureStoreError
from .feature_logging import LoggingConfig
from .sources import FileSource, PushSource, RequestSource, WarehouseSource, source_from_spec
from .types import Field

CONFIG_NAME = "feature_store.yaml"


@dataclass
class SqliteOnlineStoreConfig:
    """``online_store`` as an object (Feast's name): the SQLite file, relative to the repo."""

    path: str = "data/online.db"
    type: str = "sqlite"


@dataclass
class RegistryConfig:
    """``registry`` as an object (Feast's name and fields): ``path`` is the metadata store
    holding the registry (a SQLite file relative to the repo, or a store URL; empty: the
    embedded default). The cache settings are kept for Feast's scripts; the registry is
    read from the store after every apply."""

    registry_type: str = "file"
    registry_store_type: str | None = None
    path: str = ""
    cache_ttl_seconds: int = 600
    cache_mode: str = "sync"
    s3_additional_kwargs: dict[str, str] | None = None
    purge_feast_metadata: bool = False

    def __post_init__(self) -> None:
        if self.registry_type not in ("file", "sql"):
            raise FeatureStoreError(
                f"registry_type {self.registry_type!r}: use 'file' (a path) or 'sql' (a "
                "database URL); both hold the registry in a metadata store"
            )


@dataclass
class RepoConfig:
    """``feature_store.yaml``: project, registry, provider, offline and online stores, and
    (datajourney's own key) ``warehouse``: the folder of the warehouse that WarehouseSources
    read (relative to the repo; default: the warehouse's default)."""

    project: str = "default"
    registry: RegistryConfig | str | dict | None = None
    provider: str = "local"
    offline_store: dict[str, Any] = field(default_factory=lambda: {"type": "duckdb"})
    online_store: dict[str, Any] = field(default_factory=lambda: {"type": "sqlite"})
    entity_key_serialization_version: int = 3
    repo_path: Path | None = None
    warehouse: str | None = None

    def __post_init__(self) -> None:
        registry = self.registry
        if isinstance(registry, dict):  # Feast's other keys (SQL engine options...) are not used
            fields = RegistryConfig.__dataclass_fields__
            self.registry = RegistryConfig(**{k: v for k, v in registry.items() if k in fields})
        elif not isinstance(registry, RegistryConfig):
            self.registry = RegistryConfig(path=str(registry or ""))
        for name in ("offline_store", "online_store"):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, {"type": value})
            elif value is None:
                setattr(self, name, {"type": "duckdb" if name == "offline_store" else "sqlite"})
            elif not isinstance(value, dict):
                value = {k: v for k, v in vars(value).items() if not k.startswith("_")}
                setattr(self, name, value)
        if self.provider != "local":
            raise FeatureStoreError(f"{CONFIG_NAME}: provider {self.provider!r}; only 'local'")
        if self.offline_store.get("type", "duckdb") not in ("file", "duckdb", "dask"):
            raise FeatureStoreError(
                f"{CONFIG_NAME}: offline_store type {self.offline_store['type']!r}; "
                "use 'file' or 'duckdb' (both run on DuckDB here)"
            )
        if self.online_store.get("type", "sqlite") not in ("sqlite", "redis"):
            raise FeatureStoreError(
                f"{CONFIG_NAME}: online_store type {self.online_store['type']!r}; "
                "use 'sqlite' or 'redis'"
            )

    @property
    def root(self) -> Path:
        """The repo folder (the working folder when none)."""
        return Path(self.repo_path or ".").resolve()

    def registry_url(self) -> str | None:
        """The metadata store URL holding the registry (None: the embedded default).

        A plain path is a SQLite metadata store file, relative to the repo."""
        registry = self.registry.path
        if not registry:
            return None
        if "://" in registry:
            return registry
        path = Path(registry)
        path = path if path.is_absolute() else self.root / path
        if path.exists() and path.stat().st_size and not _is_sqlite(path):
            raise FeatureStoreError(
                f"registry {path} is not a datajourney (SQLite) registry; a Feast registry.db "
                "cannot be read: point `registry` at a new file and run apply"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"

    @classmethod
    def load(cls, repo_path: str | Path) -> RepoConfig:
        """Read ``feature_store.yaml`` of a repo folder."""
        import yaml

        root = Path(repo_path)
        path = root / CONFIG_NAME
        if not path.exists():
            raise FeatureStoreError(f"no {CONFIG_NAME} in {root.resolve()}")
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as error:
            raise FeatureStoreError(f"{path}: not valid YAML ({error})") from None
        known = {
            "project",
            "registry",
            "provider",
            "offline_store",
            "online_store",
            "entity_key_serialization_version",
            "warehouse",
        }
        unknown = sorted(set(data) - known - {"auth", "feature_server", "flags", "coming_soon"})
        if unknown:
            raise FeatureStoreError(f"{path}: unknown key {unknown[0]!r}")
        if "project" not in data:
            raise FeatureStoreError(f"{path}: 'project' is required")
        return cls(**{k: v for k, v in data.items() if k in known}, repo_path=root.resolve())


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


@dataclass
class Definitions:
    """A set of definitions by name, checked for clashes."""

    entities: dict[str, Entity] = field(default_factory=dict)
    views: dict[str, FeatureView] = field(default_factory=dict)
    on_demand: dict[str, OnDemandFeatureView] = field(default_factory=dict)
    services: dict[str, FeatureService] = field(default_factory=dict)
    sources: dict[str, FileSource | WarehouseSource | PushSource | RequestSource] = field(
        default_factory=dict
    )
    projects: dict[str, Project] = field(default_factory=dict)

    @property
    def label_views(self) -> dict[str, LabelView]:
        """The label views (also among ``views``)."""
        return {n: v for n, v in self.views.items() if isinstance(v, LabelView)}

    def check_view_names(self) -> None:
        """Views given together must differ in more than case (as Feast refuses at apply;
        views applied at different times may)."""
        seen: dict[str, FeatureView | OnDemandFeatureView] = {}
        for view in [*self.views.values(), *self.on_demand.values()]:
            other = seen.setdefault(view.name.lower(), view)
            if other is not view:
                kind = type(view).__name__
                raise DefinitionError(
                    f"Multiple {kind}s with name {view.name!r} found ({other.name!r} and "
                    f"{view.name!r}). Feature view names must be case-insensitively unique."
                )

    def check_project(self, project: str) -> None:
        """A repo defines at most one Project, named as ``feature_store.yaml``'s project."""
        if len(self.projects) > 1:
            raise DefinitionError(
                f"several Project definitions ({', '.join(sorted(self.projects))}); "
                "a repo defines one"
            )
        for name in self.projects:
            if name != project:
                raise DefinitionError(
                    f"Project {name!r} does not match project {project!r} of {CONFIG_NAME}; "
                    "the Project object's name must be the project's name"
                )

    def add(self, item: Definition) -> None:
        """Add one definition; another one with the same kind and name is an error."""
        if isinstance(item, Entity):
            table = self.entities
        elif isinstance(item, FeatureView):
            table = self.views
            self.add(item.source)
            for entity in item.entities:
                self.add(entity)
        elif isinstance(item, OnDemandFeatureView):
            table = self.on_demand
            _KNOWN_UDFS[(item.name, item.udf_source())] = item.udf
            for source in item.sources:
                self.add(source.view if isinstance(source, FeatureViewProjection) else source)
        elif isinstance(item, FeatureService):
            table = self.services
        elif isinstance(item, FileSource | WarehouseSource | PushSource | RequestSource):
            table = self.sources
        elif isinstance(item, Project):
            table = self.projects
        else:
            raise DefinitionError(f"{item!r} is not a feature definition")
        have = table.get(item.name)
        if have is not None and have is not item:
            if have.to_spec() != item.to_spec():
                raise DefinitionError(
                    f"two definitions named {item.name!r} ({type(item).__name__})"
                )
            return
        table[item.name] = item
        clash = set(self.views) & set(self.on_demand)
        if clash:
            raise DefinitionError(
                f"{sorted(clash)[0]!r} is both a feature view and an on-demand feature view"
            )

    def all(self) -> list[Definition]:
        """Every definition."""
        return [
            *self.projects.values(),
            *self.sources.values(),
            *self.entities.values(),
            *self.views.values(),
            *self.on_demand.values(),
            *self.services.values(),
        ]

    def specs(self) -> list[dict]:
        """Every definition as spec data."""
        return [d.to_spec() for d in self.all()]

    def view(self, name: str) -> FeatureView | OnDemandFeatureView:
        """A feature view or on-demand view by name."""
        found = self.views.get(name) or self.on_demand.get(name)
        if found is None:
            raise DefinitionError(f"no feature view named {name!r}")
        return found

    @classmethod
    def of(cls, items: list[Definition]) -> Definitions:
        """The definitions given (and those they reference)."""
        found = cls()
        for item in items:
            found.add(item)
        return found

    @classmethod
    def from_specs(cls, specs: list[dict], root: Path | None) -> Definitions:
        """Definitions back from registry specs (an on-demand view's transform is loaded from
        the repo file that defined it)."""
        found = cls()
        by_kind: dict[str, list[dict]] = {}
        for spec in specs:
            by_kind.setdefault(spec["kind"], []).append(spec)
        for kind in ("FileSource", "WarehouseSource", "PushSource", "RequestSource"):
            for spec in by_kind.get(kind, []):
                found.add(source_from_spec(spec))
        for spec in by_kind.get("Project", []):
            found.add(Project.from_spec(spec))
        for spec in by_kind.get("Entity", []):
            found.add(Entity.from_spec(spec))
        for spec in by_kind.get("FeatureView", []):
            found.add(FeatureView.from_spec(spec, found.entities))
        for spec in by_kind.get("LabelView", []):
            found.add(LabelView.from_spec(spec, found.entities))
        for spec in by_kind.get("OnDemandFeatureView", []):
            found.add(_on_demand_from_spec(spec, found, root))
        for spec in by_kind.get("FeatureService", []):
            members = [found.view(p["view"])[p["features"]] for p in spec["features"]]
            found.add(
                FeatureService(
                    spec["name"],
                    members,
                    spec["description"],
                    spec["tags"],
                    spec["owner"],
                    LoggingConfig.from_spec(spec.get("logging_config")),
                )
            )
        return found


def _on_demand_from_spec(spec: dict, found: Definitions, root: Path | None) -> OnDemandFeatureView:
    sources = []
    for source in spec["sources"]:
        if "request" in source:
            sources.append(source_from_spec(source["request"]))
        else:
            view = found.view(source["view"])
            sources.append(view if source["features"] is None else view[source["features"]])
    udf = _load_udf(spec, root)
    return OnDemandFeatureView(
        name=spec["name"],
        sources=sources,
        schema=[Field.from_spec(f) for f in spec["schema"]],
        udf=udf,
        mode=spec["mode"],
        write_to_online_store=spec["write_to_online_store"],
        singleton=spec["singleton"],
        description=spec["description"],
        tags=spec["tags"],
        owner=spec["owner"],
    )


_KNOWN_UDFS: dict[tuple[str, str], Any] = {}  # (view name, transform text) -> transform


def _load_udf(spec: dict, root: Path | None):
    """The transform: the one this process defined with the same text, else loaded from the
    file that defined it (a repo file, or the script that applied it)."""
    known = _KNOWN_UDFS.get((spec["name"], spec["udf"]))
    if known is not None:
        return known
    path = spec.get("udf_file")
    if not path or not Path(path).exists():
        raise DefinitionError(
            f"on-demand feature view {spec['name']!r}: its file {path} is gone; run apply again"
        )
    module = import_file(Path(path), root)
    view = getattr(module, spec["udf_name"], None)
    if isinstance(view, OnDemandFeatureView):
        return view.udf
    for value in vars(module).values():
        if isinstance(value, OnDemandFeatureView) and value.name == spec["name"]:
            return value.udf
    raise DefinitionError(
        f"on-demand feature view {spec['name']!r} is no longer defined in {path}; run apply"
    )


_IMPORTED: dict[tuple[str, float], Any] = {}


def import_file(path: Path, root: Path | None):
    """Import a Python file as a module (once per file version), its folder importable."""
    key = (str(path.resolve()), path.stat().st_mtime)
    if key in _IMPORTED:
        return _IMPORTED[key]
    name = f"_dj_repo_{abs(hash(key))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    folder = str((root or path.parent).resolve())
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except Exception as error:
        sys.modules.pop(name, None)
        raise DefinitionError(f"{path}: {type(error).__name__}: {error}") from error
    finally:
        if added:
            sys.path.remove(folder)
    _IMPORTED[key] = module
    return module


_SKIP_DIRS = {"__pycache__", "data", ".datajourney", "node_modules"}


def repo_files(root: Path) -> list[Path]:
    """The repo's Python files (not hidden, not in ``.feastignore``)."""
    ignored = set()
    ignore_file = root / ".feastignore"
    if ignore_file.exists():
        for line in ignore_file.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                ignored.update(p.resolve() for p in root.glob(line))
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(p.startswith(".") or p in _SKIP_DIRS for p in parts[:-1]):
            continue
        if path.resolve() in ignored or any(parent.resolve() in ignored for parent in path.parents):
            continue
        found.append(path)
    return found


def load_repo_definitions(root: Path) -> Definitions:
    """Every definition that the repo's Python files create at module level."""
    found = Definitions()
    kinds = (
        Entity,
        FeatureView,
        OnDemandFeatureView,
        FeatureService,
        FileSource,
        WarehouseSource,
        PushSource,
        RequestSource,
        Project,
    )
    for path in repo_files(root):
        module = import_file(path, root)
        for value in vars(module).values():
            if isinstance(value, kinds):
                found.add(value)
    return found
