"""The metadata store link: artifacts carry their data's snapshot digest, runs can be replayed.

An artifact recorded with a snapshot has the custom property ``snapshot`` (``SNAPSHOT_PROPERTY``)
holding the digest. ``gc`` keeps every snapshot a LIVE artifact names; ``restore_inputs`` puts
back exactly what an execution consumed (a warehouse table version stays in its table).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .checkout import Link, local_changes, restore
from .errors import NotSnapshottedError
from .guard import local_changes_error
from .repository import RepositoryLike, using
from .tree import snapshot

if TYPE_CHECKING:  # the metadata layer (SQLAlchemy) loads only when a store is used
    from datajourney.metadata.model import Artifact, Execution
    from datajourney.metadata.store import MetadataStore

SNAPSHOT_PROPERTY = "snapshot"
#: The artifact type of a warehouse table version: its table keeps every version (Delta time
#: travel), so restoring an execution's inputs leaves it there.
TABLE_VERSION = "WarehouseTableVersion"


class Restored(dict[int, Path]):
    """What ``restore_inputs`` put back, artifact id -> path; ``skipped``: artifact id -> a
    note saying where the data of an input that was not restored is still read."""

    def __init__(self, placed: dict[int, Path], skipped: dict[int, str]):
        super().__init__(placed)
        self.skipped = skipped


def snapshot_property(path: str | os.PathLike, *, objects: RepositoryLike = None) -> dict[str, str]:
    """Snapshot ``path``; the custom properties to record on its artifact: ``{"snapshot": d}``."""
    return {SNAPSHOT_PROPERTY: snapshot(path, objects=objects)}


def live_snapshots(store: MetadataStore) -> set[str]:
    """The snapshot digests named by LIVE artifacts."""
    artifacts = store.get_artifacts(
        filter_query=f"state = LIVE AND custom_properties.{SNAPSHOT_PROPERTY}.string_value != ''"
    )
    return {
        a.custom_properties[SNAPSHOT_PROPERTY]
        for a in artifacts
        if isinstance(a.custom_properties.get(SNAPSHOT_PROPERTY), str)
    }


def restore_inputs(
    store: MetadataStore,
    execution: Execution | int,
    *,
    dest: str | os.PathLike | None = None,
    link: Link = "copy",
    force: bool = False,
    objects: RepositoryLike = None,
) -> Restored:
    """Put back the data an execution consumed; artifact id -> where it was restored.

    Each input artifact's snapshot goes to its ``uri`` or, with ``dest``, to that uri under
    ``dest``. A warehouse table version read (e.g. the version an append built on) is not
    copied: its table keeps it, and the result's ``skipped`` says how to read it. If any other
    input has no ``snapshot`` property (NotSnapshottedError), or, unless ``force``, any
    restore would overwrite local changes (LocalChangesError, see ``restore``), the error is
    raised before anything is written.
    """
    from datajourney.metadata.model import INPUT_EVENT_TYPES

    execution_id = execution if isinstance(execution, int) else execution.id
    events = store.get_events(execution_ids=[execution_id])
    ids = sorted({e.artifact_id for e in events if e.type in INPUT_EVENT_TYPES})
    found = store.get_artifacts(ids=ids) if ids else []
    skipped = {a.id: _table_note(a) for a in found if a.type == TABLE_VERSION}
    artifacts = [a for a in found if a.id not in skipped]
    missing = [a for a in artifacts if SNAPSHOT_PROPERTY not in a.custom_properties]
    if missing:
        names = ", ".join(f"#{a.id} ({a.uri})" for a in missing)
        raise NotSnapshottedError(
            f"execution {execution_id} read artifacts without a snapshot: {names}", missing[0].uri
        )
    placements = [
        (a.id, a.custom_properties[SNAPSHOT_PROPERTY], _target(a.uri or f"artifact-{a.id}", dest))
        for a in artifacts
    ]
    with using(objects) as repo:
        if not force:
            lost = [
                str(file)
                for _, digest, target in placements
                for file in local_changes(digest, target, objects=repo)
            ]
            if lost:
                raise local_changes_error(Path(dest or ".").absolute(), Path.cwd(), lost)
        placed = {
            artifact_id: restore(digest, target, link=link, force=force, objects=repo)
            for artifact_id, digest, target in placements
        }
    return Restored(placed, skipped)


def _table_note(artifact: Artifact) -> str:
    table = artifact.properties.get("table") or artifact.uri
    version = artifact.properties.get("version")
    return (
        f"{table} version {version} is kept by its table: read it with "
        f"datajourney.warehouse.read_table({artifact.uri!r}, version={version}) "
        "(until a retain removes it)"
    )


def _target(uri: str, dest: str | os.PathLike | None) -> Path:
    parsed = urlparse(uri)
    local = parsed.path if parsed.scheme == "file" else uri
    if dest is None:
        return Path(local)
    relative = PurePath(local)
    parts = [p for p in relative.parts[1 if relative.anchor else 0 :] if p not in ("..", ".")]
    return Path(dest, *parts)
