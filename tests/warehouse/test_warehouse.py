"""The warehouse: schema-on-write, timestamped and non-volatile versions, time travel, SQL,
lineage, and what other readers see of the same files."""

from __future__ import annotations

import datetime
import time

import duckdb
import pyarrow as pa
import pytest
from deltalake import DeltaTable
from tensorflow_metadata.proto.v0 import anomalies_pb2, schema_pb2

from datajourney.lake import Lake
from datajourney.warehouse import (
    LOADED_AT,
    LoadRefusedError,
    TableExistsError,
    TableNotFoundError,
    VersionNotFoundError,
    Warehouse,
    WarehouseError,
    read_table,
)

from .conftest import orders_schema, write

GOOD = pa.table({"id": [1, 2, 3], "amount": [10.5, 20.0, 7.0], "country": ["fr", "de", "fr"]})


def rows(table: pa.Table) -> list[dict]:
    if LOADED_AT in table.column_names:
        table = table.drop_columns([LOADED_AT])
    return sorted(table.to_pylist(), key=lambda r: r["id"])


def test_create_writes_an_empty_version_zero_with_the_schema(wh, orders):
    table = wh.table(orders)
    assert table.version == 0
    assert table.schema == orders_schema()
    assert table.to_arrow().schema.names == ["id", "amount", "country", LOADED_AT]
    with pytest.raises(TableExistsError):
        wh.create(orders, orders_schema())
    assert wh.tables() == ["sales.orders"]


def test_every_load_is_a_new_version_and_every_row_carries_its_load_time(wh, orders):
    before = datetime.datetime.now(datetime.UTC)
    first = wh.load(orders, GOOD)
    second = wh.load(orders, GOOD.slice(0, 1).set_column(0, "id", pa.array([4])))
    assert (first.version, second.version) == (1, 2)
    now = wh.table(orders).to_arrow()
    assert [r["id"] for r in rows(now)] == [1, 2, 3, 4]
    stamps = now.column(LOADED_AT).to_pylist()
    assert all(before <= s <= datetime.datetime.now(datetime.UTC) for s in stamps)
    assert len(set(stamps)) == 2  # one load time per load


def test_a_load_with_bad_rows_is_refused_whole_with_the_anomalies(wh, orders):
    wh.load(orders, GOOD)
    bad = pa.table({"id": [7, 8, 9], "amount": [1.0, -5.0, 2.0], "country": ["fr", "it", "xx"]})
    with pytest.raises(LoadRefusedError) as caught:
        wh.load(orders, bad)
    error = caught.value
    assert error.bad_rows == 2
    info = error.anomalies.anomaly_info
    assert info["amount"].reason[0].type == anomalies_pb2.AnomalyInfo.FLOAT_TYPE_SMALL_FLOAT
    assert info["country"].reason[0].type == (
        anomalies_pb2.AnomalyInfo.ENUM_TYPE_UNEXPECTED_STRING_VALUES
    )
    assert "2 of 3 rows do not fit" in str(error)
    assert wh.table(orders).version == 1
    assert len(wh.store.get_executions()) == 1  # the refused load recorded nothing


def test_quarantine_sets_bad_rows_apart_and_says_how_many(wh, orders):
    bad = pa.table({"id": [7, 8, 9], "amount": [1.0, -5.0, 2.0], "country": ["fr", "it", "xx"]})
    load = wh.load(orders, bad, quarantine=True)
    assert (load.rows, load.quarantined) == (1, 2)
    assert [r["id"] for r in rows(wh.table(orders).to_arrow())] == [7]
    kept = wh.table("sales.orders_quarantine").to_arrow().to_pylist()
    assert [(r["id"], r["_feature"], r["_reason"]) for r in kept] == [
        ("8", "amount", "FLOAT_TYPE_SMALL_FLOAT"),
        ("9", "country", "ENUM_TYPE_UNEXPECTED_STRING_VALUES"),
    ]
    assert wh.history(orders)[-1].quarantined == 2


def test_updates_and_deletes_are_new_versions_and_history_keeps_the_old_rows(wh, orders):
    wh.load(orders, GOOD)
    update = wh.update(orders, "id = 1", {"amount": 99.0})
    delete = wh.delete(orders, "id = 2")
    assert (update.version, delete.version) == (2, 3)
    assert rows(wh.table(orders).to_arrow()) == [
        {"id": 1, "amount": 99.0, "country": "fr"},
        {"id": 3, "amount": 7.0, "country": "fr"},
    ]
    assert rows(wh.as_of(orders, 1).to_arrow()) == rows(GOOD)
    with pytest.raises(LoadRefusedError):
        wh.update(orders, "id = 1", {"country": "zz"})
    operations = [(v.version, v.operation) for v in wh.history(orders)]
    assert operations == [(0, "WRITE"), (1, "WRITE"), (2, "UPDATE"), (3, "DELETE")]


def test_history_says_who_when_rows_and_the_execution(wh, orders):
    load = wh.load(orders, GOOD)
    last = wh.history(orders)[-1]
    assert (last.version, last.rows_added, last.execution_id) == (1, 3, load.execution_id)
    assert last.user and last.timestamp <= datetime.datetime.now(datetime.UTC)


def test_as_of_a_version_or_a_time(wh, orders):
    wh.load(orders, GOOD)
    time.sleep(0.05)
    between = datetime.datetime.now(datetime.UTC)
    time.sleep(0.05)
    wh.delete(orders, "id > 1")
    assert len(wh.as_of(orders, timestamp=between).to_arrow()) == 3
    assert wh.as_of(orders, timestamp=between).version == 1
    assert len(wh.table(orders).to_arrow()) == 1
    with pytest.raises(VersionNotFoundError, match="versions 0 to 2, not 7"):
        wh.as_of(orders, 7)
    with pytest.raises(VersionNotFoundError, match="did not exist yet"):
        wh.as_of(orders, timestamp=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    with pytest.raises(TableNotFoundError):
        wh.as_of("sales.nothing", 0)


def test_sql_names_tables_now_at_a_version_and_at_a_time(wh, orders):
    wh.load(orders, GOOD)
    moment = datetime.datetime.now(datetime.UTC).isoformat()
    time.sleep(0.05)
    wh.delete(orders, "country = 'fr'")
    now = wh.sql("SELECT count(*) AS n FROM sales.orders").column("n").to_pylist()
    then = wh.sql("SELECT count(*) AS n FROM wh('sales.orders', 1)").column("n").to_pylist()
    at = wh.sql(f"SELECT count(*) AS n FROM wh('sales.orders', '{moment}')").column("n")
    assert (now, then, at.to_pylist()) == ([1], [3], [3])
    diff = wh.sql(
        "SELECT id FROM wh('sales.orders', 1) EXCEPT SELECT id FROM sales.orders ORDER BY id"
    )
    assert diff.column("id").to_pylist() == [1, 3]
    with pytest.raises(WarehouseError, match="no_column"):
        wh.sql("SELECT no_column FROM sales.orders")


def test_evolve_shows_the_diff_and_writes_a_new_version(wh, orders):
    wh.load(orders, GOOD)
    schema = orders_schema()
    schema.feature.add(name="channel", type=schema_pb2.BYTES)
    diff, change = wh.evolve(orders, schema)
    assert diff.added == ["channel"] and change.version == 2
    assert wh.table(orders).schema == schema
    assert wh.table(orders).to_arrow().column("channel").null_count == 3
    more = GOOD.append_column("channel", pa.array(["web", "shop", "web"]))
    assert wh.load(orders, more).version == 3
    with pytest.raises(LoadRefusedError, match="missing columns channel"):
        wh.load(orders, GOOD)
    assert wh.as_of(orders, 1).to_arrow().column_names == ["id", "amount", "country", LOADED_AT]
    same, nothing = wh.evolve(orders, schema)
    assert not same and nothing is None


def test_evolve_changes_a_column_type(wh, orders):
    wh.load(orders, GOOD)
    schema = orders_schema()
    schema.feature[0].type = schema_pb2.FLOAT  # id was INT
    diff, _ = wh.evolve(orders, schema)
    assert [c.feature for c in diff.changed] == ["id"]
    assert wh.table(orders).to_arrow().schema.field("id").type == pa.float64()
    assert wh.as_of(orders, 1).to_arrow().schema.field("id").type == pa.int64()


def test_create_on_first_load_infers_the_schema(wh, work):
    csv = write(work / "o.csv", "id,amount,country\n1,2.5,fr\n2,3.5,de\n")
    load = wh.load("sales.inferred", csv, create=True)
    assert load.version == 1
    schema = wh.table("sales.inferred").schema
    assert [(f.name, f.type) for f in schema.feature] == [("id", 2), ("amount", 3), ("country", 1)]


def test_an_inferred_schema_takes_new_identifiers_and_keeps_no_values_of_the_data(wh, work):
    first = write(
        work / "a.csv",
        "customer_id,email,plan,active\nc1,ann@x.org,gold,1\nc2,bob@x.org,gold,0\n"
        "c1,ann@x.org,gold,1\n",
    )
    wh.load("crm.customers", first, create=True)
    later = write(work / "b.csv", "customer_id,email,plan,active\nc3,cid@x.org,silver,2\n")
    assert wh.load("crm.customers", later).version == 2
    schema = wh.table("crm.customers").schema
    assert [f.WhichOneof("domain_info") for f in schema.feature] == [None] * 4
    assert not schema.string_domain
    history = DeltaTable(wh.location("crm.customers")).history()
    stored = [info["datajourney.schema"] for info in history if "datajourney.schema" in info]
    assert stored and not [s for s in stored if "ann@x.org" in s or '"c1"' in s]


def test_iso_timestamps_load_on_the_first_load_and_after(work):
    write(work / "landing" / "a.csv", "id,at\n1,2024-01-05T10:00:00Z\n2,2024-01-05T10:00:00Z\n")
    with Lake() as lake, Warehouse(store=lake.store) as wh:
        [entry] = lake.ingest(work / "landing").added
        assert wh.load("web.visits", entry, create=True).rows == 2
        stamps = pa.array([datetime.datetime(2024, 2, 1, 8, 30)], pa.timestamp("us"))
        assert wh.load("web.visits", pa.table({"id": [3], "at": stamps})).rows == 1
        assert wh.load("web.visits", pa.table({"id": [4], "at": ["2024-03-01T00:00:00Z"]})).rows
        ats = wh.table("web.visits").to_arrow().column("at").to_pylist()
        assert sorted(a[:16] for a in ats) == [
            "2024-01-05 10:00",
            "2024-01-05 10:00",
            "2024-02-01 08:30",
            "2024-03-01T00:00",
        ]


def test_loads_are_executions_with_lineage_from_lake_entries_to_table_versions(work):
    write(work / "landing" / "o.csv", "id,amount,country\n1,2.5,fr\n2,3.5,de\n")
    with Lake() as lake, Warehouse(store=lake.store) as wh:
        [entry] = lake.ingest(work / "landing").added
        wh.create("sales.orders", orders_schema())
        load = wh.load("sales.orders", entry)
        store = wh.store
        events = store.get_events(execution_ids=[load.execution_id])
        inputs = [e.artifact_id for e in events if e.type == 3]  # INPUT
        [output] = store.get_artifacts(ids=[e.artifact_id for e in events if e.type == 4])
        assert inputs == [entry.id]
        assert output.properties["version"] == load.version
        assert output.properties["table"] == "sales.orders"
        upstream = store.lineage(output.id, "upstream")
        assert entry.id in upstream.artifacts
        [table_context] = store.get_contexts(type_name="WarehouseTable")
        [subject] = store.get_contexts(parent_id=None, child_id=table_context.id)
        assert subject.name == "sales"
        query = lake.read("landing/*.csv", schema=orders_schema())
        again = wh.load("sales.orders", query)
        events = store.get_events(execution_ids=[again.execution_id])
        assert entry.id in [e.artifact_id for e in events if e.type == 3]


def test_restoring_an_appends_inputs_puts_back_the_entry_and_names_the_version(work):
    write(work / "landing" / "o.csv", "id,amount,country\n1,2.5,fr\n")
    with Lake() as lake, Warehouse(store=lake.store) as wh:
        [entry] = lake.ingest(work / "landing").added
        wh.create("sales.orders", orders_schema())
        wh.load("sales.orders", GOOD)
        load = wh.load("sales.orders", entry)
        placed = wh.store.restore_inputs(load.execution_id, dest=str(work / "replay"))
        assert list(placed) == [entry.id]
        assert placed[entry.id].read_text() == "id,amount,country\n1,2.5,fr\n"
        [note] = placed.skipped.values()
        assert "sales.orders version 1" in note
        location = wh.location("sales.orders")
        assert f"read_table({location!r}, version=1)" in note
        assert rows(read_table(location, version=1)) == rows(GOOD)


def test_a_file_load_records_the_file_as_input(wh, orders, work):
    csv = write(work / "o.csv", "id,amount,country\n1,2.5,fr\n")
    load = wh.load(orders, csv)
    [event] = [e for e in wh.store.get_events(execution_ids=[load.execution_id]) if e.type == 3]
    assert wh.store.get_artifacts(ids=[event.artifact_id])[0].uri == str(csv)


def test_partitions_and_compaction(wh, work):
    wh.create("sales.parted", orders_schema(), partition_by=["country"])
    for start in range(0, 6, 2):
        wh.load(
            "sales.parted", GOOD.set_column(0, "id", pa.array([start + 1, start + 2, start + 3]))
        )
    location = wh.location("sales.parted")
    assert {p.name for p in (work / location).iterdir() if p.is_dir()} >= {
        "country=fr",
        "country=de",
    }
    before = len(DeltaTable(location).file_uris())
    compacted = wh.compact("sales.parted")
    after = DeltaTable(location).file_uris()
    assert len(after) < before and len(after) == 2
    assert len(wh.table("sales.parted").to_arrow()) == 9
    assert len(wh.as_of("sales.parted", compacted.version - 1).to_arrow()) == 9
    fr = wh.sql("SELECT count(*) AS n FROM sales.parted WHERE country = 'fr'")
    assert fr.column("n").to_pylist() == [6]


def test_retention_is_the_only_way_history_goes(wh, orders):
    wh.load(orders, GOOD)
    wh.load(orders, GOOD, mode="overwrite")
    assert len(wh.as_of(orders, 1).to_arrow()) == 3
    removed = wh.retain(orders, datetime.timedelta(0))
    assert removed
    assert len(wh.table(orders).to_arrow()) == 3
    with pytest.raises(VersionNotFoundError):
        wh.as_of(orders, 1).to_arrow()


def test_deltalake_and_duckdb_read_every_table_written(wh, orders):
    wh.load(orders, GOOD)
    wh.load(orders, GOOD, quarantine=True)
    wh.update(orders, "id = 1", {"amount": 1.0})
    for name in wh.tables():
        location = wh.location(name)
        ours = wh.table(name).to_arrow()
        theirs = DeltaTable(location).to_pyarrow_table()
        assert theirs.sort_by("_loaded_at").equals(ours.sort_by("_loaded_at"))
        dataset = DeltaTable(location).to_pyarrow_dataset()  # noqa: F841 (seen by DuckDB)
        counted = duckdb.sql("SELECT count(*) FROM dataset").fetchall()[0][0]
        assert counted == ours.num_rows
    assert read_table(wh.location(orders), version=1).num_rows == 3


def test_bad_names_and_sources_are_one_clear_error(wh, orders, work):
    with pytest.raises(WarehouseError, match=r"give subject\.table"):
        wh.create("orders", orders_schema())
    with pytest.raises(TableNotFoundError):
        wh.load("sales.none", GOOD)
    with pytest.raises(WarehouseError, match="cannot load a int"):
        wh.load(orders, 42)
    with pytest.raises(WarehouseError, match="mode"):
        wh.load(orders, GOOD, mode="merge")
    with pytest.raises(WarehouseError, match="_loaded_at"):
        wh.load(orders, GOOD.append_column(LOADED_AT, pa.array([1, 2, 3])))
    with pytest.raises(WarehouseError, match="give a schema"):
        wh.create("sales.empty")


def test_sql_reads_a_version_whatever_its_files_hold(wh, orders):
    wh.load(orders, GOOD)
    evolved = orders_schema()
    evolved.feature.add(name="note", type=schema_pb2.BYTES)
    wh.evolve(orders, evolved)  # a column no file holds yet
    assert wh.sql("SELECT count(*) AS n, count(note) AS notes FROM sales.orders").to_pylist() == [
        {"n": 3, "notes": 0}
    ]
    wh.load(orders, pa.table({"id": [4], "amount": [1.0], "country": ["it"], "note": ["x"]}))
    found = wh.sql("SELECT id, note FROM sales.orders ORDER BY id").to_pylist()
    assert found == [
        {"id": 1, "note": None},
        {"id": 2, "note": None},
        {"id": 3, "note": None},
        {"id": 4, "note": "x"},
    ]
    before = wh.sql("SELECT * FROM wh('sales.orders', 1) ORDER BY id")
    assert before.column_names == ["id", "amount", "country", LOADED_AT]
    assert before.column("id").to_pylist() == [1, 2, 3]
