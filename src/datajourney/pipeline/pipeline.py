"""``Pipeline``: components wired by their channels into a DAG, run locally in topological order
(independent branches in parallel when asked)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from datajourney.metadata.store import DEFAULT_FOLDER, MetadataStore

from .component import Component
from .errors import ComponentFailedError, DefinitionError, PipelineError
from .launcher import ComponentResult, launch
from .scope import open_run

Progress = Callable[[ComponentResult], None]


@dataclass
class PipelineResult:
    """The outcome of one pipeline run, component by component (in the order they ended)."""

    run_id: str
    results: list[ComponentResult]

    @property
    def ok(self) -> bool:
        """Whether every component completed or was served from cache."""
        return all(r.state in ("COMPLETE", "CACHED") for r in self.results)

    def __getitem__(self, component_id: str) -> ComponentResult:
        return next(r for r in self.results if r.component_id == component_id)


class Pipeline:
    """Named components forming a DAG through their channels.

    ``store``: a MetadataStore or URL (default the embedded store); ``root``: the folder outputs
    are written under (default ``./.datajourney/pipelines/<name>``); ``dask_scheduler``: the
    Dask scheduler every data step runs on (a component's own ``dask_scheduler`` wins; see
    :mod:`~datajourney.pipeline.components.engine`).
    """

    def __init__(
        self,
        name: str,
        components: Sequence[Component],
        store: MetadataStore | str | None = None,
        root: str | os.PathLike | None = None,
        dask_scheduler: str | None = None,
    ) -> None:
        self.name = name
        self.components = topological_order(components)
        if dask_scheduler is not None:
            for component in self.components:
                if "dask_scheduler" in component.parameters:
                    component.parameters["dask_scheduler"] = (
                        component.parameters["dask_scheduler"] or dask_scheduler
                    )
        self.store = store if isinstance(store, MetadataStore) else MetadataStore(store)
        self.root = Path(root) if root is not None else Path(DEFAULT_FOLDER) / "pipelines" / name

    def run(
        self, enable_cache: bool = True, parallel: int = 1, progress: Progress | None = None
    ) -> PipelineResult:
        """Run every component once inputs are ready; a failure stops what depends on it.

        ``parallel`` > 1 runs independent components in that many threads. Failed and skipped
        components appear in the result (``result.ok`` is False); a later run resumes, the
        successes served from cache.
        """
        scope = open_run(self.store, self.name, self.root)
        results: list[ComponentResult] = []
        done: set[Component] = set()
        blocked: set[Component] = set()
        waiting = list(self.components)

        def finish(result: ComponentResult, component: Component) -> None:
            results.append(result)
            (done if result.state in ("COMPLETE", "CACHED") else blocked).add(component)
            if progress is not None:
                progress(result)

        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            running: dict[Future, Component] = {}
            while waiting or running:
                for component in list(waiting):
                    upstream = component.upstream()
                    if any(u in blocked for u in upstream):
                        waiting.remove(component)
                        finish(ComponentResult(component.id, "SKIPPED"), component)
                    elif all(u in done for u in upstream) and len(running) < max(1, parallel):
                        waiting.remove(component)
                        running[pool.submit(launch, scope, component, enable_cache)] = component
                if not running:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    component = running.pop(future)
                    finish(_outcome(future, component), component)
        return PipelineResult(scope.run_id, results)


def _outcome(future: Future, component: Component) -> ComponentResult:
    try:
        return future.result()
    except ComponentFailedError as error:
        return ComponentResult(component.id, "FAILED", error.execution_id, error=error.error)
    except PipelineError as error:
        return ComponentResult(component.id, "FAILED", error=str(error))


def topological_order(components: Sequence[Component]) -> list[Component]:
    """The components, each after those it reads from (stable for independent ones).

    DefinitionError when an input comes from a component not in the list, when two components
    share an id, or when the channels form a cycle.
    """
    members = set(components)
    ids = [c.id for c in components]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise DefinitionError(f"duplicate component id(s): {', '.join(duplicates)} (use .with_id)")
    for component in components:
        for key, channel in component.inputs.items():
            if channel.producer is not None and channel.producer not in members:
                raise DefinitionError(
                    f"{component.id}: input {key!r} comes from {channel.producer.id}, "
                    "which is not in the pipeline"
                )
    ordered: list[Component] = []
    placed: set[Component] = set()
    remaining = list(components)
    while remaining:
        ready = [c for c in remaining if all(u in placed for u in c.upstream())]
        if not ready:
            cycle = " -> ".join(c.id for c in remaining)
            raise DefinitionError(f"the components form a cycle: {cycle}")
        for component in ready:
            ordered.append(component)
            placed.add(component)
            remaining.remove(component)
    return ordered
