"""``InteractiveContext``: run components one at a time, as in a notebook, and look at what they
produced."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from datajourney.metadata.model import Artifact
from datajourney.metadata.store import MetadataStore

from .component import Channel, Component
from .launcher import ComponentResult, launch
from .scope import RunScope, open_run
from .show import show


class InteractiveContext:
    """One pipeline run that grows as components are run.

    ``store``: a MetadataStore or URL (default the embedded store); ``pipeline_root``: where
    outputs go (default a new temporary folder, as TFX's).
    """

    def __init__(
        self,
        pipeline_name: str = "interactive",
        pipeline_root: str | os.PathLike | None = None,
        store: MetadataStore | str | None = None,
    ) -> None:
        self.store = store if isinstance(store, MetadataStore) else MetadataStore(store)
        root = Path(pipeline_root or tempfile.mkdtemp(prefix=f"datajourney-{pipeline_name}-"))
        self.pipeline_root = root
        self._scope: RunScope = open_run(self.store, pipeline_name, root)

    @property
    def run_id(self) -> str:
        """This context's pipeline run id."""
        return self._scope.run_id

    def run(self, component: Component, enable_cache: bool = True) -> ComponentResult:
        """Run one component (its inputs must have been run in this context or before).

        Raises ComponentFailedError when its executor fails (the failure is recorded).
        """
        return launch(self._scope, component, enable_cache)

    def show(self, item: Artifact | Channel) -> None:
        """Show statistics, a schema or anomalies (HTML in a notebook, text elsewhere)."""
        for artifact in item.artifacts if isinstance(item, Channel) else [item]:
            show(artifact)
