"""Editing ``Anomalies`` after validation: dropping reason types, and a slice function that
files each example under the anomalies it is checked for (TFDV's ``anomalies_util``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa
from google.protobuf.message import DecodeError
from tensorflow_metadata.proto.v0 import anomalies_pb2

from datajourney.validation.validate import summarize_reasons

__all__ = ["anomalies_slicer", "load_anomalies_binary", "remove_anomaly_types"]


def remove_anomaly_types(
    anomalies: anomalies_pb2.Anomalies, types_to_remove: Iterable[int]
) -> None:
    """Drop the reasons of ``types_to_remove`` (``AnomalyInfo.Type`` values) in place.

    A feature left without reasons is dropped; the others get their descriptions rebuilt from
    the reasons kept. Every feature's ``diff_regions`` are cleared, as TFDV does.
    """
    removed = set(types_to_remove)
    for name in list(anomalies.anomaly_info):
        info = anomalies.anomaly_info[name]
        kept = [reason for reason in info.reason if reason.type not in removed]
        info.ClearField("diff_regions")
        info.ClearField("reason")
        if not kept:
            del anomalies.anomaly_info[name]
            continue
        info.reason.extend(kept)
        summarize_reasons(info)


def anomalies_slicer(
    anomalies: anomalies_pb2.Anomalies,
) -> Callable[[pa.RecordBatch], Iterator[tuple[str, pa.RecordBatch]]]:
    """A slice function yielding each batch once per anomaly reason, keyed
    ``<feature>_<REASON_TYPE>`` (e.g. ``age_UNEXPECTED_STRING_VALUES``)."""
    type_name = anomalies_pb2.AnomalyInfo.Type.Name

    def slice_batch(batch: pa.RecordBatch) -> Iterator[tuple[str, pa.RecordBatch]]:
        for name, info in anomalies.anomaly_info.items():
            for reason in info.reason:
                yield f"{name}_{type_name(reason.type)}", batch

    return slice_batch


def load_anomalies_binary(input_path: str | os.PathLike) -> anomalies_pb2.Anomalies:
    """Read a binary ``Anomalies`` proto; a file that is not one raises ValueError naming it."""
    path = Path(input_path)
    try:
        return anomalies_pb2.Anomalies.FromString(path.read_bytes())
    except DecodeError as error:
        raise ValueError(f"{path}: not a binary Anomalies proto ({error})") from None
