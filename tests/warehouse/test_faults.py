"""Faults: bad files, mismatched loads, two processes loading at once, a load killed midway."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from datajourney.io import DataReadError
from datajourney.warehouse import LoadRefusedError, Warehouse

from .conftest import write

ROOT = Path(__file__).resolve().parents[2]


def test_a_ragged_csv_is_refused_or_its_malformed_rows_quarantined(wh, orders, work):
    csv = write(work / "r.csv", "id,amount,country\n1,2.5,fr\n2,3.5,de,extra\n3\n4,1.0,it\n")
    with pytest.raises(LoadRefusedError) as caught:
        wh.load(orders, csv)
    assert caught.value.bad_rows == 2
    assert "2 rows with the wrong number of fields" in (
        caught.value.anomalies.dataset_anomaly_info.description
    )
    assert wh.table(orders).version == 0
    load = wh.load(orders, csv, quarantine=True)
    assert (load.rows, load.quarantined) == (2, 2)


def test_a_ragged_lake_entry_is_refused_too(wh, orders, work):
    from datajourney.lake import Lake

    write(work / "in" / "r.csv", "id,amount,country\n1,2.5,fr\n2,3.5,de,extra\n")
    with Lake(store=wh.store) as lake:
        [entry] = lake.ingest(work / "in").added
        with pytest.raises(LoadRefusedError) as caught:
            wh.load(orders, entry)
        assert caught.value.bad_rows == 1
        assert wh.load(orders, entry, quarantine=True).rows == 1


def test_a_file_that_is_not_the_format_its_name_says(wh, orders, work):
    fake = write(work / "o.parquet", "id,amount,country\n1,2.5,fr\n")
    with pytest.raises(DataReadError, match=r"o\.parquet"):
        wh.load(orders, fake)
    assert wh.table(orders).version == 0


def test_columns_or_types_that_do_not_match(wh, orders, work):
    with pytest.raises(LoadRefusedError, match="columns not in the schema extra"):
        wh.load(orders, pa.table({"id": [1], "amount": [1.0], "country": ["fr"], "extra": [1]}))
    with pytest.raises(LoadRefusedError, match="missing columns country"):
        wh.load(orders, pa.table({"id": [1], "amount": [1.0]}))
    csv = write(work / "t.csv", "id,amount,country\none,2.5,fr\n2,lots,de\n2.5,1,it\n")
    with pytest.raises(LoadRefusedError) as caught:
        wh.load(orders, csv)
    reasons = {
        n: [r.type for r in i.reason] for n, i in caught.value.anomalies.anomaly_info.items()
    }
    assert set(reasons) == {"id", "amount"}
    assert caught.value.bad_rows == 3
    assert wh.table(orders).version == 0


def _loader(work: Path, script: str) -> subprocess.Popen:
    code = textwrap.dedent(script)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=work, env=env, stderr=subprocess.PIPE, text=True
    )


def test_two_processes_loading_the_same_table_both_land_in_order(wh, orders, work):
    script = """
        import pyarrow as pa, sys
        from datajourney.warehouse import Warehouse
        base = int(sys.argv[1]) if len(sys.argv) > 1 else 0
        with Warehouse() as wh:
            for i in range(5):
                wh.load("sales.orders", pa.table(
                    {"id": [BASE + i], "amount": [1.0], "country": ["fr"]}))
    """
    first = _loader(work, script.replace("BASE", "100"))
    second = _loader(work, script.replace("BASE", "200"))
    for process in (first, second):
        assert process.wait(timeout=120) == 0, process.stderr.read()
    history = wh.history(orders)
    assert [v.version for v in history] == list(range(11))
    ids = sorted(wh.table(orders).to_arrow().column("id").to_pylist())
    assert ids == [100, 101, 102, 103, 104, 200, 201, 202, 203, 204]
    executions = {v.execution_id for v in history[1:]}
    assert len(executions) == 10 and None not in executions


def test_a_load_killed_midway_leaves_the_last_good_version(wh, orders, work):
    wh.load(orders, pa.table({"id": [1], "amount": [1.0], "country": ["fr"]}))
    location = Path(wh.location(orders))
    before = {p for p in location.rglob("*") if p.is_file()}
    script = """
        import numpy as np, pyarrow as pa
        from datajourney.warehouse import Warehouse
        n = 3_000_000
        rows = pa.table({"id": np.arange(n), "amount": np.ones(n),
                         "country": pa.array(["fr", "de"] * (n // 2))})
        print("ready", flush=True)
        with Warehouse() as wh:
            for _ in range(20):
                wh.load("sales.orders", rows)
    """
    process = _loader(work, script)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(p.is_file() and p not in before for p in location.rglob("*.parquet")):
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    # Reopened from its files, the table holds whole versions only: the first one, plus any
    # load the kill came after, never part of one.
    table = DeltaTable(str(location))
    count = table.to_pyarrow_table().num_rows
    assert (count - 1) % 3_000_000 == 0
    assert table.version() == 1 + (count - 1) // 3_000_000
    assert Warehouse(store=wh.store).table(orders).version == table.version()
    assert wh.load(orders, pa.table({"id": [2], "amount": [1.0], "country": ["fr"]})).rows == 1
