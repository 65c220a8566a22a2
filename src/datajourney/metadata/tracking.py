"""The concise tracking API: record an execution, its inputs and outputs in a few lines.

    with store.run("Train", context=("Experiment", "demo"), params={"lr": 0.1}) as run:
        data = run.input("DataSet", uri="data/train.csv", split="train")
        run.output("Model", uri="model/", accuracy=0.93)

Types are registered on first use, property types inferred from the values (int, float, str,
bool, dict); a whole float is stored as an int where the type already declares the property
INT. The execution is recorded RUNNING when the block starts, with the host and process id
running it (see liveness); each input is recorded with its INPUT event as it is declared. When
the block ends, the state (COMPLETE, or FAILED with the error text), the outputs, events,
attributions and associations are written in one transaction. A failed block keeps its inputs,
not its outputs. A run links itself to its contexts and never rewrites a stored one, so runs
tracked in one shared context at once do not conflict on its row.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import InvalidArgumentError, NotFoundError
from .hooks import RECORD_RUN, SNAPSHOT, hook
from .liveness import process_record
from .model import (
    AnyNode,
    AnyType,
    Artifact,
    ArtifactState,
    ArtifactType,
    Context,
    ContextType,
    Event,
    EventType,
    Execution,
    ExecutionState,
    ExecutionType,
    NodeKind,
    PropertyType,
)
from .sql.values import property_type_of

if TYPE_CHECKING:
    from .store import MetadataStore

ContextSpec = Context | int | tuple[str, str]
_TYPE_CLASSES = {
    NodeKind.ARTIFACT: ArtifactType,
    NodeKind.EXECUTION: ExecutionType,
    NodeKind.CONTEXT: ContextType,
}


def declare_type(
    store: MetadataStore, kind: NodeKind, name: str, values: dict[str, Any]
) -> AnyType:
    """The type ``name``, registered or widened so it declares these properties (a whole float
    fits a property declared INT: see ``as_declared``)."""
    declared = {key: property_type_of(value) for key, value in values.items()}
    stored = store.find_type(kind, name)
    if stored is None:
        new = _TYPE_CLASSES[kind](name=name, properties=declared)
        new.id = store.put_type(new)
        return new
    for key, wanted in declared.items():
        have = stored.properties.get(key)
        if have not in (None, wanted) and not (have is PropertyType.INT and _whole(values[key])):
            raise InvalidArgumentError(
                f"{name}.{key} is declared {have.name}; the value given is {wanted.name}"
            )
    if set(declared) - set(stored.properties):
        widened = dataclasses.replace(stored, properties={**declared, **stored.properties})
        store.put_type(widened, can_add_fields=True, can_omit_fields=True)
        return widened
    return stored


def ensure_type(store: MetadataStore, kind: NodeKind, name: str, values: dict[str, Any]) -> int:
    """The id of the type ``name``, registered or widened so it declares these properties."""
    return declare_type(store, kind, name, values).id


def as_declared(declared: AnyType, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` in the kinds the type declares: a whole float is an int where it declares
    INT. Sizes, times and counts are DOUBLEs since ML Metadata's PostgreSQL and MySQL layouts
    keep INTs in 32 bits; types registered before then declare them INT, and keep working (on
    those servers a value past 32 bits gets the store's error)."""
    ints = {key for key, kind in declared.properties.items() if kind is PropertyType.INT}
    return {key: int(v) if key in ints and _whole(v) else v for key, v in values.items()}


def _whole(value: Any) -> bool:
    return isinstance(value, float) and value.is_integer()


def resolve_context(store: MetadataStore, spec: ContextSpec | str, create: bool) -> Context:
    """A context from an object, an id, ("Type", "name") (created when ``create``) or a name
    that only one context has."""
    if isinstance(spec, Context):
        return spec
    if isinstance(spec, str):
        found = store.get_contexts(name=spec)
        if len(found) != 1:
            raise (NotFoundError if not found else InvalidArgumentError)(
                f"{len(found)} contexts are named {spec!r}; give (type name, name)"
            )
        return found[0]
    if isinstance(spec, int):
        found = store.get_contexts(ids=[spec])
        if not found:
            raise NotFoundError(f"no context with id {spec}")
        return found[0]
    if not (isinstance(spec, tuple) and len(spec) == 2 and all(isinstance(s, str) for s in spec)):
        raise InvalidArgumentError(f"context {spec!r}: give a Context, an id or (type, name)")
    type_name, name = spec
    found = store.get_contexts(type_name=type_name, name=name)
    if found:
        return found[0]
    if not create:
        raise NotFoundError(f"no {type_name} context named {name!r}")
    return Context(type_id=ensure_type(store, NodeKind.CONTEXT, type_name, {}), name=name)


def _snapshot_of(uri: str | None) -> dict[str, str]:
    """``{"snapshot": digest}`` of the data at ``uri`` (data versioning's hook, loaded only
    when used: recording metadata never needs it otherwise)."""
    if not uri:
        raise InvalidArgumentError("snapshot=True needs the uri of a file or folder")
    return hook(SNAPSHOT)(uri)


def _named(store: MetadataStore, spec: ContextSpec) -> tuple[str, str]:
    """(type name, name) of a context to record into (an existing one looked up)."""
    if isinstance(spec, tuple) and len(spec) == 2 and all(isinstance(s, str) for s in spec):
        return spec
    context = resolve_context(store, spec, create=False)
    type_name = context.type or store.get_types(NodeKind.CONTEXT, ids=[context.type_id])[0].name
    return type_name, context.name or ""


class Run:
    """One recorded execution: declare its inputs and outputs, then leave the ``with`` block."""

    def __init__(
        self,
        store: MetadataStore,
        execution_type: str,
        contexts: Sequence[ContextSpec],
        params: dict[str, Any],
        name: str | None,
    ) -> None:
        self.store = store
        if contexts:  # access control, before anything is written
            hook(RECORD_RUN)(
                store, lambda: [_named(store, c) for c in contexts], f"run {execution_type}"
            )
        declared = declare_type(store, NodeKind.EXECUTION, execution_type, params)
        self.execution = Execution(
            type_id=declared.id,
            name=name,
            properties=as_declared(declared, params),
            custom_properties=process_record(),
            last_known_state=ExecutionState.RUNNING,
        )
        self.contexts = [resolve_context(store, c, create=True) for c in contexts]
        self.inputs: list[Artifact] = []
        self._inputs_recorded = 0  # how many of ``inputs`` the store holds with their events
        self.outputs: list[Artifact] = []
        self._to_snapshot: list[Artifact] = []

    @property
    def id(self) -> int | None:
        """The execution's id (set once the run started)."""
        return self.execution.id

    def _artifact(self, type_name: str, uri: str | None, properties: dict[str, Any]) -> Artifact:
        declared = declare_type(self.store, NodeKind.ARTIFACT, type_name, properties)
        return Artifact(
            type_id=declared.id,
            uri=uri,
            properties=as_declared(declared, properties),
            state=ArtifactState.LIVE,
        )

    def input(
        self,
        artifact: str | Artifact,
        uri: str | None = None,
        snapshot: bool = False,
        **properties: Any,
    ) -> Artifact:
        """Declare an input: a stored artifact, or (type name, uri, properties); the newest
        stored artifact with that type, uri, properties (and, with ``snapshot``, content
        digest) is reused, else one is recorded. ``snapshot=True`` versions the data at
        ``uri`` now (``datajourney.versioning``) and records its digest. Once the run has
        started, the input and its INPUT event are written at once (a run killed later still
        shows what it read); an input declared twice is recorded once."""
        if isinstance(artifact, Artifact):
            found = artifact
        else:
            found = self._artifact(artifact, uri, properties)
            if snapshot:
                found.custom_properties.update(_snapshot_of(uri))
            if uri is not None:
                same = [
                    a
                    for a in self.store.get_artifacts(type_name=artifact, uris=[uri])
                    if a.properties == found.properties
                    and all(
                        a.custom_properties.get(k) == v for k, v in found.custom_properties.items()
                    )
                ]
                found = same[-1] if same else found
        if found.id is None or all(found.id != a.id for a in self.inputs):
            self.inputs.append(found)
        if self.id is not None:
            self._record_inputs()
        return found

    def output(
        self, type_name: str, uri: str | None = None, snapshot: bool = False, **properties: Any
    ) -> Artifact:
        """Declare an output artifact (recorded LIVE when the run completes; with
        ``snapshot=True`` the data at ``uri`` is versioned then, its digest recorded)."""
        artifact = self._artifact(type_name, uri, properties)
        self.outputs.append(artifact)
        if snapshot:
            self._to_snapshot.append(artifact)
        return artifact

    def _start(self) -> None:
        self.execution.id, _, context_ids = self.store.put_execution(
            self.execution,
            [],
            self.contexts,
            reuse_context_if_already_exist=True,
            force_reuse_context=True,
        )
        for context, context_id in zip(self.contexts, context_ids):
            context.id = context_id
        self._record_inputs()

    def _record_inputs(self) -> None:
        """Write the inputs declared since the last call, with their INPUT events."""
        new = self.inputs[self._inputs_recorded :]
        if not new:
            return
        pairs = [(a, Event(type=EventType.INPUT)) for a in new]
        _, ids, _ = self.store.put_execution(
            self.execution, pairs, self.contexts, force_reuse_context=True
        )
        for artifact, artifact_id in zip(new, ids):
            artifact.id = artifact_id
        self._inputs_recorded = len(self.inputs)

    def _finish(self, error: BaseException | None) -> None:
        execution = self.execution
        if error is None:
            for artifact in self._to_snapshot:
                artifact.custom_properties.update(_snapshot_of(artifact.uri))
            execution.last_known_state = ExecutionState.COMPLETE
            outputs = self.outputs
        else:
            execution.last_known_state = ExecutionState.FAILED
            text = "".join(traceback.format_exception_only(type(error), error)).strip()
            execution.custom_properties["error"] = text
            outputs = []
        pairs = [(a, Event(type=EventType.INPUT)) for a in self.inputs[self._inputs_recorded :]]
        pairs += [(a, Event(type=EventType.OUTPUT)) for a in outputs]
        _, ids, _ = self.store.put_execution(
            execution, pairs, self.contexts, force_reuse_context=True
        )
        for artifact, artifact_id in zip([a for a, _ in pairs], ids):
            artifact.id = artifact_id

    def __enter__(self) -> Run:
        self._start()
        return self

    def __exit__(self, kind, error, tb) -> None:
        self._finish(error)


def track(
    store: MetadataStore,
    execution_type: str | None = None,
    context: ContextSpec | None = None,
) -> Callable[[Callable], Callable]:
    """Decorator: every call of the function is a run whose parameters are the call's
    int / float / str / bool arguments; a parameter named ``run`` receives the Run."""

    def decorate(function: Callable) -> Callable:
        signature = inspect.signature(function)
        type_name = execution_type or function.__name__

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            params = {
                k: v
                for k, v in bound.arguments.items()
                if k != "run" and isinstance(v, bool | int | float | str)
            }
            contexts = [context] if context is not None else []
            with Run(store, type_name, contexts, params, None) as run:
                if "run" in signature.parameters:
                    bound.arguments["run"] = run
                return function(*bound.args, **bound.kwargs)

        return wrapper

    return decorate


_PROPERTY_REF = re.compile(
    r"\b((?:custom_)?properties)\.(\w+)(?!\.\w*_value)(?=\s*(?:[=!<>]+|LIKE|IN|IS)\s*(\S?))",
    re.IGNORECASE,
)
_VALUE_FIELDS = {
    PropertyType.INT: "int_value",
    PropertyType.DOUBLE: "double_value",
    PropertyType.STRING: "string_value",
    PropertyType.BOOLEAN: "bool_value",
}


def friendly_filter(where: str, declared: dict[str, PropertyType]) -> str:
    """ML Metadata's filter syntax from a shorter one: ``properties.accuracy > 0.9`` becomes
    ``properties.accuracy.double_value > 0.9`` (the value field from the declared property
    type, else from the literal compared with)."""

    def typed(match: re.Match) -> str:
        group, name, first = match.group(1), match.group(2), match.group(3)
        field = _VALUE_FIELDS.get(declared.get(name)) if group.lower() == "properties" else None
        if field is None:
            rest = where[match.end() :].lstrip(" =!<>").lstrip()
            if first in ("'", '"'):
                field = "string_value"
            elif rest[:4].lower() in ("true", "fals"):
                field = "bool_value"
            elif re.match(r"-?\d+\.\d*|-?\d*\.\d+|-?\d+e", rest, re.IGNORECASE):
                field = "double_value"
            else:
                field = "int_value"
        return f"{group}.{name}.{field}"

    return _PROPERTY_REF.sub(typed, where)


def newest(nodes: list[AnyNode]) -> AnyNode | None:
    """The most recently created node (highest id among equal times), or None."""
    return max(nodes, key=lambda n: (n.create_time_since_epoch or 0, n.id), default=None)
