"""Schemas as protobuf text files (``schema.pbtxt``), the format TFDV and TFX read and write,
and the text-file helpers other tensorflow-metadata protos (anomalies) share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from google.protobuf import message, text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.schema.arguments import require_type

M = TypeVar("M", bound=message.Message)


class ParseError(text_format.ParseError, ValueError):
    """A text file that is not the proto it should be: protobuf's ``ParseError`` (as TFDV
    raises), also a ValueError; the message names the file."""


def write_proto_text(
    proto: message.Message, cls: type, output_path: str | os.PathLike, argument: str
) -> str:
    """Write a ``cls`` proto (the argument named ``argument``) as text to ``output_path``
    (parent folders created); the path."""
    require_type(proto, argument, cls, "an" if cls.__name__[0] in "AEIOU" else "a")
    path = Path(output_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_format.MessageToString(proto))
    return str(path)


def load_proto_text(cls: type[M], input_path: str | os.PathLike) -> M:
    """Read a text ``cls`` proto; a malformed file raises :class:`ParseError` naming it."""
    path = Path(input_path)
    proto = cls()
    try:
        text_format.Parse(path.read_text(), proto)
    except text_format.ParseError as exc:
        raise ParseError(f"{path}: not a text {cls.__name__} proto: {exc}") from exc
    return proto


def write_schema_text(schema: schema_pb2.Schema, output_path: str | os.PathLike) -> str:
    """Write ``schema`` as text to ``output_path`` (parent folders created); return the path."""
    return write_proto_text(schema, schema_pb2.Schema, output_path, "schema")


def load_schema_text(input_path: str | os.PathLike) -> schema_pb2.Schema:
    """Read a text ``Schema`` proto; a malformed file raises :class:`ParseError` (protobuf's,
    also a ValueError) naming it, a missing one FileNotFoundError."""
    return load_proto_text(schema_pb2.Schema, input_path)
