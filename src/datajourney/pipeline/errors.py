"""Pipeline errors: each names the component and the problem in one line."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of the pipeline errors."""


class DefinitionError(PipelineError):
    """The pipeline is not a valid DAG: a cycle, a missing producer, a duplicate id."""


class InputError(PipelineError):
    """A component's input cannot be resolved: not published yet, or an outside path missing."""


class ComponentFailedError(PipelineError):
    """An executor raised; its execution is recorded FAILED with this error's text."""

    def __init__(self, component_id: str, execution_id: int, error: str) -> None:
        super().__init__(f"{component_id} failed (execution {execution_id}): {error}")
        self.component_id = component_id
        self.execution_id = execution_id
        self.error = error
