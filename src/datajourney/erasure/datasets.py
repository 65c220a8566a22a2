"""Where data sets live: every data file the metadata store knows of, found by scanning it
(the storage layers below cannot call erasure, so erasure looks at what they recorded).

- ``object:<digest>``: a lake entry's content, or a file of a versioning snapshot, in an
  object store;
- ``delta:<table folder>#<file>``: a Parquet file of a warehouse (Delta) table, any version;
- ``file:<path>``: a file an artifact's uri names (training sets, feature sources, ...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..metadata.model import Artifact
from ..metadata.store import MetadataStore
from .config import ErasureConfig, store_folder
from .rows import format_of

LAKE_ENTRY = "LakeEntry"
TABLE_VERSION = "WarehouseTableVersion"
TMP_SUFFIX = ".erasure-tmp"
#: Lake formats erasure cannot read: such entries are reported as not searched.
COMPRESSED = frozenset({"gzip", "zip"})
SWEPT_SUFFIXES = frozenset({".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"})


@dataclass(frozen=True)
class Unit:
    """One data file: its index name, kind, where its bytes are, the name its key columns
    are configured by, its fingerprint (changes when its bytes do), its table format, and
    whether erasure may rewrite it (``managed``: under the store's folders)."""

    dataset: str
    kind: str
    path: Path
    name: str
    fingerprint: str
    format: str
    managed: bool = True
    table: str = ""

    def to_json(self) -> dict:
        return {"dataset": self.dataset, "kind": self.kind, "name": self.name}


@dataclass
class Places:
    """The folders erasure works in."""

    objects: list[Path]
    warehouses: list[Path]
    roots: list[Path]

    def object_path(self, digest: str) -> Path | None:
        for root in self.objects:
            path = root / digest[:2] / digest[2:]
            if path.is_file():
                return path
        return None

    def managed(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.roots)


def local_path(uri: str | None) -> Path | None:
    """The local path an artifact uri names, or None (a URL, or nothing)."""
    if not uri:
        return None
    if uri.startswith("file://"):
        uri = uri[len("file://") :]
    if "://" in uri or uri.startswith("blake3:"):
        return None
    return Path(uri).absolute()


def places(store: MetadataStore, config: ErasureConfig, artifacts: list[Artifact]) -> Places:
    """The object stores, warehouse roots and managed folders (configured or found)."""
    folder = store_folder(store)
    objects = [Path(p) for p in config.objects]
    if not objects:
        candidates = [folder / "objects", Path(".datajourney/objects").absolute()]
        if os.environ.get("DATAJOURNEY_OBJECTS"):
            candidates.insert(0, Path(os.environ["DATAJOURNEY_OBJECTS"]).absolute())
        objects = [p for p in dict.fromkeys(candidates) if p.is_dir()]
    warehouses = [Path(p) for p in config.warehouses]
    for artifact in artifacts:
        if artifact.type == TABLE_VERSION:
            location = local_path(artifact.uri)
            if location is not None:
                warehouses.append(location.parent.parent)
    roots = [Path(p) for p in config.roots] or [folder]
    return Places(
        list(dict.fromkeys(objects)), list(dict.fromkeys(warehouses)), list(dict.fromkeys(roots))
    )


def _stat_print(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4)


def delta_tables(where: Places) -> list[Path]:
    """Every Delta table folder under the warehouse roots (``subject/table``)."""
    found = []
    for root in where.warehouses:
        if not root.is_dir():
            continue
        for subject in sorted(root.iterdir()):
            if not subject.is_dir():
                continue
            for table in sorted(subject.iterdir()):
                if (table / "_delta_log").is_dir():
                    found.append(table)
    return found


def table_name(location: Path) -> str:
    return f"{location.parent.name}.{location.name}"


def delta_files(location: Path) -> list[Path]:
    """The Parquet files of a Delta table (every version's, change data too)."""
    return sorted(
        p
        for p in location.rglob("*.parquet")
        if "_delta_log" not in p.relative_to(location).parts and p.is_file()
    )


def discover(store: MetadataStore, config: ErasureConfig) -> tuple[list[Unit], Places]:
    """Every data file the metadata store leads to, and the folders they are in."""
    artifacts = store.get_artifacts()
    where = places(store, config, artifacts)
    units: dict[str, Unit] = {}

    def add_object(digest: str, name: str, managed: bool = True, claimed: str = "") -> None:
        path = where.object_path(digest)
        if path is None or f"object:{digest}" in units:
            return
        kind = format_of(name, _head(path))
        if kind is None and claimed in COMPRESSED:  # searched in vain, so reported
            kind = claimed
        if kind is not None:
            units[f"object:{digest}"] = Unit(
                f"object:{digest}", "object", path, name, "immutable", kind, managed
            )

    from ..versioning.errors import VersioningError
    from ..versioning.manifest import Manifest

    for artifact in artifacts:
        if artifact.type == LAKE_ENTRY:
            digest = artifact.properties.get("digest", "")
            if digest:
                add_object(
                    digest,
                    str(artifact.properties.get("path", "")),
                    claimed=str(artifact.properties.get("format", "")),
                )
            continue
        digest = artifact.custom_properties.get("snapshot")
        if not isinstance(digest, str) or len(digest) != 64:
            continue
        path = where.object_path(digest)
        if path is None:
            continue
        try:
            manifest = Manifest.from_bytes(path.read_bytes(), digest)
        except VersioningError:
            add_object(digest, artifact.uri or "")
            continue
        for entry in manifest.entries:
            add_object(entry.digest, entry.path)
    skip = [*where.objects, *where.warehouses]
    for location in delta_tables(where):
        skip.append(location)
        name = table_name(location)
        for file in delta_files(location):
            rel = file.relative_to(location).as_posix()
            dataset = f"delta:{location}#{rel}"
            units[dataset] = Unit(
                dataset, "delta", file, name, _stat_print(file), "parquet", True, str(location)
            )
    for artifact in artifacts:
        if artifact.type == TABLE_VERSION:
            continue
        path = local_path(artifact.uri)
        if path is None or not path.exists() or any(path.is_relative_to(s) for s in skip):
            continue
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if file.name.endswith(TMP_SUFFIX) or any(file.is_relative_to(s) for s in skip):
                continue
            kind = format_of(file.name, _head(file))
            dataset = f"file:{file}"
            if kind is None or dataset in units:
                continue
            units[dataset] = Unit(
                dataset, "file", file, str(file), _stat_print(file), kind, where.managed(file)
            )
    for file in _swept(where.roots, skip):
        dataset = f"file:{file}"
        kind = format_of(file.name, _head(file))
        if kind is not None and dataset not in units:
            units[dataset] = Unit(dataset, "file", file, str(file), _stat_print(file), kind)
    return list(units.values()), where


def _swept(roots: list[Path], skip: list[Path]) -> list[Path]:
    """Data files under the store's folders that no artifact names (rows pushed offline,
    stray exports): what lies under the store is searched whether recorded or not."""
    found = []
    skipped = {str(p) for p in skip}
    for root in roots:
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skipped]
            if "_delta_log" in files or "_delta_log" in dirs:
                dirs[:] = []
                continue
            for name in files:
                if Path(name).suffix.lower() in SWEPT_SUFFIXES and not name.endswith(TMP_SUFFIX):
                    found.append(Path(folder, name))
    return found
