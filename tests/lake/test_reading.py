"""Schema-on-read: lake entries read through DuckDB, with a TFMD schema applied at read time."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

from datajourney.lake import LakeReadError

from .conftest import write

SCHEMA = text_format.Parse(
    """
    feature { name: "user" type: BYTES presence { min_fraction: 1 } }
    feature { name: "clicks" type: INT int_domain { min: 0 max: 100 } }
    """,
    schema_pb2.Schema(),
)


def test_read_finds_the_schema_at_read_time(lake, landing):
    lake.ingest(landing)
    read = lake.read("landing/events/*.csv")
    assert read.ok
    assert read.table.schema.field("clicks").type == pa.int64()
    assert sorted(read.table.column("user").to_pylist()) == ["ann", "bob", "cid"]
    jsonl = lake.read("landing/events/c.jsonl").table
    assert jsonl.column("clicks").to_pylist() == [1, 2]


def test_entries_of_different_formats_and_columns_unite_by_name(lake, landing, work):
    pq.write_table(pa.table({"user": ["gus"], "country": ["fr"]}), work / "extra.parquet")
    lake.ingest(landing / "events")
    lake.ingest(work / "extra.parquet", prefix="events")
    table = lake.read("events/*").table
    assert table.num_rows == 6
    rows = {r["user"]: r for r in table.to_pylist()}
    assert rows["gus"]["country"] == "fr" and rows["gus"]["clicks"] is None
    assert rows["ann"]["country"] is None


def test_ragged_csv_rows_are_set_apart_with_their_line(lake, work):
    write(work / "in" / "r.csv", "user,clicks\nann,3\nbob,4,extra\ncid\ndan,6\n")
    lake.ingest(work / "in")
    read = lake.read("in/r.csv")
    assert read.table.column("user").to_pylist() == ["ann", "dan"]
    bad = read.bad_rows.to_pylist()
    assert [(b["_entry"], b["_row"], b["_value"]) for b in bad] == [
        ("in/r.csv", 3, "bob,4,extra"),
        ("in/r.csv", 4, "cid"),
    ]
    info = read.anomalies.dataset_anomaly_info
    assert info.reason[0].type == anomalies_pb2.AnomalyInfo.UNKNOWN_TYPE
    assert "2 rows with the wrong number of fields" in info.description
    assert not read.ok


def test_a_tfmd_schema_applied_at_read_time_turns_misfits_into_anomalies(lake, work):
    write(work / "in" / "s.csv", "user,clicks\nann,3\nbob,many\n,4\ndan,500\neve,7\n")
    lake.ingest(work / "in")
    read = lake.read("in/s.csv", schema=SCHEMA)
    assert read.table.to_pylist() == [{"user": "ann", "clicks": 3}, {"user": "eve", "clicks": 7}]
    assert read.table.schema.field("clicks").type == pa.int64()
    reasons = {(b["_feature"], b["_reason"], b["_value"]) for b in read.bad_rows.to_pylist()}
    assert reasons == {
        ("clicks", "INT_TYPE_NOT_INT_STRING", "many"),
        ("user", "FEATURE_TYPE_LOW_FRACTION_PRESENT", None),
        ("clicks", "INT_TYPE_BIG_INT", "500"),
    }
    types = {r.type for r in read.anomalies.anomaly_info["clicks"].reason}
    assert types == {
        anomalies_pb2.AnomalyInfo.INT_TYPE_NOT_INT_STRING,
        anomalies_pb2.AnomalyInfo.INT_TYPE_BIG_INT,
    }
    assert (
        "1 rows with INT_TYPE_BIG_INT, e.g. '500'"
        in read.anomalies.anomaly_info["clicks"].description
    )


def test_columns_missing_from_the_data_or_the_schema_are_anomalies(lake, work):
    write(work / "in" / "m.csv", "user,country\nann,fr\n")
    lake.ingest(work / "in")
    read = lake.read("in/m.csv", schema=SCHEMA)
    kinds = {name: info.reason[0].type for name, info in read.anomalies.anomaly_info.items()}
    assert kinds == {
        "clicks": anomalies_pb2.AnomalyInfo.SCHEMA_MISSING_COLUMN,
        "country": anomalies_pb2.AnomalyInfo.SCHEMA_NEW_COLUMN,
    }


def test_a_file_whose_content_is_not_what_its_name_says(lake, work):
    write(work / "in" / "fake.parquet", "user,clicks\nann,1\n")
    write(work / "in" / "noise.csv", bytes(range(256)))
    added = {e.path: e for e in lake.ingest(work / "in").added}
    fake = added["in/fake.parquet"]
    assert (fake.format, fake.name_says) == ("csv", "parquet")
    assert lake.read(fake).table.column("user").to_pylist() == ["ann"]
    with pytest.raises(
        LakeReadError, match=r"in/noise.csv holds binary data \(its name says csv\)"
    ):
        lake.read("in/noise.csv")


def test_sql_over_lake_patterns(lake, landing):
    lake.ingest(landing)
    total = lake.sql(
        "SELECT sum(clicks) AS n FROM lake('landing/events/*.csv') "
        "WHERE user IN (SELECT user FROM lake('landing/events/*.csv'))"
    )
    assert total.column("n").to_pylist() == [15]
    joined = lake.sql(
        "SELECT count(*) AS n FROM lake('landing/**/*.csv') c, lake('landing/events/c.jsonl') j"
    )
    assert joined.column("n").to_pylist() == [6]


def test_sql_errors_name_the_lake_path_not_the_object(lake, work):
    write(work / "in" / "r.csv", "a,b\n1,2\n3,4,5\n")
    lake.ingest(work / "in")
    with pytest.raises(LakeReadError) as caught:
        lake.sql("SELECT * FROM lake('in/r.csv')")
    assert "in/r.csv" in str(caught.value) and ".datajourney" not in str(caught.value)
    with pytest.raises(LakeReadError, match="matches no entry"):
        lake.sql("SELECT * FROM lake('nothing/*.csv')")
    with pytest.raises(LakeReadError, match="not_a_column"):
        lake.sql("SELECT not_a_column FROM lake('in/r.csv')")


def test_statistics_of_a_lake_entry(lake, landing):
    lake.ingest(landing)
    stats = lake.statistics("landing/events/*.csv")
    dataset = stats.datasets[0]
    assert dataset.num_examples == 3
    assert {f.path.step[0] for f in dataset.features} == {"user", "clicks"}
