"""Schemas as protobuf text files (``schema.pbtxt``), the format TFDV and TFX read and write."""

from __future__ import annotations

import os
from pathlib import Path

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2


def write_schema_text(schema: schema_pb2.Schema, output_path: str | os.PathLike) -> str:
    """Write ``schema`` as text to ``output_path`` (parent folders created); return the path."""
    if not isinstance(schema, schema_pb2.Schema):
        raise TypeError(f"schema must be a Schema proto, got {type(schema).__name__}")
    path = Path(output_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_format.MessageToString(schema))
    return str(path)


def load_schema_text(input_path: str | os.PathLike) -> schema_pb2.Schema:
    """Read a text ``Schema`` proto; a malformed file raises ValueError naming it."""
    path = Path(input_path)
    schema = schema_pb2.Schema()
    try:
        text_format.Parse(path.read_text(), schema)
    except text_format.ParseError as exc:
        raise ValueError(f"{path}: not a text Schema proto: {exc}") from exc
    return schema
