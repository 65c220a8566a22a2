"""Types (ArtifactType, ExecutionType, ContextType): registration, evolution and lookup."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, and_, insert, select, update

from ..errors import (
    AlreadyExistsError,
    InvalidArgumentError,
    NotFoundError,
    UnimplementedError,
)
from ..model import (
    TYPE_CLASSES,
    AnyType,
    ArtifactBaseType,
    ContextBaseType,
    ExecutionBaseType,
    ExecutionType,
    NodeKind,
    PropertyType,
)
from .schema import BUILTIN_TYPES, parent_type_table, type_property_table, type_table

_BUILTIN_NAMES = {name for name, _ in BUILTIN_TYPES}
_BASE_ENUMS = {
    NodeKind.ARTIFACT: ArtifactBaseType,
    NodeKind.EXECUTION: ExecutionBaseType,
    NodeKind.CONTEXT: ContextBaseType,
}


def builtin_name(kind: NodeKind, base_type: int) -> str:
    """The system type a base_type enum value stands for, e.g. DATASET -> mlmd.Dataset."""
    return "mlmd." + _BASE_ENUMS[kind](base_type).name.capitalize()


def put_type(
    conn: Connection, t: AnyType, can_add_fields: bool = False, can_omit_fields: bool = False
) -> int:
    """Create a type, or check and evolve the stored type with the same (name, version)."""
    kind = t.kind
    if not t.name:
        raise InvalidArgumentError("type name is empty")
    for name, data_type in t.properties.items():
        if PropertyType(data_type) == PropertyType.UNKNOWN:
            raise InvalidArgumentError(f"property {name!r} of type {t.name!r} has type UNKNOWN")
    stored = find_type(conn, kind, t.name, t.version)
    if stored is None:
        return _insert_type(conn, t)
    if t.id is not None and t.id != stored.id:
        raise InvalidArgumentError(
            f"type {t.name!r} is stored with id {stored.id}, the request says {t.id}"
        )
    added = {}
    for name, data_type in t.properties.items():
        old = stored.properties.get(name)
        if old is None:
            added[name] = data_type
        elif old != data_type:
            raise AlreadyExistsError(
                f"type {t.name!r} property {name!r} is stored as {old.name}, "
                f"the request says {PropertyType(data_type).name}"
            )
    if added and not can_add_fields:
        raise AlreadyExistsError(
            f"type {t.name!r} exists without properties {sorted(added)}; "
            "pass can_add_fields=True to add them"
        )
    omitted = set(stored.properties) - set(t.properties)
    if omitted and not can_omit_fields:
        raise AlreadyExistsError(
            f"type {t.name!r} has properties {sorted(omitted)} that the request omits; "
            "pass can_omit_fields=True to allow it"
        )
    if added:
        conn.execute(
            insert(type_property_table),
            [{"type_id": stored.id, "name": n, "data_type": int(d)} for n, d in added.items()],
        )
    _update_type_fields(conn, stored, t)
    return stored.id


def _update_type_fields(conn: Connection, stored: AnyType, t: AnyType) -> None:
    """Apply what a re-registration may change (as ML Metadata: external_id and the execution
    input / output types, a base type where there was none; the description stays as first
    registered and a base type cannot change)."""
    if t.base_type and stored.base_type and t.base_type != stored.base_type:
        names = _BASE_ENUMS[t.kind]
        raise UnimplementedError(
            f"type {t.name!r}: changing base_type from {names(stored.base_type).name} to "
            f"{names(t.base_type).name} is not supported"
        )
    if t.base_type and not stored.base_type:
        _insert_base_type(conn, stored.id, t)
    changes = {}
    if t.external_id and t.external_id != stored.external_id:
        changes["external_id"] = t.external_id
        _check_type_external_id_free(conn, t.external_id)
    if isinstance(t, ExecutionType):
        for field in ("input_type", "output_type"):
            value = getattr(t, field)
            if value is not None and value != getattr(stored, field):
                changes[field] = json.dumps(value, separators=(",", ":"))
    if changes:
        conn.execute(update(type_table).where(type_table.c.id == stored.id).values(**changes))


def _check_type_external_id_free(conn: Connection, external_id: str) -> None:
    found = conn.execute(
        select(type_table.c.name).where(type_table.c.external_id == external_id)
    ).first()
    if found:
        raise AlreadyExistsError(f"type external_id {external_id!r} is used by {found[0]!r}")


def _insert_type(conn: Connection, t: AnyType) -> int:
    if t.external_id:
        _check_type_external_id_free(conn, t.external_id)
    row = {
        "name": t.name,
        "version": t.version or None,
        "type_kind": int(t.kind),
        "description": t.description,
        "external_id": t.external_id or None,
    }
    if isinstance(t, ExecutionType):
        for field in ("input_type", "output_type"):
            value = getattr(t, field)
            if value is not None:
                row[field] = json.dumps(value, separators=(",", ":"))
    type_id = conn.execute(insert(type_table).values(**row)).inserted_primary_key[0]
    if t.properties:
        conn.execute(
            insert(type_property_table),
            [{"type_id": type_id, "name": n, "data_type": int(d)} for n, d in t.properties.items()],
        )
    if t.base_type:
        _insert_base_type(conn, type_id, t)
    return type_id


def _insert_base_type(conn: Connection, type_id: int, t: AnyType) -> None:
    if not t.base_type:
        return
    name = builtin_name(t.kind, t.base_type)
    parent = conn.execute(
        select(type_table.c.id).where(
            and_(type_table.c.name == name, type_table.c.type_kind == int(t.kind))
        )
    ).scalar()
    if parent is None:
        raise NotFoundError(f"system type {name!r} is missing from the store")
    conn.execute(insert(parent_type_table).values(type_id=type_id, parent_type_id=parent))


def find_type(
    conn: Connection, kind: NodeKind, name: str, version: str | None = None
) -> AnyType | None:
    """The type of this kind with this name and version (None = no version), or None."""
    version_clause = (
        type_table.c.version.is_(None) if not version else type_table.c.version == version
    )
    found = load_types(
        conn,
        kind,
        and_(type_table.c.name == name, version_clause),
    )
    return found[0] if found else None


def get_type(conn: Connection, kind: NodeKind, name: str, version: str | None = None) -> AnyType:
    """Like ``find_type`` but a missing type is a NotFoundError."""
    found = find_type(conn, kind, name, version)
    if found is None:
        described = f"{name!r}" + (f" version {version!r}" if version else "")
        raise NotFoundError(f"no {kind.name.lower()} type {described}")
    return found


def types_by_id(conn: Connection, kind: NodeKind, ids: Iterable[int]) -> list[AnyType]:
    """Types of this kind with these ids (missing ids are left out)."""
    return load_types(conn, kind, type_table.c.id.in_(list(ids)))


def types_by_external_id(conn: Connection, kind: NodeKind, ids: Sequence[str]) -> list[AnyType]:
    """Types of this kind with these external ids."""
    return load_types(conn, kind, type_table.c.external_id.in_(list(ids)))


def all_types(conn: Connection, kind: NodeKind) -> list[AnyType]:
    """Every user type of this kind (the built-in mlmd.* system types are left out)."""
    return load_types(conn, kind, type_table.c.name.not_in(_BUILTIN_NAMES))


def load_types(conn: Connection, kind: NodeKind, where) -> list[AnyType]:
    """Types of this kind matching a clause over the Type table, ordered by id."""
    rows = conn.execute(
        select(type_table)
        .where(and_(type_table.c.type_kind == int(kind), where))
        .order_by(type_table.c.id)
    ).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    properties: dict[int, dict[str, PropertyType]] = {i: {} for i in ids}
    for type_id, name, data_type in conn.execute(
        select(
            type_property_table.c.type_id,
            type_property_table.c.name,
            type_property_table.c.data_type,
        ).where(type_property_table.c.type_id.in_(ids))
    ):
        properties[type_id][name] = PropertyType(data_type or 0)
    bases = dict(
        conn.execute(
            select(parent_type_table.c.type_id, type_table.c.name)
            .join(type_table, type_table.c.id == parent_type_table.c.parent_type_id)
            .where(parent_type_table.c.type_id.in_(ids))
        ).all()
    )
    cls = TYPE_CLASSES[kind]
    base_enum = _BASE_ENUMS[kind]
    result = []
    for row in rows:
        t = cls(
            name=row.name,
            properties=properties[row.id],
            id=row.id,
            version=row.version,
            description=row.description,
            external_id=row.external_id,
        )
        base = bases.get(row.id)
        if base is not None:
            t.base_type = base_enum[base.split(".", 1)[1].upper()]
        if isinstance(t, ExecutionType):
            t.input_type = json.loads(row.input_type) if row.input_type else None
            t.output_type = json.loads(row.output_type) if row.output_type else None
        result.append(t)
    return result
