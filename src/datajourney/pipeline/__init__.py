"""Pipelines whose components record themselves in the metadata store.

Write an executor as a plain function, make it a component with :func:`component`, wire
components by their channels into a :class:`Pipeline` (or run them one by one in an
:class:`InteractiveContext`). Each run is recorded (contexts, events, the environment), outputs
are published PENDING -> LIVE, and unchanged work is served from cache. See docs/pipelines.md.
"""

from .component import Channel, Component, component
from .components import CsvExampleGen, ExampleValidator, ImportSchemaGen, SchemaGen, StatisticsGen
from .diff import ExecutionDiff, diff_executions
from .environment import Environment, current_environment
from .errors import ComponentFailedError, DefinitionError, InputError, PipelineError
from .interactive import InteractiveContext
from .launcher import ComponentResult
from .pipeline import Pipeline, PipelineResult
from .ports import Input, InputPath, Output
from .show import artifact_html, show

__all__ = [
    "Channel",
    "Component",
    "ComponentFailedError",
    "ComponentResult",
    "CsvExampleGen",
    "DefinitionError",
    "Environment",
    "ExampleValidator",
    "ExecutionDiff",
    "ImportSchemaGen",
    "Input",
    "InputError",
    "InputPath",
    "InteractiveContext",
    "Output",
    "Pipeline",
    "PipelineError",
    "PipelineResult",
    "SchemaGen",
    "StatisticsGen",
    "artifact_html",
    "component",
    "current_environment",
    "diff_executions",
    "show",
]
