"""The data lake: raw files kept as they are, catalogued in the metadata store, read with a
schema only when read (DuckDB). See docs/storage.md.

``Lake().ingest(path)`` stores files in the versioning layer's content-addressed object store
(each content once) and records each as a ``LakeEntry`` artifact, the ingestion as an execution
and zones as contexts; ``find`` / ``ls`` list them; ``read`` and ``sql`` read them as tables,
optionally against a TFMD schema whose misfits become anomalies; ``retain`` drops old entries.
"""

from __future__ import annotations

from .catalog import DEFAULT_ZONE, Entry
from .errors import EntryNotFoundError, LakeError, LakeReadError
from .lake import Ingestion, Lake, Retention
from .reading import LakeRead

__all__ = [
    "DEFAULT_ZONE",
    "Entry",
    "EntryNotFoundError",
    "Ingestion",
    "Lake",
    "LakeError",
    "LakeRead",
    "LakeReadError",
    "Retention",
]
