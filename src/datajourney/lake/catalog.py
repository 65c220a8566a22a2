"""The lake's catalog in the metadata store: one ``LakeEntry`` artifact per file version.

An entry's properties: ``path`` (its name in the lake), ``digest`` (BLAKE3 of its content, the
name of its object in the versioning layer's store), ``size`` (bytes), ``format`` (of its content;
see ``formats``), ``name_says`` (the format its name claims), ``ingested_at`` (seconds since the
epoch, whole microseconds), ``source`` and ``tags`` (``,a,b,``). ``size`` and ``ingested_at`` are
DOUBLEs (exact to 2^53): ML Metadata's PostgreSQL and MySQL layouts keep INTs in 32 bits. A
store made before then declares them INT, ``ingested_at`` in milliseconds; its entries are
written and read so.
The artifact's ``uri`` is where the file came from, and its ``snapshot`` custom property is the
digest, so versioning's ``gc`` keeps every live entry's content. Zones are ``LakeZone``
contexts; each ingestion a ``LakeIngestion`` execution whose outputs are the entries it added.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datajourney.metadata.model import Artifact, ArtifactState, ArtifactType, PropertyType
from datajourney.metadata.tracking import as_declared

if TYPE_CHECKING:
    import pyarrow as pa

    from .lake import Lake
    from .reading import LakeRead

ENTRY_TYPE = "LakeEntry"
INGESTION_TYPE = "LakeIngestion"
ZONE_TYPE = "LakeZone"
DEFAULT_ZONE = "raw"
ENTRY_PROPERTIES: dict[str, Any] = {
    "path": "",
    "digest": "",
    "size": 0.0,
    "format": "",
    "name_says": "",
    "ingested_at": 0.0,
    "source": "",
    "tags": "",
}
INGESTION_PROPERTIES: dict[str, Any] = {"root": "", "zone": "", "source": "", "files": 0}


@dataclass(frozen=True)
class Entry:
    """One file version in the lake (a ``LakeEntry`` artifact)."""

    id: int
    path: str
    digest: str
    size: int
    format: str
    ingested_at: datetime.datetime
    source: str
    tags: tuple[str, ...]
    uri: str
    name_says: str | None
    lake: Lake | None = field(default=None, repr=False, compare=False)

    @property
    def object_path(self) -> Path:
        """The file holding the entry's content in the object store (read-only)."""
        return self._lake().repo.objects.path_of(self.digest)

    def to_arrow(self) -> pa.Table:
        """The entry read as a table, schema found at read time (see ``Lake.read``)."""
        return self.read().table

    def read(self) -> LakeRead:
        """The entry read with its bad rows and anomalies (see ``Lake.read``)."""
        return self._lake().read(self)

    def lineage_artifact_ids(self) -> list[int]:
        """The catalog artifacts a load of this entry read (for the load's lineage)."""
        return [self.id]

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready values."""
        return {
            "id": self.id,
            "path": self.path,
            "digest": self.digest,
            "size": self.size,
            "format": self.format,
            "name_says": self.name_says,
            "ingested_at": self.ingested_at.isoformat(),
            "source": self.source,
            "tags": list(self.tags),
            "uri": self.uri,
        }

    def _lake(self) -> Lake:
        if self.lake is None:
            raise ValueError(f"entry {self.path} is not bound to a lake")
        return self.lake


def entry_of(artifact: Artifact, lake: Lake | None) -> Entry:
    """The entry an artifact records."""
    p = artifact.properties
    at = p["ingested_at"]
    return Entry(
        id=artifact.id,
        path=p["path"],
        digest=p["digest"],
        size=int(p["size"]),
        format=p["format"],
        ingested_at=datetime.datetime.fromtimestamp(
            at / 1000 if isinstance(at, int) else at, datetime.UTC
        ),
        source=p.get("source", ""),
        tags=tuple(t for t in p.get("tags", "").split(",") if t),
        uri=artifact.uri or "",
        name_says=p.get("name_says") or None,
        lake=lake,
    )


def new_artifact(
    entry_type: ArtifactType,
    path: str,
    digest: str,
    size: int,
    kind: str,
    name_says: str | None,
    ingested_at: float,
    source: str,
    tags: tuple[str, ...],
    uri: str,
) -> Artifact:
    """A new LIVE ``LakeEntry`` artifact (``ingested_at``: seconds since the epoch)."""
    properties = {
        "path": path,
        "digest": digest,
        "size": float(size),
        "format": kind,
        "name_says": name_says or "",
        "ingested_at": stored_time(entry_type, ingested_at),
        "source": source,
        "tags": "," + ",".join(tags) + "," if tags else "",
    }
    return Artifact(
        type_id=entry_type.id,
        uri=uri,
        state=ArtifactState.LIVE,
        properties=as_declared(entry_type, properties),
        custom_properties={"snapshot": digest},
    )


def stored_time(entry_type: ArtifactType | None, seconds: float) -> float | int:
    """A time since the epoch as entries of this type keep ``ingested_at``: in seconds, or in
    milliseconds where the type declares it INT (a store made before it became a DOUBLE)."""
    if entry_type is not None and entry_type.properties.get("ingested_at") is PropertyType.INT:
        return round(seconds * 1000)
    return seconds


def check_tag(tag: str) -> str:
    """A tag as given, if it can be stored (no comma, not empty)."""
    if not tag or "," in tag or tag != tag.strip():
        raise ValueError(f"tag {tag!r}: give a non-empty word without commas or outer spaces")
    return tag


def glob_regex(pattern: str) -> re.Pattern:
    """A lake path pattern as a regular expression: ``*`` and ``?`` stay inside one folder,
    ``**`` crosses folders, ``[...]`` is a character class."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            out.append("[" + pattern[i + 1 : end].replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def latest_per_path(entries: list[Entry]) -> list[Entry]:
    """The newest entry of each path (by ingestion time, then id), sorted by path."""
    newest: dict[str, Entry] = {}
    for entry in entries:
        kept = newest.get(entry.path)
        if kept is None or (entry.ingested_at, entry.id) > (kept.ingested_at, kept.id):
            newest[entry.path] = entry
    return [newest[path] for path in sorted(newest)]
