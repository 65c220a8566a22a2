"""The statistics, schema and anomalies an artifact holds, as JSON-able dicts.

An artifact's files are found the way the pipeline writes them (TFX's layout): a folder with
``Split-<name>/FeatureStats.pb`` (ExampleStatistics), ``Split-<name>/anomalies.pbtxt``
(ExampleAnomalies) or ``schema.pbtxt`` (Schema), the splits listed in the custom property
``split_names``; or the artifact's uri is the file itself (``stats.pb``, ``schema.pbtxt``...).
The protos are given as protobuf's JSON mapping (field names as in the .proto files).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datajourney.access import Action
from datajourney.metadata.errors import FailedPreconditionError, NotFoundError
from datajourney.metadata.model import Artifact, NodeKind
from datajourney.metadata.store import MetadataStore

from .data import _brief, get_node
from .governance import METADATA, require

SPLIT_NAMES = "split_names"
STATISTICS_FILE = "FeatureStats.pb"
ANOMALIES_FILE = "anomalies.pbtxt"
SCHEMA_FILE = "schema.pbtxt"
TEXT_SUFFIXES = (".pbtxt", ".textproto", ".textpb", ".pb.txt")
# A file artifact holds statistics / a schema / anomalies when its name ends like this.
SUFFIXES = {
    STATISTICS_FILE: (".pb", ".tfrecord", ".binarypb", ".binpb", *TEXT_SUFFIXES),
    SCHEMA_FILE: TEXT_SUFFIXES,
    ANOMALIES_FILE: TEXT_SUFFIXES,
}


def _splits(artifact: Artifact) -> list[str]:
    raw = artifact.custom_properties.get(SPLIT_NAMES)
    try:
        names = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def artifact_files(artifact: Artifact, file_name: str, what: str) -> dict[str, Path]:
    """Split name ("" for none) -> the file of ``what`` the artifact holds."""
    if not artifact.uri:
        raise NotFoundError(f"artifact {artifact.id} has no uri, so no {what}")
    root = Path(artifact.uri)
    if root.is_file():
        if not root.name.lower().endswith(SUFFIXES[file_name]):
            raise NotFoundError(f"artifact {artifact.id} ({artifact.type}) holds no {what}: {root}")
        split = artifact.properties.get("split") or artifact.custom_properties.get("split")
        return {str(split) if split else "": root}
    if root.is_dir():
        splits = _splits(artifact)
        found = {s: root / f"Split-{s}" / file_name for s in splits}
        found = {s: p for s, p in found.items() if p.is_file()}
        if not found and (root / file_name).is_file():
            found = {"": root / file_name}
        if found:
            return found
        raise NotFoundError(f"artifact {artifact.id} ({artifact.type}) holds no {what} at {root}")
    raise NotFoundError(f"the files of artifact {artifact.id} are gone: {root} does not exist")


def _load(path: Path, load: Callable[[Path], Any], what: str) -> dict:
    from google.protobuf import json_format

    try:
        message = load(path)
    except FileNotFoundError:
        raise NotFoundError(f"{what} file {path} is gone") from None
    except (OSError, ValueError) as error:
        raise FailedPreconditionError(f"{what} file {path} cannot be read: {error}") from None
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def _artifact_protos(
    store: MetadataStore,
    artifact_id: int,
    file_name: str,
    what: str,
    load: Callable[[Path], Any],
) -> dict[str, Any]:
    require(store, Action.READ_OFFLINE, METADATA, f"{what} of artifact {artifact_id}")
    artifact = get_node(store, NodeKind.ARTIFACT, artifact_id)
    files = artifact_files(artifact, file_name, what)
    return {
        "artifact": _brief(artifact),
        "splits": {split: _load(path, load, what) for split, path in files.items()},
        "files": {split: str(path) for split, path in files.items()},
    }


def artifact_statistics(store: MetadataStore, artifact_id: int) -> dict[str, Any]:
    """Per split, the artifact's ``DatasetFeatureStatisticsList`` (histograms, quantiles,
    top values, missing counts per feature)."""
    from datajourney.stats import load_statistics

    return _artifact_protos(store, artifact_id, STATISTICS_FILE, "statistics", load_statistics)


def artifact_schema(store: MetadataStore, artifact_id: int) -> dict[str, Any]:
    """The artifact's TFMD ``Schema`` (``splits[""]`` for one schema file)."""
    from datajourney.schema import load_schema_text

    return _artifact_protos(store, artifact_id, SCHEMA_FILE, "schema", load_schema_text)


def artifact_anomalies(store: MetadataStore, artifact_id: int) -> dict[str, Any]:
    """Per split, the artifact's ``Anomalies`` (per-feature reasons, dataset anomalies)."""
    from datajourney.validation import load_anomalies_text

    return _artifact_protos(store, artifact_id, ANOMALIES_FILE, "anomalies", load_anomalies_text)
