"""The demo's storage step, before the pipeline: the raw CSVs kept in the lake, loaded into the
warehouse, and the pipeline's first component reading the warehouse tables.

    data/{train,eval,serving}.csv --ingest--> lake entries (zone raw, source demo)
      --load--> warehouse tables covertype.train / covertype.eval / covertype.serving
      --> WarehouseExampleGen --> Examples --> StatisticsGen --> ...

So the lineage of every pipeline artifact starts at a raw file. The tables' schema holds the
columns and their types only (schema-on-write keeps a malformed file out); the pipeline's
curated schema (domains, environments) is what finds the planted anomalies. A pass whose files
are unchanged loads nothing: the tables' current versions are reused (so the pipeline's second
pass is served from cache).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.metadata.model import INPUT_EVENT_TYPES, OUTPUT_EVENT_TYPES, Artifact
from datajourney.metadata.store import MetadataStore

from .artifacts import set_split_names, split_file
from .component import Channel, component
from .demo_data import COLUMNS, LABEL
from .ports import Input, Output
from .types import Examples

SUBJECT = "covertype"
SPLITS = ("train", "eval", "serving")
TEXT_COLUMNS = {"Wilderness_Area", "Soil_Type"}
TABLE_VERSION = "WarehouseTableVersion"


@dataclass
class Landed:
    """What the storage step did: the warehouse, each split's lake entry and table version
    artifact, and which tables got a new version this time."""

    warehouse: Any
    entries: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Artifact] = field(default_factory=dict)
    loaded: list[str] = field(default_factory=list)

    def table(self, split: str) -> str:
        """The warehouse table of a split."""
        return f"{SUBJECT}.{split}"

    def channel(self, split: str) -> Channel:
        """The split's table version as a pipeline input."""
        return Channel.of([self.versions[split]], TABLE_VERSION)


def table_schema(label: bool) -> schema_pb2.Schema:
    """The warehouse schema of a covertype table: its columns and their types."""
    schema = schema_pb2.Schema()
    for name in COLUMNS:
        if name == LABEL and not label:
            continue
        kind = schema_pb2.BYTES if name in TEXT_COLUMNS else schema_pb2.INT
        schema.feature.add(name=name, type=kind)
    return schema


def land(work: Path, store: MetadataStore, data: Path) -> Landed:
    """Keep the CSVs of ``data`` in the lake and load each into its warehouse table (under
    ``work/warehouse``), unless the table's current version was loaded from that same entry."""
    from datajourney.lake import Lake
    from datajourney.warehouse import Warehouse

    lake = Lake(store=store)
    try:
        ingestion = lake.ingest(str(Path(data).resolve()), source="demo", tags=[SUBJECT])
    finally:
        lake.repo.close()
    by_name = {Path(e.path).stem: e for e in [*ingestion.added, *ingestion.unchanged]}
    warehouse = Warehouse((work / "warehouse").resolve(), store=store)
    landed = Landed(warehouse)
    for split in SPLITS:
        entry, name = by_name[split], landed.table(split)
        if name not in warehouse.tables(SUBJECT):
            warehouse.create(
                name, table_schema(split != "serving"), description=f"covertype {split} rows"
            )
        version = _loaded_from(store, warehouse, name, entry.id)
        if version is None:
            load = warehouse.load(name, entry, mode="overwrite")
            [version] = store.get_artifacts(ids=[load.artifact_id])
            landed.loaded.append(name)
        landed.entries[split], landed.versions[split] = entry, version
    return landed


def _loaded_from(store: MetadataStore, warehouse: Any, name: str, entry_id: int) -> Artifact | None:
    """The artifact of the table's current version if the load that wrote it read the entry."""
    location = warehouse.location(name)
    current = warehouse.table(name).version
    found = [
        a
        for a in store.get_artifacts(type_name=TABLE_VERSION, uris=[location])
        if a.properties.get("version") == current
    ]
    if not found:
        return None
    events = store.get_events(artifact_ids=[found[-1].id])
    writers = [e.execution_id for e in events if e.type in OUTPUT_EVENT_TYPES]
    read = {
        e.artifact_id
        for e in store.get_events(execution_ids=writers)
        if e.type in INPUT_EVENT_TYPES
    }
    return found[-1] if entry_id in read else None


@component
def WarehouseExampleGen(
    train: Input[TABLE_VERSION],
    examples: Output[Examples],
    eval: Input[TABLE_VERSION] = None,
    serving: Input[TABLE_VERSION] = None,
) -> None:
    """Warehouse table versions -> Examples in Parquet, one file per split (the rows of each
    table at its version, without the warehouse's load time column)."""
    from datajourney.warehouse import LOADED_AT, read_table

    counts = {}
    for split, version in {"train": train, "eval": eval, "serving": serving}.items():
        if version is None:
            continue
        rows = read_table(version.uri, version=int(version.properties["version"]))
        rows = rows.drop_columns([c for c in rows.column_names if c == LOADED_AT])
        pq.write_table(rows, split_file(examples, split, "Examples"))
        counts[split] = rows.num_rows
    set_split_names(examples, list(counts))
    examples.custom_properties["row_counts"] = ",".join(f"{s}={n}" for s, n in counts.items())
