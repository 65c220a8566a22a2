"""What an executor function declares: input and output artifacts by type name, paths of outside
data, parameters. Read from the function's annotations::

    def executor(examples: Input[Examples], stats: Output[ExampleStatistics],
                 source: InputPath = "", ratio: float = 0.5) -> None: ...
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from datajourney.metadata.model import Artifact

from .types import ExternalArtifact

EXTERNAL_TYPE = ExternalArtifact.__name__


@dataclass(frozen=True)
class Port:
    """One declared input or output: its role (input, output, path) and artifact type name."""

    role: str
    type_name: str
    optional: bool = False


class _PortMarker:
    def __init__(self, role: str) -> None:
        self.role = role

    def __getitem__(self, artifact_type: type | str) -> Any:
        name = artifact_type if isinstance(artifact_type, str) else artifact_type.__name__
        return Annotated[Artifact, Port(self.role, name)]


Input = _PortMarker("input")
"""``Input[Examples]``: an input artifact of that type (the executor gets an ``Artifact``)."""
Output = _PortMarker("output")
"""``Output[Schema]``: an output artifact; the executor writes files under its ``uri``."""
InputPath = Annotated[str, Port("path", EXTERNAL_TYPE)]
"""A file or folder outside the pipeline that the executor reads: snapshotted and recorded as an
input artifact, so its content takes part in caching and lineage."""

PARAMETER_TYPES = (int, float, str, bool, list, dict)
_UNIONS = (typing.Union, types.UnionType)
_PORT_TEXT = re.compile(r"^(Input|Output)\[(['\"]?)(\w+)\2\]$|^(InputPath)$")


@dataclass(frozen=True)
class Signature:
    """The ports and parameters of an executor function."""

    inputs: dict[str, Port]
    outputs: dict[str, Port]
    paths: dict[str, Port]
    parameters: dict[str, Any]  # name -> default (inspect.Parameter.empty when required)


def read_signature(fn: Callable[..., Any]) -> Signature:
    """The ports and parameters that ``fn`` declares; TypeError names a bad declaration."""
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except NameError:  # a class local to a function: read the annotation text instead
        hints = {}
    inputs: dict[str, Port] = {}
    outputs: dict[str, Port] = {}
    paths: dict[str, Port] = {}
    parameters: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        hint = hints.get(name, param.annotation)
        port = _port_of(hint) if not isinstance(hint, str) else _port_from_text(hint)
        if port is None:
            _check_parameter(fn, name, hint)
            parameters[name] = param.default
            continue
        if port.role == "input" and param.default is None:
            port = Port(port.role, port.type_name, optional=True)
        {"input": inputs, "output": outputs, "path": paths}[port.role][name] = port
    return Signature(inputs, outputs, paths, parameters)


def _port_of(hint: Any) -> Port | None:
    if typing.get_origin(hint) is Annotated:
        return next((m for m in hint.__metadata__ if isinstance(m, Port)), None)
    if typing.get_origin(hint) in _UNIONS:
        found = [p for p in map(_port_of, typing.get_args(hint)) if p is not None]
        return found[0] if found else None
    return None


def _port_from_text(text: str) -> Port | None:
    """``Input[X]`` / ``Output[X]`` / ``InputPath`` (possibly ``... | None``) from its source."""
    found = _PORT_TEXT.match(text.replace(" | None", "").strip())
    if found is None:
        return None
    role, type_name = found.group(1) or found.group(4), found.group(3)
    if role == "InputPath":
        return Port("path", EXTERNAL_TYPE)
    return Port(role.lower(), type_name)


def _check_parameter(fn: Callable[..., Any], name: str, hint: Any) -> None:
    base = typing.get_origin(hint) or hint
    if isinstance(hint, str) or hint is inspect.Parameter.empty:
        return
    if hint is not None and base not in PARAMETER_TYPES and base not in _UNIONS:
        raise TypeError(
            f"{fn.__name__}: parameter {name!r} must be Input[...], Output[...], InputPath "
            f"or one of int, float, str, bool, list, dict; got {hint!r}"
        )
