"""The erasure plan: every data set version holding a subject (from the subject index), what
derives from them (walking the lineage downstream), the online entries, and the steps that
remove the subject, in order. Persisted with each step's status, so a crash leaves a plan that
can be resumed (``resume_erasure``), never one that claims to be done."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..metadata.errors import NotFoundError
from ..metadata.store import MetadataStore
from . import tables
from .config import ErasureConfig, Hasher, load_config, normalize
from .datasets import LAKE_ENTRY, TABLE_VERSION, Unit, local_path
from .delta_history import versions_holding
from .index import hasher_for, holding, not_searched, survey
from .lock import claim
from .online import find_entries, targets, view_keys

if TYPE_CHECKING:
    from ..metadata.model import Artifact

RECEIPT_TYPE = "ErasureReceipt"
NEEDS_RETRAINING = "needs_retraining"
PLANNED, RUNNING, FAILED, DONE = "planned", "running", "failed", "done"


def _marked(type_name: str) -> bool:
    return type_name == "TrainingSet" or "model" in type_name.lower()


@dataclass
class Step:
    """One unit of work: its kind, what it works on (no subject data), status, outcome."""

    seq: int
    kind: str
    target: dict[str, Any]
    status: str = "pending"
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "target": self.target,
            "status": self.status,
            "detail": self.detail,
        }


def _ref(artifact: Artifact, **extra: Any) -> dict[str, Any]:
    p = artifact.properties
    name = p.get("table") or p.get("path") or p.get("name") or artifact.uri or ""
    ref = {"artifact_id": artifact.id, "type": artifact.type, "name": str(name)}
    if "version" in p:
        ref["version"] = p["version"]
    return {**ref, **extra}


@dataclass
class ErasurePlan:
    """What erasing one subject finds and does (``str()`` for a summary, ``to_json()``).

    ``holding``: data set versions holding the subject's rows; ``derived``: artifacts made
    from them (``mark``: True for training sets and models, which get ``needs_retraining``);
    ``online``: online store -> view -> entries; ``external``: files outside the store's
    folders holding the subject (listed, not changed); ``not_searched``: files that could not
    be read; ``steps``: the work, in order."""

    subject_hash: str
    holding: list[dict[str, Any]] = field(default_factory=list)
    derived: list[dict[str, Any]] = field(default_factory=list)
    online: dict[str, dict[str, int]] = field(default_factory=dict)
    external: list[str] = field(default_factory=list)
    not_searched: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    reason: str = ""
    requested_by: str = ""
    erasure_id: int | None = None
    status: str = PLANNED
    receipt: Artifact | None = None
    store: MetadataStore | None = field(default=None, repr=False)
    key_text: str | None = field(default=None, repr=False)  # in memory only, never stored
    dry_run: bool = field(default=False, repr=False)  # made without updating the index

    @property
    def found(self) -> bool:
        """Whether the subject was found anywhere."""
        return bool(self.holding or self.online or self.external)

    def execute(self, reason: str | None = None) -> ErasurePlan:
        """Carry the plan out (see ``erase_subject``); the plan, done, with its receipt. A dry
        run's plan is made again first, with the index brought up to date (what it found may
        have changed since, and the key file may not have existed yet): the plan returned."""
        from .execute import execute

        if reason is not None:
            self.reason = reason
        if self.store is None:
            raise NotFoundError("this plan is not bound to a store")
        if not self.dry_run:
            return execute(self.store, self)
        if self.key_text is None:
            raise NotFoundError("this dry run's plan no longer knows its subject's key")
        fresh = make_plan(
            self.store, self.key_text, reason=self.reason, requested_by=self.requested_by
        )
        return execute(self.store, fresh)

    def to_json(self) -> dict[str, Any]:
        return {
            "erasure_id": self.erasure_id,
            "status": self.status,
            "subject_hash": self.subject_hash,
            "reason": self.reason,
            "requested_by": self.requested_by,
            "holding": self.holding,
            "derived": self.derived,
            "online": self.online,
            "external": self.external,
            "not_searched": self.not_searched,
            "steps": [s.to_json() for s in self.steps],
            "receipt_id": self.receipt.id if self.receipt is not None else None,
        }

    def __str__(self) -> str:
        head = f"erasure {self.erasure_id or '(dry run)'}: {self.status}"
        lines = [head, f"subject (keyed hash): {self.subject_hash[:16]}..."]
        if not self.found:
            lines.append("the subject was found nowhere")
        for ref in self.holding:
            version = f" version {ref['version']}" if "version" in ref else ""
            lines.append(
                f"  holds rows: {ref['type']} #{ref['artifact_id']} {ref['name']}{version}"
            )
        for label, views in self.online.items():
            for view, count in views.items():
                lines.append(
                    f"  online: {label} {view}: {count} entr{'y' if count == 1 else 'ies'}"
                )
        for ref in self.derived:
            what = "needs retraining" if ref.get("mark") else "derived"
            lines.append(f"  {what}: {ref['type']} #{ref['artifact_id']} {ref['name']}")
        for path in self.external:
            lines.append(f"  outside the store (not changed): {path}")
        for dataset, why in self.not_searched.items():
            lines.append(f"  not searched: {dataset} ({why})")
        lines.append("steps:")
        lines += [
            f"  {s.seq}. {s.kind} {_label(s)}".rstrip() + f" [{s.status}]" for s in self.steps
        ]
        if self.receipt is not None:
            lines.append(f"receipt: ErasureReceipt #{self.receipt.id}")
        return "\n".join(lines)


def _label(step: Step) -> str:
    t = step.target
    if step.kind == "mark":
        return f"{len(t['artifact_ids'])} artifact(s) as needing retraining"
    return str(t.get("name") or t.get("path") or t.get("store") or t.get("digest", "")[:16] or "")


def make_plan(
    store: MetadataStore,
    key: Any,
    config: ErasureConfig | None = None,
    reason: str = "",
    requested_by: str = "",
    dry_run: bool = False,
) -> ErasurePlan:
    """Find the subject everywhere, bringing the index up to date first; change no data. A
    ``dry_run`` writes nothing at all (works on a read-only store): it plans from the index as
    it is, reading the files the index does not hold as they are now in memory."""
    config = config or load_config(store)
    if not config.key_columns and not config.datasets:
        from ..metadata.errors import FailedPreconditionError

        raise FailedPreconditionError(
            "erasure: no key column is configured; set one with `datajourney erase "
            "--key-column user_id` or datajourney.erasure.configure(store, "
            "key_columns=['user_id'])"
        )
    hasher = hasher_for(store, config, create=not dry_run)
    subject = hasher.of(key)
    if subject is None:
        from ..metadata.errors import InvalidArgumentError

        raise InvalidArgumentError("erasure: the subject key is empty")
    report = survey(store, config, hasher, subject if dry_run else None)
    plan = ErasurePlan(subject, reason=reason, requested_by=requested_by, store=store)
    plan.key_text = normalize(key)
    plan.dry_run = dry_run
    units = {u.dataset: u for u in report.units}
    found = [units[d] for d in holding(store, subject, report) if d in units]
    artifacts = store.get_artifacts()
    holders: dict[int, dict[str, Any]] = {}
    steps: list[Step] = []
    _tables(found, artifacts, holders, steps)
    _objects(found, artifacts, holders, steps, report.places)
    _files(found, artifacts, holders, steps, plan)
    wanted = {subject}
    views = view_keys(store)
    for target in targets(store, config):
        try:
            entries = find_entries(target, views, config, hasher, wanted)
        except Exception as error:  # an online store that cannot be reached
            plan.not_searched[target.label] = f"unreachable: {type(error).__name__}"
            continue
        if entries:
            plan.online[target.label] = entries
            steps.append(Step(0, "online", {"store": target.label, **target.to_json()}))
    plan.holding = sorted(holders.values(), key=lambda r: r["artifact_id"])
    plan.derived = _derived(store, plan.holding)
    marks = [r["artifact_id"] for r in plan.derived if r["mark"]]
    marks += [r["artifact_id"] for r in plan.holding if _marked(r["type"])]
    steps.append(Step(0, "mark", {"artifact_ids": sorted(set(marks))}))
    steps += [Step(0, "verify", {}), Step(0, "vacuum", {}), Step(0, "receipt", {})]
    for seq, step in enumerate(steps, 1):
        step.seq = seq
    plan.steps = steps
    plan.not_searched.update(not_searched(store, report))
    return plan


def _same_place(uri: str | None, path: Path) -> bool:
    local = local_path(uri)
    return local is not None and local.resolve() == path.resolve()


def _tables(found: list[Unit], artifacts, holders, steps) -> None:
    by_table: dict[str, list[Unit]] = {}
    for unit in found:
        if unit.kind == "delta":
            by_table.setdefault(unit.table, []).append(unit)
    for location, units in sorted(by_table.items()):
        rels = {u.path.relative_to(location).as_posix() for u in units}
        versions = set(versions_holding(Path(location), rels))
        for artifact in artifacts:
            if (
                artifact.type == TABLE_VERSION
                and artifact.properties.get("version") in versions
                and _same_place(artifact.uri, Path(location))
            ):
                holders[artifact.id] = _ref(artifact)
        steps.append(Step(0, "warehouse_table", {"location": location, "name": units[0].name}))


def _objects(found: list[Unit], artifacts, holders, steps, where) -> None:
    digests = {u.dataset.split(":", 1)[1]: u for u in found if u.kind == "object"}
    if not digests:
        return
    from ..versioning.errors import VersioningError
    from ..versioning.manifest import Manifest

    for artifact in artifacts:
        if artifact.type == LAKE_ENTRY:
            if artifact.properties.get("digest") in digests:
                holders[artifact.id] = _ref(artifact)
            continue
        snap = artifact.custom_properties.get("snapshot")
        if not isinstance(snap, str) or len(snap) != 64:
            continue
        if snap in digests:
            holders[artifact.id] = _ref(artifact)
            continue
        path = where.object_path(snap) if where else None
        if path is None:
            continue
        try:
            manifest = Manifest.from_bytes(path.read_bytes(), snap)
        except VersioningError:
            continue
        if any(e.digest in digests for e in manifest.entries):
            holders[artifact.id] = _ref(artifact)
    for digest, unit in sorted(digests.items()):
        steps.append(Step(0, "lake_object", {"digest": digest, "name": unit.name}))


def _files(found: list[Unit], artifacts, holders, steps, plan: ErasurePlan) -> None:
    for unit in found:
        if unit.kind != "file":
            continue
        for artifact in artifacts:
            local = local_path(artifact.uri)
            if local is None or not (local == unit.path or unit.path.is_relative_to(local)):
                continue
            if unit.managed or artifact.id not in holders:  # a stored copy in the store
                holders[artifact.id] = _ref(artifact, external=not unit.managed)
        if unit.managed:
            steps.append(Step(0, "file", {"path": str(unit.path), "name": unit.path.name}))
        else:
            plan.external.append(str(unit.path))


def _derived(store: MetadataStore, holding_refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    own = {r["artifact_id"] for r in holding_refs}
    found: dict[int, dict[str, Any]] = {}
    for ref in holding_refs:
        graph = store.lineage(ref["artifact_id"], "downstream")
        for artifact in graph.artifacts.values():
            if artifact.id in own or artifact.id in found or artifact.type == RECEIPT_TYPE:
                continue
            found[artifact.id] = _ref(artifact, mark=_marked(artifact.type or ""))
    return sorted(found.values(), key=lambda r: r["artifact_id"])


# Persistence -------------------------------------------------------------------------------


def save_new(store: MetadataStore, plan: ErasurePlan) -> int:
    """Persist a plan about to run (status running) with its steps, held by this process
    (``lock``); its erasure id."""
    with tables.connection(store) as conn:
        result = conn.execute(
            tables.ERASURE.insert().values(
                subject_hash=plan.subject_hash,
                status=RUNNING,
                reason=plan.reason,
                requested_by=plan.requested_by,
                created_at_ms=tables.now_ms(),
                plan=json.dumps(plan.to_json()),
            )
        )
        erasure_id = int(result.inserted_primary_key[0])
        claim(conn, erasure_id)
        conn.execute(
            tables.STEP.insert(),
            [
                {
                    "erasure_id": erasure_id,
                    "seq": s.seq,
                    "kind": s.kind,
                    "target": json.dumps(s.target),
                    "status": s.status,
                    "detail": json.dumps(s.detail),
                }
                for s in plan.steps
            ],
        )
    return erasure_id


def save_step(store: MetadataStore, erasure_id: int, step: Step) -> None:
    with tables.connection(store) as conn:
        conn.execute(
            tables.STEP.update()
            .where(tables.STEP.c.erasure_id == erasure_id, tables.STEP.c.seq == step.seq)
            .values(
                status=step.status,
                detail=json.dumps(step.detail),
                done_at_ms=tables.now_ms() if step.status == "done" else None,
            )
        )


def set_status(
    store: MetadataStore, erasure_id: int, status: str, receipt_id: int | None = None
) -> None:
    values: dict[str, Any] = {"status": status}
    if status == DONE:
        values["finished_at_ms"] = tables.now_ms()
        values["receipt_id"] = receipt_id
    with tables.connection(store) as conn:
        conn.execute(
            tables.ERASURE.update().where(tables.ERASURE.c.id == erasure_id).values(**values)
        )


def load_plan(store: MetadataStore, erasure_id: int) -> ErasurePlan:
    """A persisted erasure with its steps' status."""
    with tables.connection(store) as conn:
        row = conn.execute(
            sa.select(tables.ERASURE).where(tables.ERASURE.c.id == erasure_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no erasure {erasure_id}")
        steps = conn.execute(
            sa.select(tables.STEP)
            .where(tables.STEP.c.erasure_id == erasure_id)
            .order_by(tables.STEP.c.seq)
        ).all()
    data = json.loads(row.plan)
    plan = ErasurePlan(
        row.subject_hash,
        holding=data["holding"],
        derived=data["derived"],
        online=data["online"],
        external=data["external"],
        not_searched=data["not_searched"],
        steps=[
            Step(s.seq, s.kind, json.loads(s.target), s.status, json.loads(s.detail)) for s in steps
        ],
        reason=row.reason,
        requested_by=row.requested_by,
        erasure_id=row.id,
        status=row.status,
        store=store,
    )
    if row.receipt_id is not None:
        found = store.get_artifacts(ids=[row.receipt_id])
        plan.receipt = found[0] if found else None
    return plan


def erasures(store: MetadataStore) -> list[dict[str, Any]]:
    """Every erasure: id, status, keyed hash, reason, who, when, receipt (newest first)."""
    with tables.connection(store) as conn:
        rows = conn.execute(sa.select(tables.ERASURE).order_by(tables.ERASURE.c.id.desc())).all()
    return [
        {
            "id": r.id,
            "status": r.status,
            "subject_hash": r.subject_hash,
            "reason": r.reason,
            "requested_by": r.requested_by,
            "created_at_ms": r.created_at_ms,
            "finished_at_ms": r.finished_at_ms,
            "receipt_id": r.receipt_id,
        }
        for r in rows
    ]


__all__ = ["ErasurePlan", "Hasher", "Step", "erasures", "load_plan", "make_plan"]
