"""Feature values between Arrow columns and the online stores' JSON, by declared type."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Sequence
from typing import Any

from .errors import FeatureStoreError
from .types import Field, ValueType

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return (value - _EPOCH) // datetime.timedelta(microseconds=1)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN is a missing value
        return None
    return value


def encode_rows(columns: dict[str, list], fields: Sequence[Field], what: str = "rows") -> list[str]:
    """One JSON object per row: feature name -> value (timestamps as epoch microseconds,
    bytes as base64; Map, Json and Struct values, given as JSON text, as the data they hold)."""
    names = [f.name for f in fields]
    lists = [
        parsed_json(columns[f.name], f, what) if f.dtype.is_json else columns[f.name]
        for f in fields
    ]
    count = len(lists[0]) if lists else 0
    return [
        json.dumps({n: _plain(values[i]) for n, values in zip(names, lists)}, allow_nan=False)
        for i in range(count)
    ]


_ENCODED = (ValueType.UNIX_TIMESTAMP, ValueType.BYTES, ValueType.UNIX_TIMESTAMP_LIST)


def needs_decoding(field: Field) -> bool:
    """Whether stored values of this field differ from their Python form (timestamps,
    bytes); others are stored as they are."""
    return field.dtype.value_type in _ENCODED


def decode(value: Any, field: Field) -> Any:
    """A stored value back in its Python form."""
    if value is None:
        return None
    kind = field.dtype.value_type
    if kind == ValueType.UNIX_TIMESTAMP:
        return _EPOCH + datetime.timedelta(microseconds=value)
    if kind == ValueType.BYTES:
        return base64.b64decode(value)
    if kind == ValueType.UNIX_TIMESTAMP_LIST:
        return [_EPOCH + datetime.timedelta(microseconds=v) for v in value]
    return value


def _json_error(what: str, field: Field, row: int, problem: str) -> FeatureStoreError:
    return FeatureStoreError(
        f"{what}: column {field.name!r} ({field.dtype.name}) row {row}: {problem}"
    )


def parsed_json(texts: Sequence[str | None], field: Field, what: str) -> list[Any]:
    """JSON texts of a Map, Json or Struct column as the data they hold; text that is not
    JSON is a FeatureStoreError naming the column and the row."""
    found = []
    for row, text in enumerate(texts):
        try:
            found.append(None if text is None else json.loads(text))
        except ValueError as error:
            raise _json_error(what, field, row, f"invalid JSON ({error})") from None
    return found


def _jsonable(value: Any) -> Any:
    """A value as plain JSON data (numpy arrays and scalars, tuples, timestamps)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return _plain(value)


def json_text(value: Any, field: Field, what: str, row: int) -> str | None:
    """A Map, Json or Struct value checked against its type, as JSON text (None stays None).
    A Json value is JSON text (kept as given) or data; a Map a dict with string keys; a
    Struct a dict of its declared fields, each of its declared type."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    kind = field.dtype.value_type
    if kind == ValueType.JSON:
        if isinstance(value, str | bytes):
            text = value.decode() if isinstance(value, bytes) else value
            parsed_json([text], field, what)
            return text
        return json.dumps(_jsonable(value), allow_nan=False)
    if isinstance(value, list) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        value = dict(value)  # an Arrow map's entries
    if not isinstance(value, dict):
        raise _json_error(what, field, row, f"{type(value).__name__} {value!r} is not a dict")
    if kind == ValueType.MAP:
        if not all(isinstance(k, str) for k in value):
            raise _json_error(what, field, row, "a Map's keys must be strings")
        return json.dumps(_jsonable(value), allow_nan=False)
    import pyarrow as pa

    declared = dict(field.dtype.fields)
    unknown = [k for k in value if k not in declared]
    if unknown:
        raise _json_error(what, field, row, f"no field {unknown[0]!r} in {field.dtype.name}")
    try:
        typed = pa.array([value], arrow_type(field)).to_pylist()[0]
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as error:
        raise _json_error(what, field, row, str(error)) from None
    return json.dumps(_jsonable(typed), allow_nan=False)


def json_column(values: Sequence[Any], field: Field, what: str):
    """An Arrow column of JSON texts for a Map, Json or Struct field."""
    import pyarrow as pa

    return pa.array([json_text(v, field, what, i) for i, v in enumerate(values)], pa.string())


def output_column(texts: Sequence[str | None], field: Field, what: str):
    """JSON texts as the Arrow column a retrieval returns: a Map as ``map<string, string>``
    (values that are not text as their JSON), a Struct as its struct, Json as the text."""
    import pyarrow as pa

    if field.dtype.value_type == ValueType.JSON:
        return pa.array(list(texts), pa.string())
    data = parsed_json(texts, field, what)
    if field.dtype.value_type == ValueType.MAP:
        data = [None if d is None else [(k, _map_text(v)) for k, v in d.items()] for d in data]
    return pa.array(data, arrow_type(field))


def _map_text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value)


def result_column(values: Sequence[Any], field: Field, what: str):
    """Computed values as the Arrow column of their declared type."""
    import pyarrow as pa

    if not field.dtype.is_json:
        return pa.chunked_array([pa.array(values, arrow_type(field))])
    texts = [json_text(v, field, what, i) for i, v in enumerate(values)]
    return output_column(texts, field, what)


def python_values(column, field: Field | None) -> list[Any]:
    """An Arrow column's values in Python as a retrieval gives them: Maps and Structs as dicts
    (also from JSON text), Json as its text."""
    import pyarrow as pa

    kind = field.dtype.value_type if field else None
    if kind in (ValueType.MAP, ValueType.STRUCT) and pa.types.is_string(column.type):
        return parsed_json(column.to_pylist(), field, "values")
    return column.to_pylist(maps_as_pydicts="strict")


def _table_of(frame: Any, fields: Sequence[Field], what: str):
    """``frame`` as an Arrow table, its Map, Json and Struct columns as checked JSON text."""
    import pyarrow as pa

    special = [f for f in fields if f.dtype.is_json]
    if isinstance(frame, pa.Table):
        lists = {
            f.name: frame[f.name].to_pylist(maps_as_pydicts="strict")
            for f in special
            if f.name in frame.column_names
        }
        table = frame.drop_columns(list(lists))
    elif isinstance(frame, dict):
        lists = {f.name: list(frame[f.name]) for f in special if f.name in frame}
        table = pa.table({k: v for k, v in frame.items() if k not in lists})
    else:
        lists = {f.name: frame[f.name].tolist() for f in special if f.name in frame.columns}
        table = pa.Table.from_pandas(frame.drop(columns=list(lists)), preserve_index=False)
    by_name = {f.name: f for f in special}
    for name, values in lists.items():
        table = table.append_column(name, json_column(values, by_name[name], what))
    return table


def checked_table(
    frame: Any,
    fields: Sequence[Field],
    required: Sequence[str],
    what: str,
    timestamps: Sequence[str] = (),
):
    """``frame`` (DataFrame, Arrow table or dict of lists) as an Arrow table whose feature
    columns have the declared types (and ``timestamps`` columns given as text, timestamps);
    a missing column or a value that is not of its type is a FeatureStoreError naming it."""
    import pyarrow as pa

    table = _table_of(frame, fields, what)
    missing = [c for c in [*required, *(f.name for f in fields)] if c not in table.column_names]
    if missing:
        raise FeatureStoreError(f"{what}: no column {missing[0]!r} (has {table.column_names})")
    for name in timestamps:
        if name in table.column_names and pa.types.is_string(table[name].type):
            index = table.column_names.index(name)
            table = table.set_column(index, name, text_timestamps(table[name], what, name))
    for f in fields:
        if f.dtype.is_json:
            continue
        target = arrow_type(f)
        column = table[f.name]
        if column.type == target:
            continue
        try:
            converted = column.cast(target, safe=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise FeatureStoreError(
                f"{what}: column {f.name!r} holds {column.type} values, not {f.dtype.name} "
                f"({error})"
            ) from None
        table = table.set_column(table.column_names.index(f.name), f.name, converted)
    return table


def arrow_type(field: Field):
    """The Arrow type of a declared field."""
    import pyarrow as pa

    name = field.dtype.arrow
    if name == "map":
        return pa.map_(pa.string(), pa.string())
    if name == "struct":
        return pa.struct([pa.field(k, arrow_type(Field(k, t))) for k, t in field.dtype.fields])
    if name.startswith("list:"):
        inner = name[5:]
        return pa.list_(
            pa.timestamp("us", tz="UTC") if inner == "timestamp" else getattr(pa, inner)()
        )
    if name == "timestamp":
        return pa.timestamp("us", tz="UTC")
    return getattr(pa, name)()


def text_timestamps(column, what: str, name: str):
    """ISO text as UTC timestamps (text without an offset is UTC)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return pc.cast(column, pa.timestamp("us", tz="UTC"))
    except pa.ArrowInvalid:
        pass
    try:
        return pc.assume_timezone(pc.cast(column, pa.timestamp("us")), "UTC")
    except pa.ArrowInvalid as error:
        raise FeatureStoreError(f"{what}: column {name!r} is not timestamps ({error})") from None
