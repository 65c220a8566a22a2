"""Anomalies as protobuf text files, as TFDV writes them."""

from __future__ import annotations

import os
from pathlib import Path

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import anomalies_pb2


def write_anomalies_text(anomalies: anomalies_pb2.Anomalies, output_path: str | os.PathLike) -> str:
    """Write ``anomalies`` as text to ``output_path``; return the path."""
    if not isinstance(anomalies, anomalies_pb2.Anomalies):
        raise TypeError(f"anomalies must be an Anomalies proto, got {type(anomalies).__name__}")
    path = Path(output_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_format.MessageToString(anomalies))
    return str(path)


def load_anomalies_text(input_path: str | os.PathLike) -> anomalies_pb2.Anomalies:
    """Read a text ``Anomalies`` proto; a malformed file raises ValueError naming it."""
    path = Path(input_path)
    anomalies = anomalies_pb2.Anomalies()
    try:
        text_format.Parse(path.read_text(), anomalies)
    except text_format.ParseError as exc:
        raise ValueError(f"{path}: not a text Anomalies proto: {exc}") from exc
    return anomalies
