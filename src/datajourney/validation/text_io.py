"""Anomalies as protobuf text files, as TFDV writes them."""

from __future__ import annotations

import os

from tensorflow_metadata.proto.v0 import anomalies_pb2

from ..schema.text_io import load_proto_text, write_proto_text


def write_anomalies_text(anomalies: anomalies_pb2.Anomalies, output_path: str | os.PathLike) -> str:
    """Write ``anomalies`` as text to ``output_path``; return the path."""
    return write_proto_text(anomalies, anomalies_pb2.Anomalies, output_path, "anomalies")


def load_anomalies_text(input_path: str | os.PathLike) -> anomalies_pb2.Anomalies:
    """Read a text ``Anomalies`` proto; a malformed file raises ValueError naming it."""
    return load_proto_text(anomalies_pb2.Anomalies, input_path)
