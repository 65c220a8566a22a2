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


def encode_rows(columns: dict[str, list], fields: Sequence[Field]) -> list[str]:
    """One JSON object per row: feature name -> value (timestamps as epoch microseconds,
    bytes as base64)."""
    names = [f.name for f in fields]
    lists = [columns[n] for n in names]
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

    if isinstance(frame, pa.Table):
        table = frame
    elif isinstance(frame, dict):
        table = pa.table(frame)
    else:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    missing = [c for c in [*required, *(f.name for f in fields)] if c not in table.column_names]
    if missing:
        raise FeatureStoreError(f"{what}: no column {missing[0]!r} (has {table.column_names})")
    for name in timestamps:
        if name in table.column_names and pa.types.is_string(table[name].type):
            index = table.column_names.index(name)
            table = table.set_column(index, name, text_timestamps(table[name], what, name))
    for f in fields:
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
