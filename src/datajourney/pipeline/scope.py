"""A pipeline run's place in the store: its contexts (pipeline, pipeline_run, node, as TFX names
them), type ids, the environment record, and the folder outputs are written under."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from datajourney.metadata.model import (
    Artifact,
    ArtifactState,
    ArtifactType,
    Attribution,
    Context,
    ContextType,
    ParentContext,
)
from datajourney.metadata.store import MetadataStore

from .environment import Environment, current_environment

PIPELINE_CONTEXT = "pipeline"
RUN_CONTEXT = "pipeline_run"
NODE_CONTEXT = "node"
PACKAGES_TYPE = "PythonPackages"


@dataclass
class RunScope:
    """Everything the components of one pipeline run share."""

    store: MetadataStore
    pipeline_name: str
    root: Path
    run_id: str
    pipeline_context: Context
    run_context: Context
    environment: Environment
    packages: Artifact
    # Store writes of parallel components take turns (SQLite has one writer); executors do not.
    writing: threading.RLock = field(default_factory=threading.RLock)
    _type_ids: dict[tuple[type, str], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def type_id(self, kind: type, name: str) -> int:
        """The id of an artifact / execution / context type, registered on first use."""
        with self._lock:
            key = (kind, name)
            if key not in self._type_ids:
                self._type_ids[key] = self.store.put_type(kind(name))
            return self._type_ids[key]

    def node_context(self, component_id: str) -> Context:
        """The context of one component of this pipeline, created on first use."""
        name = f"{self.pipeline_name}.{component_id}"
        type_id = self.type_id(ContextType, NODE_CONTEXT)
        with self.store.transaction():
            found = self.store.get_contexts(type_name=NODE_CONTEXT, name=name)
            if found:
                return found[0]
            context = Context(type_id=type_id, name=name)
            [context.id] = self.store.put([context])
            self.store.put_parent_contexts([ParentContext(context.id, self.pipeline_context.id)])
            return context

    def output_uri(self, component_id: str, key: str, execution_id: int) -> Path:
        """Where an output artifact's files go: ``root/component/key/execution``."""
        return self.root / component_id / key / str(execution_id)


def open_run(
    store: MetadataStore, pipeline_name: str, root: str | Path, run_id: str | None = None
) -> RunScope:
    """Register a new pipeline run (its contexts and environment record) and return its scope."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    run_id = run_id or (
        datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ") + "-" + uuid.uuid4().hex[:6]
    )
    _check_context(store, pipeline_name, run_id)
    environment = current_environment()
    scope = RunScope(
        store=store,
        pipeline_name=pipeline_name,
        root=root,
        run_id=run_id,
        pipeline_context=Context(),
        run_context=Context(),
        environment=environment,
        packages=Artifact(),
    )
    pipeline_type = scope.type_id(ContextType, PIPELINE_CONTEXT)
    run_type = scope.type_id(ContextType, RUN_CONTEXT)
    packages_type = scope.type_id(ArtifactType, PACKAGES_TYPE)
    packages_file = root / "_environment" / f"packages-{environment.packages_digest[:16]}.txt"
    if not packages_file.exists():
        packages_file.parent.mkdir(exist_ok=True)
        packages_file.write_text(environment.packages)
    with store.transaction():
        found = store.get_contexts(type_name=PIPELINE_CONTEXT, name=pipeline_name)
        scope.pipeline_context = (
            found[0] if found else Context(type_id=pipeline_type, name=pipeline_name)
        )
        if not found:
            [scope.pipeline_context.id] = store.put([scope.pipeline_context])
        scope.run_context = Context(
            type_id=run_type, name=f"{pipeline_name}.{run_id}", custom_properties={"run_id": run_id}
        )
        [scope.run_context.id] = store.put([scope.run_context])
        store.put_parent_contexts([ParentContext(scope.run_context.id, scope.pipeline_context.id)])
        packages = store.get_artifacts(type_name=PACKAGES_TYPE, uris=[str(packages_file)])
        scope.packages = (
            packages[0]
            if packages
            else Artifact(
                type_id=packages_type,
                uri=str(packages_file),
                state=ArtifactState.LIVE,
                custom_properties={"digest": environment.packages_digest},
            )
        )
        if not packages:
            [scope.packages.id] = store.put([scope.packages])
        store.put_attributions_and_associations(
            [Attribution(scope.run_context.id, scope.packages.id)], []
        )
    return scope


def _check_context(store: MetadataStore, pipeline_name: str, run_id: str) -> None:
    """With an access policy in force, recording a run needs ``write`` on the pipeline's
    context (resource kind ``context``, its name, tag ``type: pipeline``), as any run's."""
    from datajourney.access.runs import check_run

    check_run(store, lambda: [(PIPELINE_CONTEXT, pipeline_name)], f"pipeline run {run_id}")
