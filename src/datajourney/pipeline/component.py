"""Components: an executor function (the work) wrapped with the ports it declares.

``@component`` turns a plain function into a component class; calling that with channels and
parameters gives one node of a pipeline::

    @component
    def Counter(examples: Input[Examples], counts: Output[Counts], limit: int = 10): ...

    counter = Counter(examples=example_gen.outputs["examples"], limit=5)

The driver, publisher and caching around the executor are the runner's
(:mod:`datajourney.pipeline.launcher`); the executor never touches the metadata store.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from datajourney.metadata.model import Artifact

from .code import source_hash
from .ports import Signature, read_signature


@dataclass(eq=False)
class Channel:
    """An output port of a component, to be wired into inputs of others.

    ``artifacts`` holds what the producer published in its latest run. A channel made by
    ``Channel.of`` has no producer: it hands artifacts already in the store (a warehouse table
    version, a lake entry) to a component as its input, recorded in the lineage as such.
    """

    type_name: str
    producer: Component | None
    key: str
    artifacts: list[Artifact] = field(default_factory=list)

    @classmethod
    def of(cls, artifacts: list[Artifact], type_name: str | None = None) -> Channel:
        """A channel holding stored ``artifacts`` (of ``type_name``, default their type)."""
        name = type_name or (artifacts[0].type if artifacts else None)
        if not name or any(a.id is None for a in artifacts):
            raise TypeError("Channel.of takes stored artifacts (with ids) and their type name")
        return cls(name, None, "artifacts", list(artifacts))

    def __repr__(self) -> str:
        source = self.producer.id if self.producer is not None else "store"
        return f"Channel({source}.{self.key}: {self.type_name})"


class ComponentClass:
    """What ``@component`` returns: calling it makes a :class:`Component`."""

    def __init__(self, executor: Callable[..., Any], name: str | None = None) -> None:
        self.executor = executor
        self.name = name or executor.__name__
        self.signature: Signature = read_signature(executor)
        self.source_hash = source_hash(executor)
        self.__doc__ = executor.__doc__

    def __call__(self, **arguments: Any) -> Component:
        return Component(self, arguments)

    def __repr__(self) -> str:
        return f"<component {self.name}>"


def component(executor: Callable[..., Any] | None = None, *, name: str | None = None) -> Any:
    """Make a component out of an executor function (``@component`` or ``@component(name=)``).

    Annotate inputs ``Input[Type]`` (``= None`` makes one optional), outputs ``Output[Type]``,
    outside files ``InputPath``; every other argument is a parameter (int, float, str, bool, list,
    dict), recorded with the execution and part of the cache key.
    """
    if executor is None:
        return lambda fn: ComponentClass(fn, name)
    return ComponentClass(executor, name)


class Component:
    """One use of a component class in a pipeline: its inputs, parameters and output channels."""

    def __init__(self, cls: ComponentClass, arguments: dict[str, Any]) -> None:
        self.component_class = cls
        self.id = cls.name
        sig = cls.signature
        unknown = set(arguments) - set(sig.inputs) - set(sig.paths) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{cls.name}: unknown argument(s) {', '.join(sorted(unknown))}")
        self.inputs: dict[str, Channel] = {}
        for key, port in sig.inputs.items():
            channel = arguments.get(key)
            if channel is None:
                if not port.optional:
                    raise TypeError(f"{cls.name}: input {key!r} ({port.type_name}) is required")
                continue
            if not isinstance(channel, Channel):
                raise TypeError(
                    f"{cls.name}: input {key!r} must be a channel, e.g. "
                    f"other.outputs[...]; got {type(channel).__name__}"
                )
            if channel.type_name != port.type_name:
                raise TypeError(
                    f"{cls.name}: input {key!r} takes {port.type_name}, "
                    f"got {channel.type_name} from {channel!r}"
                )
            self.inputs[key] = channel
        self.paths: dict[str, str] = {}
        for key in sig.paths:
            if not isinstance(arguments.get(key), str | bytes) and not hasattr(
                arguments.get(key), "__fspath__"
            ):
                raise TypeError(f"{cls.name}: {key!r} must be a path")
            self.paths[key] = str(arguments[key])
        self.parameters: dict[str, Any] = {}
        for key, default in sig.parameters.items():
            value = arguments.get(key, default)
            if value is inspect.Parameter.empty:
                raise TypeError(f"{cls.name}: parameter {key!r} is required")
            self.parameters[key] = value
        try:
            json.dumps(self.parameters, sort_keys=True)
        except TypeError as error:
            raise TypeError(f"{cls.name}: parameters must be JSON values ({error})") from None
        self.outputs: dict[str, Channel] = {
            key: Channel(port.type_name, self, key) for key, port in sig.outputs.items()
        }

    @property
    def type_name(self) -> str:
        """The component's class name, the execution type it is recorded under."""
        return self.component_class.name

    def with_id(self, id: str) -> Component:
        """Name this use (two uses of one class in a pipeline need different ids)."""
        self.id = id
        return self

    def upstream(self) -> list[Component]:
        """The components whose outputs this one reads."""
        producers = [c.producer for c in self.inputs.values() if c.producer is not None]
        return list({id(p): p for p in producers}.values())

    def __repr__(self) -> str:
        return f"<{self.type_name} {self.id!r}>"
