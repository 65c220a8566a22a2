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
from .raw import CHUNK, Raw, chunks, marks
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
    if version:
        found = load_types(conn, kind, "name = ? AND version = ?", (name, version))
    else:
        found = load_types(conn, kind, "name = ? AND version IS NULL", (name,))
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
    return _types_where_in(conn, kind, "id", sorted(set(ids)))


def known_types(
    conn: Connection, kind: NodeKind, ids: Iterable[int], refresh: bool = False
) -> dict[int, AnyType]:
    """Types of this kind by id, as this connection last read them (``refresh``: read again).

    A type never loses or retypes a property, so a remembered type can only lack properties
    added since: a caller that refuses a node by a remembered type refreshes and checks again.
    What a rolled-back transaction read is forgotten (see ``forget_types``).
    """
    remembered = conn.info.setdefault(_KNOWN_TYPES, {})
    wanted = set(ids)
    missing = wanted if refresh else {i for i in wanted if (kind, i) not in remembered}
    for t in types_by_id(conn, kind, missing):
        remembered[kind, t.id] = t
    return {i: remembered[kind, i] for i in wanted if (kind, i) in remembered}


def forget_types(conn: Connection) -> None:
    """Drop the types ``known_types`` remembers for this connection (on rollback)."""
    conn.info.pop(_KNOWN_TYPES, None)


_KNOWN_TYPES = "datajourney.known_types"


def types_by_external_id(conn: Connection, kind: NodeKind, ids: Sequence[str]) -> list[AnyType]:
    """Types of this kind with these external ids."""
    return _types_where_in(conn, kind, "external_id", sorted(set(ids)))


def _types_where_in(conn: Connection, kind: NodeKind, column: str, values: list) -> list[AnyType]:
    found: list[AnyType] = []
    for part in chunks(values):
        found.extend(load_types(conn, kind, f"{column} IN ({marks(len(part))})", part))
    return sorted(found, key=lambda t: t.id)


def all_types(conn: Connection, kind: NodeKind) -> list[AnyType]:
    """Every user type of this kind (the built-in mlmd.* system types are left out)."""
    names = sorted(_BUILTIN_NAMES)
    return load_types(conn, kind, f"name NOT IN ({marks(len(names))})", names)


_TYPE_COLUMNS = "id, name, version, description, external_id, input_type, output_type"


def load_types(conn: Connection, kind: NodeKind, where: str, params: Sequence) -> list[AnyType]:
    """Types of this kind matching a SQL condition over the Type table, ordered by id."""
    raw = Raw(conn)
    rows = raw.rows(
        f"SELECT {_TYPE_COLUMNS} FROM Type WHERE type_kind = ? AND ({where}) ORDER BY id",
        (int(kind), *params),
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    properties: dict[int, dict[str, PropertyType]] = {i: {} for i in ids}
    bases: dict[int, str] = {}
    for part in chunks(ids, CHUNK // 2):  # properties and base types in one statement
        in_list = marks(len(part))
        for type_id, name, data_type, is_base in raw.rows(
            "SELECT type_id, name, data_type, 0 FROM TypeProperty "
            f"WHERE type_id IN ({in_list}) UNION ALL "
            "SELECT p.type_id, t.name, NULL, 1 FROM ParentType p JOIN Type t "
            f"ON t.id = p.parent_type_id WHERE p.type_id IN ({in_list})",
            (*part, *part),
        ):
            if is_base:
                bases[type_id] = name
            else:
                properties[type_id][name] = PropertyType(data_type or 0)
    cls = TYPE_CLASSES[kind]
    base_enum = _BASE_ENUMS[kind]
    result = []
    for type_id, name, version, description, external_id, input_type, output_type in rows:
        t = cls(
            name=name,
            properties=properties[type_id],
            id=type_id,
            version=version,
            description=description,
            external_id=external_id,
        )
        base = bases.get(type_id)
        if base is not None:
            t.base_type = base_enum[base.split(".", 1)[1].upper()]
        if isinstance(t, ExecutionType):
            t.input_type = json.loads(input_type) if input_type else None
            t.output_type = json.loads(output_type) if output_type else None
        result.append(t)
    return result
