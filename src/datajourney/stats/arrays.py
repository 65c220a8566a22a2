"""NumPy views of Arrow arrays and Arrow arrays of NumPy ones, without pyarrow's pandas shim.

pyarrow's ``Array.to_numpy`` and ``pyarrow.array`` import pandas on first use when it is
installed (0.3-0.5 s in a fresh process, most of a cold statistics call's overhead). These
helpers cover the primitive cases that statistics need through Arrow's buffers (zero-copy
where they can) and fall back to pyarrow's own conversions for anything else.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from tensorflow_metadata.proto.v0 import statistics_pb2

_NUMPY = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint8(): np.uint8,
    pa.uint16(): np.uint16,
    pa.uint32(): np.uint32,
    pa.uint64(): np.uint64,
    pa.float32(): np.float32,
    pa.float64(): np.float64,
}
_ARROW = {np.dtype(kind): arrow for arrow, kind in _NUMPY.items()}

_STATISTICS_TYPE = statistics_pb2.FeatureNameStatistics
#: NumPy dtype kinds -> the statistics type of their values (TFDV's mapping).
_KIND_TYPES = {
    "f": _STATISTICS_TYPE.FLOAT,
    "i": _STATISTICS_TYPE.INT,
    "u": _STATISTICS_TYPE.INT,
    "S": _STATISTICS_TYPE.STRING,
    "O": _STATISTICS_TYPE.STRING,
    "U": _STATISTICS_TYPE.STRING,
}


def get_feature_type(dtype: np.dtype) -> int | None:
    """The ``FeatureNameStatistics.Type`` of values of ``dtype`` (objects count as strings), or
    None for other kinds (e.g. booleans, dates)."""
    return _KIND_TYPES.get(dtype.kind)


def _bits(buffer: pa.Buffer, offset: int, length: int) -> np.ndarray:
    packed = np.frombuffer(buffer, np.uint8)
    return np.unpackbits(packed, bitorder="little")[offset : offset + length].astype(bool)


def to_numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """``array`` as NumPy, as ``array.to_numpy(zero_copy_only=False)`` gives it (numbers with
    nulls as float64 NaN; read-only when zero-copy)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    kind = _NUMPY.get(array.type)
    length = len(array)
    if kind is not None:
        if length == 0:
            return np.empty(0, kind)
        data = array.buffers()[1]
        values = np.frombuffer(data, kind, length, array.offset * np.dtype(kind).itemsize)
        if array.null_count == 0:
            return values
        result = values.astype(np.float64)
        result[~_bits(array.buffers()[0], array.offset, length)] = np.nan
        return result
    if pa.types.is_boolean(array.type) and array.null_count == 0:
        if length == 0:
            return np.empty(0, bool)
        return _bits(array.buffers()[1], array.offset, length)
    return array.to_numpy(zero_copy_only=False)


def from_numpy(values: np.ndarray) -> pa.Array:
    """A 1-D NumPy array of numbers or booleans as an Arrow array (no nulls), as
    ``pyarrow.array(values)`` makes it."""
    values = np.asarray(values)
    if values.ndim == 1 and values.dtype == np.bool_:
        packed = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(packed)])
    kind = _ARROW.get(values.dtype)
    if values.ndim == 1 and kind is not None:
        data = np.ascontiguousarray(values)
        return pa.Array.from_buffers(kind, len(data), [None, pa.py_buffer(data)])
    return pa.array(values)
