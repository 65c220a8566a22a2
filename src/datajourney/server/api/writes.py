"""The writing REST resources: types, nodes, events, memberships, whole runs, deletion.

Every route depends on ``require_writable`` (403 on a ``--read-only`` server) and makes one
store call or one transaction, so a refused request changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from datajourney.access import Action
from datajourney.metadata.errors import InvalidArgumentError
from datajourney.metadata.model import (
    TYPE_CLASSES,
    Artifact,
    ArtifactState,
    Association,
    Attribution,
    Context,
    Event,
    EventType,
    Execution,
    ExecutionState,
    NodeKind,
    ParentContext,
    PropertyType,
)
from datajourney.metadata.store import MetadataStore

from .. import data
from ..deps import StoreDep, require_writable
from ..governance import METADATA, require

router = APIRouter(dependencies=[Depends(require_writable)])

Value = StrictInt | StrictFloat | StrictStr | StrictBool | dict[str, Any]
Properties = dict[str, Value]
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
BIG = 2**63 - 1


class TypeIn(BaseModel):
    """A type to register (or evolve with can_add_fields / can_omit_fields)."""

    kind: data.KindLiteral
    name: str = Field(min_length=1)
    properties: dict[str, PropertyType | str] = {}
    version: str | None = None
    description: str | None = None
    can_add_fields: bool = False
    can_omit_fields: bool = False


class NodeIn(BaseModel):
    """A new node: its type by name (registered already), and its fields."""

    type: str = Field(min_length=1)
    name: str | None = None
    external_id: str | None = None
    uri: str | None = None
    state: str | None = None
    properties: Properties = {}
    custom_properties: Properties = {}
    context_ids: list[Annotated[int, Field(ge=1, le=BIG)]] = []


class NodePatch(BaseModel):
    """Fields to change on a stored node; the fields not given stay as they are."""

    name: str | None = None
    external_id: str | None = None
    uri: str | None = None
    state: str | None = None
    properties: Properties | None = None
    custom_properties: Properties | None = None


class EventIn(BaseModel):
    artifact_id: int = Field(ge=1, le=BIG)
    execution_id: int = Field(ge=1, le=BIG)
    type: str = "INPUT"


class MembersIn(BaseModel):
    """Artifacts, executions and child contexts to put into a context."""

    artifact_ids: list[Annotated[int, Field(ge=1, le=BIG)]] = []
    execution_ids: list[Annotated[int, Field(ge=1, le=BIG)]] = []
    child_context_ids: list[Annotated[int, Field(ge=1, le=BIG)]] = []


class RunArtifact(BaseModel):
    """An input or output of a run: a stored artifact (``id``) or a type name, uri and
    properties (a stored input with the same is reused)."""

    id: int | None = Field(default=None, ge=1, le=BIG)
    type: str | None = None
    uri: str | None = None
    properties: Properties = {}


class RunIn(BaseModel):
    """A whole run, recorded as ``store.run(...)`` records it: the execution (COMPLETE, or
    FAILED when ``error`` is given), its inputs and outputs, in its contexts."""

    execution_type: str = Field(min_length=1)
    name: str | None = None
    contexts: list[tuple[str, str]] = []
    params: Properties = {}
    inputs: list[RunArtifact] = []
    outputs: list[RunArtifact] = []
    error: str | None = None


def _enum(cls: type, name: str | None, what: str) -> Any:
    if name is None:
        return None
    try:
        return cls[name.upper()]
    except KeyError:
        choices = ", ".join(m.name for m in cls)
        raise InvalidArgumentError(f"{what} {name!r}: choose one of {choices}") from None


def _property_type(value: PropertyType | str) -> PropertyType:
    return value if isinstance(value, PropertyType) else _enum(PropertyType, value, "property type")


@router.post("/types", tags=["types"], status_code=201)
def put_type(store: StoreDep, body: TypeIn) -> dict[str, Any]:
    """Register a type; ``{"id": ...}``."""
    require(store, Action.WRITE, METADATA, f"put {body.kind} type {body.name}")
    kind = data.parse_kind(body.kind)
    t = TYPE_CLASSES[kind](
        name=body.name,
        properties={k: _property_type(v) for k, v in body.properties.items()},
        version=body.version,
        description=body.description,
    )
    return {"id": store.put_type(t, body.can_add_fields, body.can_omit_fields)}


def _new_node(store: MetadataStore, kind: NodeKind, body: NodeIn) -> Any:
    t = store.get_type(kind, body.type)
    fields: dict[str, Any] = {
        "type_id": t.id,
        "name": body.name,
        "external_id": body.external_id,
        "properties": dict(body.properties),
        "custom_properties": dict(body.custom_properties),
    }
    if kind is NodeKind.ARTIFACT:
        state = _enum(ArtifactState, body.state, "state")
        return Artifact(**fields, uri=body.uri, state=state)
    if body.uri is not None:
        raise InvalidArgumentError(f"only artifacts have a uri, not {kind.name.lower()}s")
    if kind is NodeKind.EXECUTION:
        state = _enum(ExecutionState, body.state, "state")
        return Execution(**fields, last_known_state=state)
    if body.state is not None:
        raise InvalidArgumentError("contexts have no state")
    return Context(**fields)


def _creator(kind_name: str):
    kind = data.KINDS[kind_name]

    def create(store: StoreDep, body: NodeIn) -> dict[str, Any]:
        require(store, Action.WRITE, METADATA, f"create {noun} of type {body.type}")
        node = _new_node(store, kind, body)
        with store.transaction():
            [node_id] = store.put([node])
            if body.context_ids:
                if kind is NodeKind.CONTEXT:
                    links = [ParentContext(node_id, p) for p in body.context_ids]
                    store.put_parent_contexts(links)
                elif kind is NodeKind.ARTIFACT:
                    links = [Attribution(c, node_id) for c in body.context_ids]
                    store.put_attributions_and_associations(links, [])
                else:
                    links = [Association(c, node_id) for c in body.context_ids]
                    store.put_attributions_and_associations([], links)
            return data.node_json(data.get_node(store, kind, node_id))

    def update(store: StoreDep, node_id: Id, body: NodePatch) -> dict[str, Any]:
        require(store, Action.WRITE, METADATA, f"update {noun} {node_id}")
        given = body.model_dump(exclude_unset=True)
        mask = []
        with store.transaction():
            node = data.get_node(store, kind, node_id)
            for field, value in given.items():
                if field == "state":
                    if kind is NodeKind.CONTEXT:
                        raise InvalidArgumentError("contexts have no state")
                    cls = ArtifactState if kind is NodeKind.ARTIFACT else ExecutionState
                    attr = "state" if kind is NodeKind.ARTIFACT else "last_known_state"
                    setattr(node, attr, _enum(cls, value, "state"))
                    mask.append(attr)
                elif field == "uri" and kind is not NodeKind.ARTIFACT:
                    raise InvalidArgumentError(f"only artifacts have a uri, not {kind_name}")
                elif field in ("properties", "custom_properties"):
                    getattr(node, field).update(value or {})
                    mask.extend(f"{field}.{k}" for k in value or {})
                else:
                    setattr(node, field, value)
                    mask.append(field)
            store.put([node], mask)
            return data.node_json(data.get_node(store, kind, node_id))

    def delete(
        store: StoreDep, node_id: Id, cascade: bool = False, dry_run: bool = False
    ) -> dict[str, Any]:
        if not dry_run:
            what = f"delete {noun} {node_id}" + (" with what derives from it" if cascade else "")
            require(store, Action.DELETE, METADATA, what)
        else:
            require(store, Action.DESCRIBE, METADATA)
        remove = {
            NodeKind.ARTIFACT: store.delete_artifacts,
            NodeKind.EXECUTION: store.delete_executions,
            NodeKind.CONTEXT: store.delete_contexts,
        }[kind]
        plan = remove([node_id], cascade=cascade, dry_run=dry_run)
        return {**asdict(plan), "summary": str(plan)}

    noun = kind_name.removesuffix("s")
    create.__doc__ = f"Record a new {noun} (type by name), optionally in contexts."
    update.__doc__ = f"Change fields of a stored {noun}; properties given are merged in."
    delete.__doc__ = (
        f"Delete a {noun}; refused (412) when others derive from it unless cascade; "
        "dry_run reports what would go."
    )
    tags = [kind_name]
    router.add_api_route(
        f"/{kind_name}", create, methods=["POST"], tags=tags, status_code=201, name=f"create_{noun}"
    )
    router.add_api_route(
        f"/{kind_name}/{{node_id}}", update, methods=["PATCH"], tags=tags, name=f"update_{noun}"
    )
    router.add_api_route(
        f"/{kind_name}/{{node_id}}", delete, methods=["DELETE"], tags=tags, name=f"delete_{noun}"
    )


for _name in data.KINDS:
    _creator(_name)


@router.post("/events", tags=["events"], status_code=201)
def put_event(store: StoreDep, body: EventIn) -> dict[str, Any]:
    """Record that an execution read (INPUT) or wrote (OUTPUT) an artifact."""
    require(store, Action.WRITE, METADATA, f"put event {body.artifact_id}-{body.execution_id}")
    event_type = _enum(EventType, body.type, "event type")
    event = Event(artifact_id=body.artifact_id, execution_id=body.execution_id, type=event_type)
    store.put_events([event])
    return data.event_json(store.get_events([body.artifact_id], [body.execution_id])[-1])


@router.post("/contexts/{node_id}/members", tags=["contexts"])
def put_members(store: StoreDep, node_id: Id, body: MembersIn) -> dict[str, Any]:
    """Put artifacts, executions and child contexts into a context."""
    require(store, Action.WRITE, METADATA, f"put members into context {node_id}")
    with store.transaction():
        data.get_node(store, NodeKind.CONTEXT, node_id)
        store.put_attributions_and_associations(
            [Attribution(node_id, a) for a in body.artifact_ids],
            [Association(node_id, e) for e in body.execution_ids],
        )
        if body.child_context_ids:
            store.put_parent_contexts([ParentContext(c, node_id) for c in body.child_context_ids])
    return data.written_node_detail(store, NodeKind.CONTEXT, node_id)


_RUN_KEYWORDS = frozenset({"artifact", "type_name", "uri", "snapshot"})


class _RecordedFailure(Exception):
    """Makes ``store.run`` record a run as FAILED with the client's error text."""


def _run_artifact(store: MetadataStore, item: RunArtifact, role: str) -> Artifact | None:
    if item.id is not None:
        return data.get_node(store, NodeKind.ARTIFACT, item.id)
    if not item.type:
        raise InvalidArgumentError(f"each {role} needs an id, or a type (with uri, properties)")
    return None


@router.post("/runs", tags=["runs"], status_code=201)
def record_run(store: StoreDep, body: RunIn) -> dict[str, Any]:
    """Record a run as ``store.run`` does: types registered on first use, inputs reused when
    stored, COMPLETE with its outputs (FAILED, without outputs, when ``error`` is given)."""
    require(store, Action.WRITE, METADATA, f"record a run of {body.execution_type}")
    for item in body.outputs:
        if item.id is not None or not item.type:
            raise InvalidArgumentError("each output needs a type (and uri, properties), not an id")
    for item in [*body.inputs, *body.outputs]:
        clash = sorted(set(item.properties) & _RUN_KEYWORDS)
        if clash:
            raise InvalidArgumentError(f"a run artifact property cannot be named {clash[0]!r}")
    with store.transaction():
        known = [_run_artifact(store, item, "input") for item in body.inputs]
        run = store.run(
            body.execution_type,
            context=list(body.contexts),
            params=dict(body.params),
            name=body.name,
        )
        try:
            with run:
                for item, artifact in zip(body.inputs, known):
                    if artifact is not None:
                        run.input(artifact)
                    else:
                        run.input(item.type, uri=item.uri, **item.properties)
                for item in body.outputs:
                    run.output(item.type, uri=item.uri, **item.properties)
                if body.error is not None:
                    raise _RecordedFailure(body.error)
        except _RecordedFailure:
            run.execution.custom_properties["error"] = body.error
            store.put([run.execution], ["custom_properties.error"])
        return data.written_node_detail(store, NodeKind.EXECUTION, run.id)
