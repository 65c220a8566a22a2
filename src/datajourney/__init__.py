"""datajourney: track an ML data set's journey through production.

The metadata store (ML Metadata compatible) is ``datajourney.MetadataStore``; the drop-in for
``ml_metadata`` code is ``datajourney.mlmd``. Heavy modules are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "MetadataStore": "datajourney.metadata.store",
    "NodeQuery": "datajourney.metadata.sql.queries",
    "Artifact": "datajourney.metadata.model",
    "ArtifactType": "datajourney.metadata.model",
    "Execution": "datajourney.metadata.model",
    "ExecutionType": "datajourney.metadata.model",
    "Context": "datajourney.metadata.model",
    "ContextType": "datajourney.metadata.model",
    "Event": "datajourney.metadata.model",
    "EventType": "datajourney.metadata.model",
    "PropertyType": "datajourney.metadata.model",
    "ArtifactState": "datajourney.metadata.model",
    "ExecutionState": "datajourney.metadata.model",
    "Attribution": "datajourney.metadata.model",
    "Association": "datajourney.metadata.model",
    "ParentContext": "datajourney.metadata.model",
    "ProtoValue": "datajourney.metadata.model",
    "errors": "datajourney.metadata.errors",
    "generate_statistics": "datajourney.stats.generate",
    "StatsOptions": "datajourney.stats.options",
    "infer_schema": "datajourney.schema",
    "update_schema": "datajourney.schema",
    "write_schema_text": "datajourney.schema",
    "load_schema_text": "datajourney.schema",
    "validate_statistics": "datajourney.validation",
    "snapshot": "datajourney.versioning",
    "restore": "datajourney.versioning",
    "versioning": "datajourney.versioning",
}

__all__ = sorted(_EXPORTS)

# Hooks the metadata store calls for work of upper layers (it imports no other layer; see
# datajourney.metadata.hooks): hook name -> "module:function", imported on first use.
METADATA_HOOKS = {
    "snapshot": "datajourney.versioning.lineage:snapshot_property",
    "restore_inputs": "datajourney.versioning.lineage:restore_inputs",
    "record_run": "datajourney.access.runs:check_run",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'datajourney' has no attribute {name!r}")
    if name in ("errors", "versioning"):
        return import_module(module)
    return getattr(import_module(module), name)
