"""``FeatureStore``: one repo's definitions (in the metadata store's registry), historical
retrieval, materialization, pushes and online reads, each delegated to its own module."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..metadata.store import MetadataStore
from . import guard, lineage, materialize, offline, retrieval
from .definitions import (
    Definition,
    Entity,
    FeatureService,
    FeatureView,
    LabelView,
    OnDemandFeatureView,
    Project,
)
from .errors import FeatureStoreError, RetrievalError
from .feature_logging import write_logs
from .jobs import OnlineResponse, RetrievalJob
from .offline import resolve_path
from .online import OnlineStore, open_online_store
from .online_read import read_online
from .registry import KIND_TYPES, Plan, Registry, Version
from .repo import Definitions, RepoConfig, load_repo_definitions
from .resolve import Resolved, resolve
from .sources import FileSource, PushMode, PushSource, WarehouseSource
from .transforms import on_demand_rows, with_on_demand
from .values import checked_table

if TYPE_CHECKING:
    import pyarrow as pa

    from ..metadata.model import Artifact
    from ..warehouse import Warehouse


def to_micros(moment: datetime.datetime | str) -> int:
    """Epoch microseconds of a datetime (naive means UTC) or ISO text."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if hasattr(moment, "to_pydatetime"):
        moment = moment.to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (moment - epoch) // datetime.timedelta(microseconds=1)


class FeatureStore:
    """A feature repo's store. ``FeatureStore(repo_path=".")`` reads ``feature_store.yaml``;
    ``FeatureStore(config=RepoConfig(...))`` needs no file."""

    def __init__(
        self,
        repo_path: str | Path | None = None,
        config: RepoConfig | None = None,
        metadata_store: MetadataStore | None = None,
        authorize: Callable[[str, str], None] | None = None,
        **_feast_options: Any,
    ):
        if config is None:
            config = RepoConfig.load(repo_path or ".")
        elif config.repo_path is None and repo_path is not None:
            config.repo_path = Path(repo_path).resolve()
        self.config = config
        self.repo_path = config.root
        self._owns_metadata = metadata_store is None
        self.metadata = metadata_store or MetadataStore(config.registry_url())
        self.registry = Registry(self.metadata, config.project)
        self._definitions: Definitions | None = None
        self._online: OnlineStore | None = None
        self._con = None
        self._resolved: dict[tuple, Resolved] = {}
        self._ties: dict[tuple, bool] = {}
        self.authorize = authorize

    def _check(self, action: str, names: Sequence[str] | str = (), items: Any = None) -> None:
        """Ask ``authorize(action, resource)`` first (it raises to refuse): resource
        ``features:<project>/<name>``, or the project alone. Without ``authorize`` the access
        policy decides on ``items`` (definitions or names; default ``names``): see ``guard``."""
        if self.authorize is None:
            targets = items if items is not None else [names] if isinstance(names, str) else names
            guard.check(self, action, targets)
            return
        for name in [names] if isinstance(names, str) else list(names) or [""]:
            self.authorize(action, f"features:{self.project}" + (f"/{name}" if name else ""))

    @property
    def project(self) -> str:
        """The project name."""
        return self.config.project

    @property
    def pushed_folder(self) -> Path:
        """Where rows pushed offline are kept (one Parquet file per push)."""
        return self.repo_path / ".datajourney" / "pushed" / self.project

    @property
    def online_store(self) -> OnlineStore:
        """The online store (opened on first use)."""
        if self._online is None:
            self._online = open_online_store(self.config.online_store, self.repo_path)
        return self._online

    def warehouse(self, root: str | None = None) -> Warehouse:
        """The warehouse that WarehouseSources read (``root``, else ``warehouse:`` of
        ``feature_store.yaml``, relative to the repo), recorded in this store's metadata."""
        from ..warehouse import Warehouse

        root = root or self.config.warehouse
        return Warehouse(
            resolve_path(root, self.repo_path) if root else None,
            store=self.metadata,
            authorize=self.authorize,
        )

    def _pinned(self, view: FeatureView) -> FeatureView:
        """The view with a warehouse source pinned to its table's location and version (the
        latest version now, when the source names none)."""
        source = view.source
        batch = source.batch_source if isinstance(source, PushSource) else source
        if not isinstance(batch, WarehouseSource):
            return view
        from ..warehouse import WarehouseError
        from ..warehouse.delta import open_table

        self._check("warehouse.read", batch.table)
        try:
            location = self.warehouse(batch.warehouse).location(batch.table)
            version = batch.version
            if version is None:
                version = open_table(location).version()
        except WarehouseError as error:
            raise FeatureStoreError(
                f"feature view {view.name!r}: source {batch.name!r}: {error}"
            ) from None
        pinned = dataclasses.replace(batch, version=version, location=location)
        if isinstance(source, PushSource):
            pinned = dataclasses.replace(source, batch_source=pinned)
        return dataclasses.replace(view, source=pinned)

    def _duckdb(self):
        if self._con is None:
            self._con = retrieval.connect(self.config.offline_store.get("memory_limit"))
        return self._con

    def close(self) -> None:
        """Release the online store and DuckDB, and the metadata store unless it was given."""
        if self._online is not None:
            self._online.close()
        if self._con is not None:
            self._con.close()
        if self._owns_metadata:
            self.metadata.close()

    # Registry ---------------------------------------------------------------------------

    @property
    def definitions(self) -> Definitions:
        """The applied definitions (read from the registry, cached until the next apply)."""
        if self._definitions is None:
            specs = [v.spec for v in self.registry.current().values()]
            self._definitions = Definitions.from_specs(specs, self.repo_path)
            lineage.stamp(self.registry, self._definitions.all())
            self._resolved.clear()
        return self._definitions

    def refresh_registry(self) -> None:
        """Read the registry again on next use."""
        self._definitions = None

    def _checked(self, given: Definitions) -> Definitions:
        for view in given.views.values():
            if isinstance(view.source, FileSource | WarehouseSource | PushSource):
                materialize.view_rows(self._duckdb(), self._pinned(view), self.repo_path, None)
        return given

    def plan(self, objects: Sequence[Definition] | None = None, delete: bool = False) -> Plan:
        """What ``apply`` would change (the repo's files when no objects are given)."""
        given = self._given(objects)
        return self.registry.plan(given.specs(), delete=delete and objects is None)

    def _given(self, objects: Sequence[Definition] | None) -> Definitions:
        if objects is None:
            given = load_repo_definitions(self.repo_path)
        else:
            given = Definitions.of(
                list(objects if isinstance(objects, list | tuple) else [objects])
            )
        given.check_view_names()
        for source in given.sources.values():
            batch = source.batch_source if isinstance(source, PushSource) else source
            if isinstance(batch, FileSource) and not batch.timestamp_field:
                batch.timestamp_field = offline.infer_timestamp_field(
                    self._duckdb(), batch, self.repo_path
                )
        for view in given.views.values():
            if not view.features:
                view.schema = offline.infer_schema(
                    self._duckdb(), self._pinned(view), self.repo_path
                )
        return given

    def apply(
        self,
        objects: Sequence[Definition] | Definition | None = None,
        objects_to_delete: Sequence[Definition] | None = None,
        partial: bool = True,
        delete: bool = False,
    ) -> Plan:
        """Register definitions (the repo's files when none are given), a new version for each
        changed one. Definitions not given stay, unless ``delete`` (repo files only) or named
        in ``objects_to_delete``. A source that is missing or lacks a declared column is an
        error and nothing is written. Access grants among the objects (Feast ``Permission``s)
        go into the access policy (``datajourney.access.grants``; an admin's act)."""
        objects, grants = _without_grants(objects)
        objects_to_delete, revoked = _without_grants(objects_to_delete)
        given = self._given(objects)
        given.check_project(self.project)
        self._check("features.apply", items=given.all())
        if objects_to_delete:
            self._check("features.delete", items=list(objects_to_delete))
        elif delete and objects is None:
            removed = self.registry.plan(given.specs(), delete=True).removed
            self._check("features.delete", items=[name for _, name in removed])
        guard.check_sources(self, given.views.values())
        given = self._checked(given)
        if grants or revoked:
            from ..access.grants import apply_grants

            apply_grants(self.metadata, grants, [g.access_grant()[0] for g in revoked])
        specs = given.specs()
        if objects_to_delete:
            gone = {(KIND_TYPES[d.to_spec()["kind"]], d.name) for d in objects_to_delete}
            keep = [v.spec for k, v in self.registry.current().items() if k not in gone]
            named = {(KIND_TYPES[s["kind"]], s["name"]) for s in specs}
            specs = specs + [s for s in keep if (KIND_TYPES[s["kind"]], s["name"]) not in named]
            delete = True
        elif objects is not None and partial:
            delete = False
        plan = self.registry.apply(specs, delete=delete)
        self.refresh_registry()
        return plan

    def teardown(self) -> None:
        """Remove the project's online values (the registry and its history stay)."""
        self._check("features.delete", items=list(self.definitions.views.values()))
        for view in self.definitions.views.values():
            self.online_store.delete_view(self.project, view.name)

    def list_entities(self, tags: dict[str, str] | None = None) -> list[Entity]:
        """Applied entities (those with all these tags)."""
        return guard.visible(self, _tagged(self.definitions.entities.values(), tags))

    def _plain_views(self) -> dict[str, FeatureView]:
        labels = self.definitions.label_views
        return {n: v for n, v in self.definitions.views.items() if n not in labels}

    def list_feature_views(self, tags: dict[str, str] | None = None) -> list[FeatureView]:
        """Applied feature views (label views are listed by ``list_label_views``)."""
        return guard.visible(self, _tagged(self._plain_views().values(), tags))

    def list_label_views(self, tags: dict[str, str] | None = None) -> list[LabelView]:
        """Applied label views."""
        return guard.visible(self, _tagged(self.definitions.label_views.values(), tags))

    def list_projects(self) -> list[Project]:
        """The project: its applied ``Project`` definition, else one named by the config."""
        return list(self.definitions.projects.values()) or [Project(self.project)]

    def get_project(self, name: str) -> Project:
        """The project by name (only this store's project exists here)."""
        found = {p.name: p for p in self.list_projects()}
        return self._get(found, "project", name)

    def list_on_demand_feature_views(
        self, tags: dict[str, str] | None = None
    ) -> list[OnDemandFeatureView]:
        """Applied on-demand feature views."""
        return guard.visible(self, _tagged(self.definitions.on_demand.values(), tags))

    def list_feature_services(self, tags: dict[str, str] | None = None) -> list[FeatureService]:
        """Applied feature services."""
        return guard.visible(self, _tagged(self.definitions.services.values(), tags))

    def list_data_sources(self, tags: dict[str, str] | None = None) -> list:
        """Applied data sources."""
        return guard.visible(self, _tagged(self.definitions.sources.values(), tags))

    def _get(self, table: dict, kind: str, name: str):
        if name not in table:
            raise FeatureStoreError(f"no {kind} named {name!r} in project {self.project!r}")
        return table[name]

    def _described(self, item):
        """``item``, once the principal may describe it (the public getters ask)."""
        if self.authorize is None:
            self._check("features.describe", items=[item])
        return item

    def get_entity(self, name: str) -> Entity:
        """An applied entity by name."""
        return self._described(self._get(self.definitions.entities, "entity", name))

    def get_feature_view(self, name: str) -> FeatureView:
        """An applied feature view by name."""
        return self._described(self._get(self._plain_views(), "feature view", name))

    def get_label_view(self, name: str) -> LabelView:
        """An applied label view by name."""
        return self._described(self._get(self.definitions.label_views, "label view", name))

    def get_on_demand_feature_view(self, name: str) -> OnDemandFeatureView:
        """An applied on-demand feature view by name."""
        found = self._get(self.definitions.on_demand, "on-demand feature view", name)
        return self._described(found)

    def get_feature_service(self, name: str) -> FeatureService:
        """An applied feature service by name."""
        return self._described(self._get(self.definitions.services, "feature service", name))

    def get_data_source(self, name: str):
        """An applied data source by name."""
        return self._described(self._get(self.definitions.sources, "data source", name))

    def history(self, name: str) -> list[Version]:
        """Every stored version of the definitions with this name, oldest first."""
        if self.authorize is None:
            self._check("features.describe", name)
        return self.registry.history(name)

    def search(
        self,
        text: str | None = None,
        tags: dict[str, str] | None = None,
        owner: str | None = None,
        entity: str | None = None,
    ) -> list[Definition]:
        """Definitions whose name, description or feature names contain ``text``, with these
        tags, this owner and (views) this entity."""
        found = []
        for item in self.definitions.all():
            spec = item.to_spec()
            if tags and any(spec.get("tags", {}).get(k) != v for k, v in tags.items()):
                continue
            if owner and spec.get("owner") != owner:
                continue
            if entity and entity not in spec.get("entities", []):
                continue
            if text:
                words = " ".join(
                    [spec["name"], spec.get("description", "")]
                    + [f["name"] + " " + f.get("description", "") for f in spec.get("schema", [])]
                ).lower()
                if text.lower() not in words:
                    continue
            found.append(item)
        return guard.visible(self, found)

    # Lineage questions --------------------------------------------------------------------

    def training_sets_using(self, feature: str) -> list[Artifact]:
        """Training sets saved from retrievals of ``"view"`` or ``"view:feature"`` (any
        version of the view)."""
        view, _, name = feature.partition(":")
        if not self.registry.history(view):
            raise FeatureStoreError(f"no feature view named {view!r} was ever applied")
        return lineage.training_sets_using(self.registry, view, name or None)

    def models_using(self, feature: str) -> list[Artifact]:
        """Everything made from those training sets: the models trained on them and what came
        of the models (recorded by any run that read a training set)."""
        return lineage.made_from(self.metadata, self.training_sets_using(feature))

    def features_from(self, uri: str) -> list[str]:
        """The feature views whose data came from ``uri`` (a file, folder or warehouse table
        location), directly or through the lake and the warehouse, as far as their
        materializations and retrievals recorded it."""
        return lineage.views_fed_by(self.registry, uri)

    # Historical retrieval -----------------------------------------------------------------

    def _resolve(self, features: Sequence[str] | FeatureService, full: bool) -> Resolved:
        key = (
            ("service", features.name) if isinstance(features, FeatureService) else tuple(features)
        )
        found = self._resolved.get((key, full))
        if found is None:
            found = resolve(self.definitions, features, full)
            self._resolved[(key, full)] = found
        return found

    def _entity_table(self, entity_df: Any) -> pa.Table:
        import pyarrow as pa

        if isinstance(entity_df, str | Path):
            path = resolve_path(str(entity_df), self.repo_path)
            if not Path(path).exists():
                raise RetrievalError(f"entity_df: no file at {path}")
            if path.endswith(".csv"):
                import pyarrow.csv as pacsv

                return pacsv.read_csv(path)
            import pyarrow.parquet as pq

            return pq.read_table(path)
        if isinstance(entity_df, pa.Table):
            return entity_df
        if hasattr(entity_df, "columns"):
            return pa.Table.from_pandas(entity_df, preserve_index=False)
        raise RetrievalError("entity_df: give a pandas DataFrame, an Arrow table or a file path")

    def get_historical_features(
        self,
        entity_df: Any = None,
        features: Sequence[str] | FeatureService | None = None,
        full_feature_names: bool = False,
        filter_by_created_timestamp: bool = False,
        start_date: datetime.datetime | None = None,
        end_date: datetime.datetime | None = None,
    ) -> RetrievalJob:
        """Point-in-time correct features for each entity row (see ``retrieval``); without
        entity rows, each entity with rows between start and end, valued as of ``end_date``."""
        if features is None:
            raise RetrievalError("get_historical_features needs features")
        resolved = self._resolve(features, full_feature_names)
        self._check(
            "features.read_offline",
            [*resolved.views, *resolved.on_demand],
            [features] if isinstance(features, FeatureService) else None,
        )
        requests = [
            retrieval.ViewRequest(self._pinned(r.view), r.outputs)
            for r in resolved.view_requests(self.definitions)
        ]
        if entity_df is None:
            entity = self._entity_rows_in_range(requests, start_date, end_date)
        else:
            entity = self._entity_table(entity_df)
        definitions = self.definitions

        def run() -> pa.Table:
            if not filter_by_created_timestamp:
                for request in requests:
                    request.ties = self._has_ties(request.view)
            joined = retrieval.point_in_time_join(
                self._duckdb(),
                entity,
                requests,
                self.repo_path,
                self.pushed_folder,
                filter_by_created_timestamp,
            )
            return with_on_demand(joined, entity.column_names, resolved, definitions)

        def save(table: pa.Table, path: str, name: str):
            return lineage.record_training_set(
                self.registry,
                list(resolved.views) + list(resolved.on_demand),
                [_source_ref(r.view, self.repo_path) for r in requests],
                lineage.table_digest(entity),
                path,
                name,
                table.num_rows,
                resolved.refs,
            )

        return RetrievalJob(run, full_feature_names, save)

    def _has_ties(self, view: FeatureView) -> bool:
        """Whether two of the view's rows share keys and event time (so the created time must
        break ties); remembered while its files stay the same."""
        if not view.source.created_timestamp_column:
            return False
        key = offline.fingerprint(view, self.repo_path, self.pushed_folder)
        if key is None:
            return True
        if key not in self._ties:
            con = self._duckdb()
            rows = offline.view_rows(con, view, self.repo_path, self.pushed_folder)
            self._ties[key] = retrieval.has_ties(con, view, rows)
        return self._ties[key]

    def _entity_rows_in_range(self, requests, start_date, end_date) -> pa.Table:
        import pyarrow as pa

        if start_date is None or end_date is None:
            raise RetrievalError("without entity_df, give start_date and end_date")
        keys = {tuple(r.view.join_keys) for r in requests}
        if len(keys) != 1:
            raise RetrievalError("without entity_df, every view must share the same join keys")
        names = ", ".join(f'"{k}"' for k in next(iter(keys)))
        con = self._duckdb()
        start, end = to_micros(start_date), to_micros(end_date)
        union = " UNION ".join(
            f"SELECT DISTINCT {names} FROM ({materialize.view_rows(con, r.view, self.repo_path, self.pushed_folder)}) "  # noqa: E501
            f"WHERE __ts >= {start} AND __ts <= {end}"
            for r in requests
        )
        table = con.sql(f"SELECT * FROM ({union}) ORDER BY ALL").to_arrow_table()
        moment = pa.array([end] * table.num_rows, pa.int64()).cast(pa.timestamp("us", tz="UTC"))
        return table.append_column("event_timestamp", moment)

    # Online ------------------------------------------------------------------------------

    def _online_views(self, names: Sequence[str] | None) -> list[FeatureView]:
        """The views to materialize: those named, else every online view (label views arrive
        by push and are never materialized)."""
        labels = self.definitions.label_views
        if names is None:
            return [v for v in self._plain_views().values() if v.online]
        for name in names:
            if name in labels:
                raise FeatureStoreError(
                    f"LabelView {name} cannot be materialized via materialize(). "
                    "Use FeatureStore.push() to write labels."
                )
        return [self._get(self.definitions.views, "feature view", n) for n in names]

    def materialize(
        self,
        start_date: datetime.datetime,
        end_date: datetime.datetime,
        feature_views: Sequence[str] | None = None,
        snapshot: bool = False,
    ) -> dict[str, int]:
        """Write each view's latest row per entity with ``start <= event time <= end`` to the
        online store; each view's run is a ``FeatureMaterialization`` execution. Returns
        view -> rows written."""
        start, end = to_micros(start_date), to_micros(end_date)
        if start > end:
            raise FeatureStoreError("materialize: start_date is after end_date")
        return {
            view.name: self._materialize_view(view, start, end, snapshot)
            for view in self._online_views(feature_views)
        }

    def materialize_incremental(
        self, end_date: datetime.datetime, feature_views: Sequence[str] | None = None
    ) -> dict[str, int]:
        """Materialize each view from where its last materialization ended (the first time:
        from ``end - ttl``, or from the beginning when the ttl is unlimited) to ``end_date``."""
        end = to_micros(end_date)
        written = {}
        for view in self._online_views(feature_views):
            last = lineage.last_materialized_end(self.registry, view.name)
            if last is not None:
                start = last
            elif view.ttl_seconds:
                start = end - int(view.ttl_seconds * 1_000_000)
            else:
                start = 0
            written[view.name] = self._materialize_view(view, start, end, False)
        return written

    def _materialize_view(self, view: FeatureView, start: int, end: int, snapshot: bool) -> int:
        self._check("features.materialize", view.name)
        view = self._pinned(view)
        table = materialize.latest_in_window(
            self._duckdb(), view, start, end, self.repo_path, self.pushed_folder
        )
        count = materialize.write_latest(self.online_store, self.project, view, table)
        lineage.record_materialization(
            self.registry,
            view.name,
            _source_ref(view, self.repo_path),
            start,
            end,
            count,
            _online_uri(self.config, self.repo_path),
            snapshot,
        )
        self.refresh_registry()  # the view's materialization_intervals grew
        return count

    def write_to_online_store(
        self, feature_view_name: str, df: Any = None, inputs: Any = None, **_: Any
    ) -> int:
        """Write rows (a DataFrame with the join keys, timestamp and features) to the online
        store, the latest per entity winning; returns the rows written. For an on-demand view
        declared ``write_to_online_store=True`` the rows hold its inputs (source features,
        request data): the transform runs now and its results are stored, and online reads
        return them instead of computing."""
        frame = df if df is not None else inputs
        self._check("features.write", feature_view_name)
        if feature_view_name in self.definitions.on_demand:
            on_demand = self.definitions.on_demand[feature_view_name]
            return self._write_rows(on_demand, on_demand_rows(on_demand, frame))
        view = self._get(self.definitions.views, "feature view", feature_view_name)
        source = view.source
        table = checked_table(
            frame,
            view.features,
            [*view.join_keys, source.timestamp_field],
            f"rows for {view.name!r}",
            [source.timestamp_field, source.created_timestamp_column],
        )
        return self._write_rows(view, table)

    def _write_rows(self, view: FeatureView | OnDemandFeatureView, table: pa.Table) -> int:
        created = getattr(getattr(view, "source", None), "created_timestamp_column", "")
        latest = materialize.latest_of_frame(
            self._duckdb(), view, table, view.timestamp_field, created
        )
        return materialize.write_latest(self.online_store, self.project, view, latest)

    def push(
        self,
        push_source_name: str,
        df: Any,
        allow_registry_cache: bool = True,
        to: PushMode = PushMode.ONLINE,
    ) -> None:
        """Push rows to every view fed by the push source: online, offline (kept beside the
        batch source) or both. Every view's columns are checked before anything is written."""
        views = [
            v
            for v in self.definitions.views.values()
            if isinstance(v.source, PushSource) and v.source.name == push_source_name
        ]
        if not views:
            raise FeatureStoreError(f"no feature view reads push source {push_source_name!r}")
        self._check("features.write", [v.name for v in views])
        tables = [
            checked_table(
                df,
                v.features,
                [*v.join_keys, v.source.timestamp_field],
                f"push to {push_source_name!r}",
                [v.source.timestamp_field, v.source.created_timestamp_column],
            )
            for v in views
        ]
        pushed = {v.name for v in views}
        stored = [
            (odfv, on_demand_rows(odfv, df))
            for odfv in self.definitions.on_demand.values()
            if odfv.write_to_online_store
            and odfv.source_projections
            and {p.name for p in odfv.source_projections} <= pushed
            and to in (PushMode.ONLINE, PushMode.ONLINE_AND_OFFLINE)
        ]
        if to in (PushMode.OFFLINE, PushMode.ONLINE_AND_OFFLINE):
            import pyarrow.parquet as pq

            folder = self.pushed_folder / push_source_name
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
            pq.write_table(tables[0], folder / f"{stamp}-{uuid.uuid4().hex[:8]}.parquet")
        if to in (PushMode.ONLINE, PushMode.ONLINE_AND_OFFLINE):
            for view, table in zip(views, tables):
                if view.online:
                    self._write_rows(view, table)
            for odfv, table in stored:
                self._write_rows(odfv, table)

    def get_online_features(
        self,
        features: Sequence[str] | FeatureService,
        entity_rows: Sequence[dict[str, Any]] | dict[str, list],
        full_feature_names: bool = False,
        honor_ttl: bool | None = None,
    ) -> OnlineResponse:
        """The latest online values for each entity row. With ``honor_ttl`` (or
        ``online_store: {honor_ttl: true}``) a value older than its view's ttl reads as None."""
        resolved = self._resolve(features, full_feature_names)
        self._check(
            "features.read_online",
            [*resolved.views, *resolved.on_demand],
            [features] if isinstance(features, FeatureService) else None,
        )
        if isinstance(entity_rows, dict):
            columns = {k: list(v) for k, v in entity_rows.items()}
        else:
            columns = {}
            for row in entity_rows:
                for k, v in row.items():
                    columns.setdefault(k, []).append(v)
        if honor_ttl is None:
            honor_ttl = bool(self.config.online_store.get("honor_ttl", False))
        now = to_micros(datetime.datetime.now(datetime.timezone.utc)) if honor_ttl else 0
        return read_online(
            self.online_store, self.project, self.definitions, resolved, columns, now, honor_ttl
        )

    def write_logged_features(self, logs: pa.Table | str | Path, source: FeatureService) -> str:
        """Append logs of served features (an Arrow table, or a Parquet file or folder) to the
        feature service's ``logging_config`` destination, as new Parquet files; returns the
        destination folder."""
        if not isinstance(source, FeatureService):
            raise FeatureStoreError("write_logged_features: the source must be a FeatureService")
        self._check("features.write", source.name)
        return write_logs(logs, source.name, source.logging_config, self.repo_path)

    def serve(self, host: str = "127.0.0.1", port: int = 6566) -> None:
        """Run the feature server (Feast's HTTP endpoints) until interrupted."""
        from .server import serve

        serve(self, host, port)


def _without_grants(objects: Any) -> tuple[Any, list]:
    """(the objects less access grants, the grants): a Feast ``Permission`` is a grant."""
    if objects is None:
        return None, []
    listed = list(objects) if isinstance(objects, list | tuple) else [objects]
    grants = [o for o in listed if hasattr(o, "access_grant")]
    if not grants:
        return objects, []
    return [o for o in listed if not hasattr(o, "access_grant")], grants


def _tagged(items, tags: dict[str, str] | None) -> list:
    items = list(items)
    if not tags:
        return items
    return [i for i in items if all(i.tags.get(k) == v for k, v in tags.items())]


def _source_ref(view: FeatureView, root: Path) -> lineage.SourceRef:
    source = view.source.batch_source if isinstance(view.source, PushSource) else view.source
    if isinstance(source, WarehouseSource):
        return lineage.SourceRef(source.location, source.table, source.version)
    return lineage.SourceRef(resolve_path(source.path, root))


def _online_uri(config: RepoConfig, root: Path) -> str:
    online = config.online_store
    if online.get("type") == "redis":
        return f"redis://{online.get('connection_string', 'localhost:6379')}"
    path = Path(online.get("path") or ".datajourney/online.sqlite")
    return str(path if path.is_absolute() else root / path)
