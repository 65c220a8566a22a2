"""Feast's definition objects as Feast 0.67 treats them: value equality and hashing, the
validation errors its constructors raise, a FileSource's timestamp column inferred at apply,
and the module paths Feast code imports them from (``feast.entity``, ``feast.feature_view``,
``feast.feature_service``, ``feast.infra.online_stores.sqlite``). The expected observations
were recorded from Feast 0.67; with the Feast peer installed they are checked against it too."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.features.feast_peer import feast_python, run_probe

PROBE = Path(__file__).parent / "differential" / "definitions_probe.py"

FEAST_0_67 = {
    "ambiguous_timestamp": "refused",
    "applied_entity_equal": True,
    "entity_equal": True,
    "entity_other_key": False,
    "entity_set": 2,
    "inferred_timestamp": ["at", "at"],
    "same_timestamp_columns_refused": True,
    "service_equal": True,
    "service_other_desc": False,
    "shared_join_key_refused": True,
    "source_equal": True,
    "source_other_owner": False,
    "source_without_timestamp": "",
    "view_equal": True,
    "view_other_ttl": False,
    "view_set": 2,
    "views_after": ["guessed_view"],
}


def test_definitions_behave_as_in_feast(tmp_path):
    assert run_probe(sys.executable, PROBE, "datajourney.feast", tmp_path) == FEAST_0_67


def test_the_recorded_behaviour_is_feasts(tmp_path):
    assert run_probe(feast_python(), PROBE, "feast", tmp_path) == FEAST_0_67


def test_file_format_objects_name_the_format():
    from datajourney.feast.data_format import DeltaFormat, ParquetFormat
    from datajourney.feast.infra.offline_stores.file_source import FileSource

    as_object = FileSource(path="rides", timestamp_field="at", file_format=ParquetFormat())
    as_text = FileSource(path="rides", timestamp_field="at", file_format="parquet")
    assert as_object.format == "parquet" and as_object == as_text
    delta = FileSource(path="rides", timestamp_field="at", file_format=DeltaFormat())
    assert delta.format == "delta"


def test_feast_types_also_names_value_types():
    from datajourney.feast.types import Int64, ValueType, from_value_type

    assert from_value_type(ValueType.INT64) == Int64
