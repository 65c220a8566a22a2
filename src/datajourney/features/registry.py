"""The registry: feature definitions kept in the metadata store, every version with its
content digest, so definitions are artifacts in the same lineage as the data and models.

Each ``apply`` is a ``FeatureApply`` execution in the project's ``FeatureProject`` context;
its outputs are the new versions, one artifact each (type ``FeatureView``, ``FeatureEntity``,
``FeatureService``, ``OnDemandFeatureView`` or ``FeatureSource``), with the properties
``name``, ``project``, ``version``, ``digest``, ``status`` (``active`` / ``deleted``) and
``spec`` (the definition as JSON). A definition's current state is its highest version.
"""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field

import blake3

from ..metadata.model import Artifact
from ..metadata.store import MetadataStore
from .errors import RegistryError

FORMAT = 1  # bumped when the stored layout changes; a newer one is refused
PROJECT_TYPE = "FeatureProject"
APPLY_TYPE = "FeatureApply"
KIND_TYPES = {
    "Entity": "FeatureEntity",
    "FeatureView": "FeatureView",
    "LabelView": "FeatureView",  # a feature view of labels: same names, same erasure
    "OnDemandFeatureView": "OnDemandFeatureView",
    "FeatureService": "FeatureService",
    "FileSource": "FeatureSource",
    "WarehouseSource": "FeatureSource",
    "PushSource": "FeatureSource",
    "RequestSource": "FeatureSource",
    "Project": "FeatureProjectDefinition",
}
TYPE_NAMES = sorted(set(KIND_TYPES.values()))


def digest(spec: dict) -> str:
    """The content digest of a definition (its spec as canonical JSON)."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return blake3.blake3(text.encode()).hexdigest()[:32]


@dataclass
class Version:
    """One stored version of a definition."""

    kind: str
    name: str
    version: int
    digest: str
    status: str
    spec: dict
    artifact_id: int
    created_ms: int
    changed_by: str = ""

    @property
    def active(self) -> bool:
        """Whether the definition exists in this version (not a deletion)."""
        return self.status == "active"


@dataclass
class Plan:
    """What ``apply`` would change: (kind, name) lists."""

    added: list[tuple[str, str]] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # only applied with delete

    @property
    def empty(self) -> bool:
        """Nothing would be written."""
        return not (self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        """``+ kind name`` / ``~`` / ``-`` lines for people."""
        return [
            *(f"+ {k} {n}" for k, n in self.added),
            *(f"~ {k} {n}" for k, n in self.changed),
            *(f"- {k} {n}" for k, n in self.removed),
        ]


def _version_of(artifact: Artifact) -> Version:
    p = artifact.properties
    return Version(
        kind=json.loads(p["spec"])["kind"],
        name=p["name"],
        version=p["version"],
        digest=p["digest"],
        status=p["status"],
        spec=json.loads(p["spec"]),
        artifact_id=artifact.id,
        created_ms=artifact.create_time_since_epoch or 0,
        changed_by=artifact.custom_properties.get("changed_by", ""),
    )


class Registry:
    """The definitions of one project in a metadata store."""

    def __init__(self, store: MetadataStore, project: str):
        self.store = store
        self.project = project
        self._check_format()

    def _context(self):
        found = self.store.get_contexts(type_name=PROJECT_TYPE, name=self.project)
        return found[0] if found else None

    def _check_format(self) -> None:
        context = self._context()
        stored = (context.custom_properties.get("registry_format", FORMAT)) if context else FORMAT
        if isinstance(stored, int) and stored > FORMAT:
            raise RegistryError(
                f"the registry of project {self.project!r} in {self.store.url} was written by a "
                f"newer datajourney (format {stored}; this one reads up to {FORMAT})"
            )

    def versions(self) -> list[Version]:
        """Every stored version of every definition of the project, oldest first."""
        if self._context() is None:
            return []
        found: list[Version] = []
        for type_name in TYPE_NAMES:
            for artifact in self.store.artifacts(type_name, context=(PROJECT_TYPE, self.project)):
                found.append(_version_of(artifact))
        return sorted(found, key=lambda v: (v.created_ms, v.artifact_id))

    def current(self, include_deleted: bool = False) -> dict[tuple[str, str], Version]:
        """The latest version of each definition, keyed by (type name, name)."""
        latest: dict[tuple[str, str], Version] = {}
        for v in self.versions():
            key = (KIND_TYPES[v.kind], v.name)
            if key not in latest or v.version > latest[key].version:
                latest[key] = v
        return {k: v for k, v in latest.items() if include_deleted or v.active}

    def history(self, name: str) -> list[Version]:
        """Every version of the definitions with this name, oldest first."""
        return [v for v in self.versions() if v.name == name]

    def plan(self, specs: Iterable[dict], delete: bool = False) -> Plan:
        """How the registry would change to hold exactly these definitions (``removed`` lists
        those not given; they are only deleted with ``delete``)."""
        current = self.current()
        plan = Plan()
        given = set()
        for spec in specs:
            key = (KIND_TYPES[spec["kind"]], spec["name"])
            given.add(key)
            have = current.get(key)
            if have is None:
                plan.added.append(key)
            elif have.digest != digest(spec):
                plan.changed.append(key)
            else:
                plan.unchanged.append(key)
        if delete:
            plan.removed = sorted(k for k in current if k not in given)
        return plan

    def apply(self, specs: list[dict], delete: bool = False) -> Plan:
        """Store new versions of the added and changed definitions (and deletions with
        ``delete``) as one ``FeatureApply`` execution; returns the plan applied."""
        plan = self.plan(specs, delete)
        if plan.empty:
            return plan
        everything = self.current(include_deleted=True)
        by_key = {(KIND_TYPES[s["kind"]], s["name"]): s for s in specs}
        who = f"{getpass.getuser()}@{socket.gethostname()}"
        with self.store.run(
            APPLY_TYPE, context=(PROJECT_TYPE, self.project), params={"changed_by": who}
        ) as run:
            for key in [*plan.added, *plan.changed, *plan.removed]:
                previous = everything.get(key)
                spec = by_key.get(key) or previous.spec
                number = previous.version + 1 if previous else 1
                output = run.output(
                    key[0],
                    name=spec["name"],
                    project=self.project,
                    version=number,
                    digest=digest(spec),
                    status="deleted" if key in plan.removed else "active",
                    spec=json.dumps(spec, sort_keys=True),
                )
                output.name = f"{self.project}/{spec['name']}@v{number}"
                output.custom_properties["changed_by"] = who
        context = self._context()
        if context is not None and "registry_format" not in context.custom_properties:
            context.custom_properties["registry_format"] = FORMAT
            self.store.put([context])
        return plan

    def teardown(self) -> Plan:
        """Mark every definition of the project deleted (history stays)."""
        return self.apply([], delete=True)
