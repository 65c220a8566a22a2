"""Statistics files: text format, and binary as TFDV writes them (TFRecord-framed).

TFDV's ``output_path`` is a TFRecord file holding one serialized
``DatasetFeatureStatisticsList``; :func:`load_statistics` reads that, a plain binary proto, or
the text format.
"""

from __future__ import annotations

import os
from pathlib import Path

from google.protobuf import text_format
from google.protobuf.message import DecodeError
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.io.errors import DataReadError
from datajourney.io.tfrecord import TFRecordWriter, iter_records

StatisticsList = statistics_pb2.DatasetFeatureStatisticsList


class ParseError(text_format.ParseError, ValueError):
    """A text file that is not the proto it should be: protobuf's ``ParseError`` (as TFDV
    raises), also a ValueError; the message names the file."""


def write_stats_text(stats: StatisticsList, output_path: str | os.PathLike) -> Path:
    """Write statistics in protobuf text format."""
    if not isinstance(stats, StatisticsList):
        raise TypeError(
            f"stats is of type {type(stats).__name__}, should be a {StatisticsList.__name__} proto."
        )
    path = Path(output_path)
    path.write_text(text_format.MessageToString(stats))
    return path


def load_stats_text(input_path: str | os.PathLike) -> StatisticsList:
    """Read statistics written in protobuf text format (a missing file: FileNotFoundError; a
    file that is not statistics: protobuf's ParseError, as TFDV)."""
    path = Path(input_path)
    text = path.read_text()
    try:
        return text_format.Parse(text, StatisticsList())
    except text_format.ParseError as error:
        raise ParseError(f"{path}: not statistics in text format: {error}") from None


def write_stats_binary(stats: StatisticsList, output_path: str | os.PathLike) -> Path:
    """Write statistics as TFDV does: one record in a TFRecord file."""
    with TFRecordWriter(output_path) as writer:
        writer.write(stats.SerializeToString())
    return Path(output_path)


def load_stats_binary(input_path: str | os.PathLike) -> StatisticsList:
    """Read a plain binary ``DatasetFeatureStatisticsList`` (no TFRecord framing); a missing
    file is FileNotFoundError."""
    path = Path(input_path)
    data = path.read_bytes()
    try:
        return StatisticsList.FromString(data)
    except DecodeError as error:
        raise DataReadError(f"not a binary statistics proto ({error})", path) from None


def load_stats_tfrecord(input_path: str | os.PathLike) -> StatisticsList:
    """Read a TFRecord file of exactly one ``DatasetFeatureStatisticsList`` record (what
    ``output_path`` of ``generate_statistics_from_*`` writes); more is a ValueError."""
    records = iter_records(input_path)
    first = next(records, None)
    if first is None or next(records, None) is not None:
        raise ValueError(f"load_stats_tfrecord expects a single record ({input_path}).")
    return StatisticsList.FromString(first)


def load_statistics(input_path: str | os.PathLike) -> StatisticsList:
    """Read statistics in any of the formats: TFRecord (TFDV's output), binary or text.

    Several TFRecord records (TFDV's sharded outputs) are merged into one list. A path that
    is no file raises OSError, as TFDV's.
    """
    path = Path(input_path)
    if not path.is_file():
        raise OSError(f"Invalid input path {input_path}.")
    try:
        records = list(iter_records(path))
        result = StatisticsList()
        for record in records:
            result.MergeFromString(record)
        return result
    except (DataReadError, DecodeError):
        pass
    try:
        return load_stats_binary(path)
    except DataReadError:
        return load_stats_text(path)
