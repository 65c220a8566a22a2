"""Carrying an erasure plan out, step by step, each step's status saved as it ends.

A step is safe to run again: a crash (or an error) leaves the erasure ``running`` / ``failed``
with the steps done so far marked, and ``resume_erasure`` carries on from the first step not
done. The erasure is ``done`` only after the last step wrote the receipt.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..access import Action, Resource, ResourceKind, check, current_principal
from ..metadata.model import NodeKind
from ..metadata.store import MetadataStore
from .config import ErasureConfig, Hasher, load_config, store_folder
from .datasets import LAKE_ENTRY, TMP_SUFFIX, discover, local_path
from .delta_history import erase_table
from .index import hasher_for, holding, index_subjects
from .lock import claimed, release
from .online import OnlineTarget, delete_entries, vacuum_sqlite, view_keys
from .plan import (
    DONE,
    FAILED,
    NEEDS_RETRAINING,
    RECEIPT_TYPE,
    ErasurePlan,
    Step,
    load_plan,
    save_new,
    save_step,
    set_status,
)
from .rows import filter_bytes, format_of, matcher

ERASURE_PROPERTY = "erasure"


class ErasureIncompleteError(RuntimeError):
    """The subject is still found after every removal step (the erasure is not done)."""


def execute(store: MetadataStore, plan: ErasurePlan) -> ErasurePlan:
    """Run the plan's steps not yet done; the plan, done, with its receipt. The erasure is
    held for this process meanwhile (see ``lock``)."""
    config = load_config(store)
    hasher = hasher_for(store, config)
    if plan.subject_hash is None:
        raise ValueError("a plan without a subject")
    if plan.erasure_id is None:
        plan.requested_by = plan.requested_by or current_principal()
        _authorize(store, plan)
        plan.erasure_id = save_new(store, plan)  # claimed in the same transaction
    try:
        _carry_out(store, plan, config, hasher)
    finally:
        release(store, plan.erasure_id)
    return plan


def _carry_out(store: MetadataStore, plan: ErasurePlan, config, hasher: Hasher) -> None:
    plan.status = "running"
    set_status(store, plan.erasure_id, "running")
    context = _Context(store, plan, config, hasher)
    for step in plan.steps:
        if step.status == DONE:
            continue
        try:
            context.run(step)
        except BaseException:
            set_status(store, plan.erasure_id, FAILED)
            plan.status = FAILED
            raise
        step.status = DONE
        save_step(store, plan.erasure_id, step)
    plan.status = DONE
    set_status(store, plan.erasure_id, DONE, plan.receipt.id if plan.receipt else None)


def resume_erasure(store: MetadataStore, erasure_id: int) -> ErasurePlan:
    """Carry an interrupted erasure on from its first step not done; the plan, done. While
    another process carries it out, ErasureBusyError names that process."""
    load_plan(store, erasure_id)  # NotFoundError first
    claimed(store, erasure_id)
    plan = load_plan(store, erasure_id)  # as the last holder left it
    if plan.status == DONE:
        release(store, erasure_id)
        return plan
    return execute(store, plan)


def _authorize(store: MetadataStore, plan: ErasurePlan) -> None:
    """Every removal is allowed (and audited) before anything changes."""
    note = f"erasure of subject {plan.subject_hash[:16]}: {plan.reason or 'no reason given'}"
    zones_checked = False
    for step in plan.steps:
        if step.kind == "warehouse_table":
            resource = Resource(ResourceKind.WAREHOUSE_TABLE, step.target["name"])
            check(store, Action.DELETE, resource, detail=note)
            check(
                store,
                Action.ADMIN,
                resource,
                detail=f"history rewritten, retention overridden: {note}",
            )
        elif step.kind == "lake_object" and not zones_checked:
            zones_checked = True
            zones = {
                context.name
                for ref in plan.holding
                if ref["type"] == LAKE_ENTRY
                for context in store.get_contexts(artifact_id=ref["artifact_id"])
                if context.type == "LakeZone"
            }
            for zone in sorted(zones) or ["*"]:
                check(store, Action.DELETE, Resource(ResourceKind.LAKE_ZONE, zone), detail=note)
        elif step.kind == "online":
            for views in plan.online.get(step.target["store"], {}):
                check(
                    store,
                    Action.DELETE,
                    Resource(ResourceKind.FEATURE_VIEW, views.split("/", 1)[-1]),
                    detail=note,
                )


class _Context:
    def __init__(self, store: MetadataStore, plan: ErasurePlan, config, hasher: Hasher):
        self.store = store
        self.plan = plan
        self.config: ErasureConfig = config
        self.hasher = hasher
        self.match = matcher(hasher, [plan.subject_hash], plan.key_text)
        self._places = None

    @property
    def places(self):
        if self._places is None:
            _, self._places = discover(self.store, self.config)
        return self._places

    def save(self, step: Step) -> Any:
        def saving(detail: dict[str, Any]) -> None:
            step.detail = detail
            save_step(self.store, self.plan.erasure_id, step)

        return saving

    def run(self, step: Step) -> None:
        getattr(self, "_" + step.kind)(step)

    # Steps -------------------------------------------------------------------------------

    def _warehouse_table(self, step: Step) -> None:
        columns = self.config.columns_for(step.target["name"])
        step.detail = erase_table(
            self.store,
            Path(step.target["location"]),
            columns,
            self.match,
            dict(step.detail),
            self.save(step),
        )

    def _lake_object(self, step: Step) -> None:
        """Store the object without the rows, point every lake entry and snapshot at the new
        object, then remove the old one."""
        old = step.target["digest"]
        objects = self.places.object_path(old)
        from ..versioning.repository import Repository

        if objects is None:  # removed by an earlier run of this step
            step.detail.setdefault("removed", True)
            return
        repo = Repository(objects.parent.parent)
        try:
            data = objects.read_bytes()
            kind = format_of(step.target["name"], data[:4])
            columns = self.config.columns_for(step.target["name"])
            new_data, removed = filter_bytes(data, kind or "", columns, self.match)
            if not removed:  # the index was out of date: nothing of the subject's here
                step.detail = {"rows_removed": 0, "removed": False}
                return
            with repo.locked():
                new = repo.objects.put_bytes(new_data)
                self._repoint(repo, old, new, len(new_data))
                repo.objects.remove(old)
        finally:
            repo.close()
        step.detail = {"new_digest": new, "rows_removed": removed, "removed": True}

    def _repoint(self, repo, old: str, new: str, size: int) -> None:
        from ..versioning.errors import VersioningError
        from ..versioning.manifest import Entry, Manifest

        changed = []
        for artifact in self.store.get_artifacts():
            if artifact.type == LAKE_ENTRY and artifact.properties.get("digest") == old:
                kind = type(artifact.properties.get("size", 0.0))  # (int in older stores)
                properties = {**artifact.properties, "digest": new, "size": kind(size)}
                custom = {**artifact.custom_properties, "snapshot": new}
                custom[ERASURE_PROPERTY] = self.plan.erasure_id
                changed.append(replace(artifact, properties=properties, custom_properties=custom))
                continue
            snap = artifact.custom_properties.get("snapshot")
            if not isinstance(snap, str) or len(snap) != 64:
                continue
            if snap == old:
                new_snap = new
            else:
                try:
                    manifest = repo.manifest(snap)
                except VersioningError:
                    continue
                if not any(e.digest == old for e in manifest.entries):
                    continue
                entries = [
                    Entry(e.path, new, size, e.mode) if e.digest == old else e
                    for e in manifest.entries
                ]
                rebuilt = Manifest.build(manifest.kind, entries)
                new_snap = repo.objects.put_bytes(rebuilt.to_bytes())
            custom = {
                **artifact.custom_properties,
                "snapshot": new_snap,
                ERASURE_PROPERTY: self.plan.erasure_id,
            }
            changed.append(replace(artifact, custom_properties=custom))
        if changed:
            self.store.put(changed)

    def _file(self, step: Step) -> None:
        """Rewrite the file without the rows and record its new content digest."""
        from ..features.lineage import content_digest

        path = Path(step.target["path"])
        if not path.is_file():
            step.detail = {"missing": True}
            return
        data = path.read_bytes()
        kind = format_of(path.name, data[:4])
        new_data, removed = filter_bytes(
            data, kind or "", self.config.columns_for(str(path)), self.match
        )
        if removed:
            tmp = path.with_name(path.name + TMP_SUFFIX)
            tmp.write_bytes(new_data)
            os.replace(tmp, path)
        changed = []
        for artifact in self.store.get_artifacts():
            local = local_path(artifact.uri)
            if local is None or not (local == path or path.is_relative_to(local)):
                continue
            properties = dict(artifact.properties)
            if "digest" in properties:
                properties["digest"] = content_digest(str(local))
            custom = {**artifact.custom_properties, ERASURE_PROPERTY: self.plan.erasure_id}
            changed.append(replace(artifact, properties=properties, custom_properties=custom))
        if changed:
            self.store.put(changed)
        step.detail = {"rows_removed": step.detail.get("rows_removed", 0) + removed}

    def _online(self, step: Step) -> None:
        t = step.target
        target = OnlineTarget(t["kind"], t["where"], t.get("prefix", "dj"))
        deleted = delete_entries(
            target, view_keys(self.store), self.config, self.hasher, {self.plan.subject_hash}
        )
        step.detail = {"entries_deleted": step.detail.get("entries_deleted", 0) + deleted}

    def _mark(self, step: Step) -> None:
        ids = step.target["artifact_ids"]
        if not ids:
            return
        marked = []
        for artifact in self.store.get_artifacts(ids=ids):
            custom = {**artifact.custom_properties, NEEDS_RETRAINING: self.plan.erasure_id}
            marked.append(replace(artifact, custom_properties=custom))
        self.store.put(marked)
        step.detail = {"marked": len(marked)}

    def _verify(self, step: Step) -> None:
        """Index every changed file again: the subject must be found nowhere in the store."""
        index_subjects(self.store, self.config)
        units = {u.dataset: u for u in discover(self.store, self.config)[0]}
        left = [
            d
            for d in holding(self.store, self.plan.subject_hash)
            if units.get(d) is None or units[d].managed
        ]
        if left:
            raise ErasureIncompleteError(
                f"erasure {self.plan.erasure_id}: the subject is still in {len(left)} file(s): "
                + ", ".join(left[:5])
            )
        step.detail = {"still_holding": 0}

    def _vacuum(self, step: Step) -> None:
        """Rewrite the SQLite files so deleted bytes leave their free pages and logs."""
        done = []
        for label in self.plan.online:
            if label.startswith("sqlite:") and Path(label[7:]).is_file():
                vacuum_sqlite(Path(label[7:]))
                done.append(label[7:])
        for root in self.places.objects:
            state = root.parent / "versioning.sqlite"
            if state.is_file():
                vacuum_sqlite(state)
                done.append(str(state))
        url = self.store.url
        if url.startswith("sqlite:///") or ("://" not in url and Path(url).is_file()):
            path = Path(url[len("sqlite:///") :] if url.startswith("sqlite:///") else url)
            if path.is_file():
                _vacuum_retrying(path)
                done.append(str(path))
        step.detail = {"vacuumed": done}

    def _receipt(self, step: Step) -> None:
        """The receipt artifact: what was found and removed, when, by whom; no subject data."""
        plan = self.plan
        existing = (
            [
                a
                for a in self.store.get_artifacts(type_name=RECEIPT_TYPE)
                if a.properties.get("erasure_id") == plan.erasure_id
            ]
            if self.store.find_type(NodeKind.ARTIFACT, RECEIPT_TYPE)
            else []
        )
        if existing:
            plan.receipt = existing[-1]
            return
        removed = {
            s.kind
            + ":"
            + str(
                s.target.get("name") or s.target.get("store") or s.target.get("path") or ""
            ): s.detail
            for s in plan.steps
            if s.kind in ("warehouse_table", "lake_object", "file", "online")
        }
        found = {
            "holding": plan.holding,
            "derived": plan.derived,
            "online": plan.online,
            "external": plan.external,
            "not_searched": plan.not_searched,
        }
        with self.store.run(
            "SubjectErasure",
            context=("Erasure", "subject-erasures"),
            params={"erasure_id": plan.erasure_id, "subject_hash": plan.subject_hash},
        ) as run:
            for ref in plan.holding:
                artifacts = self.store.get_artifacts(ids=[ref["artifact_id"]])
                if artifacts:
                    run.input(artifacts[0])
            receipt = run.output(
                RECEIPT_TYPE,
                uri=f"erasure:{plan.erasure_id}",
                erasure_id=plan.erasure_id,
                subject_hash=plan.subject_hash,
                requested_by=plan.requested_by,
                reason=plan.reason,
                finished_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                found=json.dumps(found, sort_keys=True),
                removed=json.dumps(removed, sort_keys=True),
                marked=json.dumps(
                    next((s.target["artifact_ids"] for s in plan.steps if s.kind == "mark"), [])
                ),
            )
        plan.receipt = self.store.get_artifacts(ids=[receipt.id])[0]
        step.detail = {"receipt_id": receipt.id}


def _vacuum_retrying(path: Path) -> None:
    import sqlite3

    for attempt in range(20):
        try:
            vacuum_sqlite(path)
            return
        except sqlite3.OperationalError:
            if attempt == 19:
                raise
            time.sleep(0.25)


__all__ = ["ErasureIncompleteError", "execute", "resume_erasure", "store_folder"]
