"""The quarantine: bad rows set apart with the load in one all-or-nothing step, malformed rows
kept with their line and raw text; the lineage between versions; what the quick check writes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from datajourney.lake import Lake
from datajourney.warehouse import ConflictError, TableNotFoundError, Warehouse

from .conftest import write

ROOT = Path(__file__).resolve().parents[2]
RAGGED = "id,amount,country\n1,2.5,fr\n2,3.5,de,extra\n3,-1.0,it\n4\n5,1.0,it\n"


def quarantined(wh: Warehouse, table: str) -> list[dict]:
    return sorted(
        wh.table(table + "_quarantine").to_arrow().to_pylist(),
        key=lambda r: (r["_line"] or 0, r["_row"] or 0),
    )


def test_ragged_rows_are_quarantined_with_file_line_and_raw_text(wh, orders, work):
    csv = write(work / "r.csv", RAGGED)
    load = wh.load(orders, csv, quarantine=True)
    assert (load.rows, load.quarantined) == (2, 3)
    kept = quarantined(wh, orders)
    misfit = [r for r in kept if r["_reason"] != "wrong_field_count"]
    assert [(r["id"], r["_feature"], r["_reason"]) for r in misfit] == [
        ("3", "amount", "FLOAT_TYPE_SMALL_FLOAT")
    ]
    ragged = [r for r in kept if r["_reason"] == "wrong_field_count"]
    assert [(r["_source"], r["_line"], r["_raw"]) for r in ragged] == [
        (str(csv.absolute()), 3, "2,3.5,de,extra"),
        (str(csv.absolute()), 5, "4"),
    ]
    assert {r["_load"] for r in kept} == {r["_load"] for r in kept[:1]}
    assert {r["_execution"] for r in kept} == {load.execution_id}


def test_ragged_rows_of_a_lake_entry_keep_their_lake_path_and_line(wh, orders, work):
    write(work / "in" / "r.csv", RAGGED)
    with Lake(store=wh.store) as lake:
        [entry] = lake.ingest(work / "in").added
        assert wh.load(orders, entry, quarantine=True).quarantined == 3
    ragged = [r for r in quarantined(wh, orders) if r["_reason"] == "wrong_field_count"]
    assert [(r["_source"], r["_line"], r["_raw"]) for r in ragged] == [
        ("in/r.csv", 3, "2,3.5,de,extra"),
        ("in/r.csv", 5, "4"),
    ]


def test_a_quarantined_load_that_does_not_commit_leaves_neither(wh, orders, work, monkeypatch):
    csv = write(work / "r.csv", RAGGED)
    original = Warehouse._write

    def conflicting(self, name, *args, **kwargs):
        if name == orders:  # another writer got there first
            raise ConflictError(f"{name}: another writer committed a conflicting change", name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(Warehouse, "_write", conflicting)
    with pytest.raises(ConflictError):
        wh.load(orders, csv, quarantine=True)
    monkeypatch.undo()
    assert wh.table(orders).version == 0
    assert "sales.orders_quarantine" not in wh.tables()
    assert not list(Path(wh.location(orders), "_quarantine_pending").glob("*"))
    retried = wh.load(orders, csv, quarantine=True)
    assert (retried.version, len(quarantined(wh, orders))) == (1, 3)


def test_a_load_killed_after_its_commit_gets_its_quarantine_rows(wh, orders, work):
    write(work / "r.csv", RAGGED)
    code = textwrap.dedent(
        """
        import os
        from datajourney.warehouse import Warehouse, quarantine
        quarantine.publish = lambda *args: os._exit(9)  # killed between the two commits
        with Warehouse() as wh:
            wh.load("sales.orders", "r.csv", quarantine=True)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, timeout=120)
    assert done.returncode == 9
    location = wh.location(orders)
    assert DeltaTable(location).version() == 1  # the load landed
    assert [h.quarantined for h in wh.history(orders)] == [0, 3]
    [staged] = Path(location, "_quarantine_pending").glob("*.parquet")
    with pytest.raises(TableNotFoundError):  # its own process may still be appending it
        wh.table(orders + "_quarantine")
    old = staged.stat().st_mtime - 60
    os.utime(staged, (old, old))  # ... but not after half a minute
    # the warehouse finishes the step: the rows reach the quarantine when it is read
    with Warehouse(store=wh.store) as again:
        kept = quarantined(again, orders)
    assert len(kept) == 3
    landed = next(c for c in DeltaTable(location).history() if c["version"] == 1)
    assert {r["_load"] for r in kept} == {landed["datajourney.load"]}
    assert not list(Path(location, "_quarantine_pending").glob("*"))
    assert len(quarantined(wh, orders)) == 3  # rolled forward once


def test_an_appended_version_names_the_version_it_was_appended_to(wh, orders):
    first = wh.load(orders, pa.table({"id": [1], "amount": [1.0], "country": ["fr"]}))
    second = wh.load(orders, pa.table({"id": [2], "amount": [2.0], "country": ["de"]}))
    replaced = wh.load(
        orders, pa.table({"id": [3], "amount": [3.0], "country": ["it"]}), mode="overwrite"
    )
    deleted = wh.delete(orders, "id = 3")
    store = wh.store
    upstream = store.lineage(second.artifact_id, "upstream").artifacts
    assert first.artifact_id in upstream
    assert store.get_artifacts(ids=[second.artifact_id])[0].properties["version"] == 2
    assert second.artifact_id not in store.lineage(replaced.artifact_id, "upstream").artifacts
    assert replaced.artifact_id in store.lineage(deleted.artifact_id, "upstream").artifacts


def test_csv_and_arrow_loads_write_the_same_rows(wh, orders, work):
    csv = write(work / "o.csv", 'id,amount,country\n1,2.5," fr"\n2,,\n3,4,it\n')
    wh.load(orders, csv)
    wh.load(
        orders,
        pa.table({"id": [1, 2, 3], "amount": [2.5, None, 4.0], "country": ["fr", None, "it"]}),
    )
    first, second = (wh.as_of(orders, v).to_arrow() for v in (1, 2))
    rows = first.drop_columns(["_loaded_at"]).to_pylist()
    assert rows == second.slice(3).drop_columns(["_loaded_at"]).to_pylist()
    assert rows[0] == {"id": 1, "amount": 2.5, "country": "fr"}  # padded text trimmed
    padded = pa.table({"id": [9], "amount": [1.0], "country": ["de "]})
    wh.load(orders, padded)
    countries = wh.sql("SELECT country FROM sales.orders WHERE id = 9").column(0).to_pylist()
    assert countries == ["de"]
