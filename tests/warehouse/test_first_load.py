"""A first load with ``create=True`` is all or nothing: refused or failed, it leaves no table."""

from __future__ import annotations

from pathlib import Path

import deltalake
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from datajourney.warehouse import LoadRefusedError, WarehouseError

from .conftest import write

RAGGED = "id,amount\n1,2.5\n2,3.5,extra\n"
HEADER_ONLY = "id,amount\n"
TOO_BIG = pa.table({"id": pa.array([1, 2**63], pa.uint64())})  # no INT holds 2**63


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def records(store) -> dict[str, list]:
    """What the metadata store holds (but its types)."""
    return {
        "contexts": [(c.id, c.name) for c in store.get_contexts()],
        "artifacts": [(a.id, a.uri) for a in store.get_artifacts()],
        "executions": [(e.id, e.last_known_state) for e in store.get_executions()],
    }


@pytest.mark.parametrize(
    "bad, fixed",
    [
        (RAGGED, "id,amount\n1,2.5\n2,3.5\n"),
        (HEADER_ONLY, "id,amount\n1,2.5\n"),
        (TOO_BIG, pa.table({"id": pa.array([1, 2], pa.uint64())})),
    ],
    ids=["ragged-rows", "no-rows", "a-value-its-type-cannot-hold"],
)
@pytest.mark.parametrize("subject_there", [False, True])
def test_a_refused_first_load_leaves_no_table(wh, work, bad, fixed, subject_there):
    if subject_there:
        wh.load("sales.other", pa.table({"id": [1]}), create=True)
    if isinstance(bad, str):
        bad, fixed = write(work / "bad.csv", bad), write(work / "fixed.csv", fixed)
    before_files, before_records = files(work), records(wh.store)
    with pytest.raises(LoadRefusedError):
        wh.load("sales.orders", bad, create=True)
    assert files(work) == before_files
    assert records(wh.store) == before_records
    assert wh.tables() == (["sales.other"] if subject_there else [])
    assert wh.load("sales.orders", fixed, create=True).version == 1
    assert wh.table("sales.orders").to_arrow().num_rows > 0


def test_a_first_load_failing_after_the_table_was_created_removes_it(wh, work, monkeypatch):
    wh.load("sales.other", pa.table({"id": [1]}), create=True)
    csv = write(work / "o.csv", "id,amount\n1,2.5\n")
    before_files, before_contexts = files(work), records(wh.store)["contexts"]
    write_deltalake = deltalake.write_deltalake

    def disk_full(target, data, mode, **options):
        if mode == "append":
            raise OSError(28, "No space left on device")
        return write_deltalake(target, data, mode=mode, **options)

    monkeypatch.setattr(deltalake, "write_deltalake", disk_full)
    with pytest.raises(OSError, match="No space left"):
        wh.load("sales.orders", csv, create=True)
    assert files(work) == before_files
    assert records(wh.store)["contexts"] == before_contexts
    assert wh.tables() == ["sales.other"]
    monkeypatch.undo()
    assert wh.load("sales.orders", csv, create=True).version == 1


IDS = pa.array([1, 2])
HALF = pa.array(np.array([1.5, 2.5], np.float16))
INTERVAL = pa.array([pa.MonthDayNano([1, 2, 3])] * 2, pa.month_day_nano_interval())


@pytest.mark.parametrize(
    "data, says",
    [
        (
            pa.Table.from_arrays([IDS, IDS, IDS], names=["id", "amount", "id"]),
            "column 'id' appears 2 times",
        ),
        (pd.DataFrame([[1, 2]], columns=["id", "id"]), "column 'id' appears 2 times"),
        (pa.table({"id": IDS, "amount": HALF}), "column 'amount' holds float16 values"),
        (
            pa.table({"id": IDS, "amounts": pa.array([[1.5], [2.5]], pa.list_(pa.float16()))}),
            "column 'amounts' holds float16 values",
        ),
        (
            pa.table({"id": IDS, "wait": INTERVAL}),
            "column 'wait' holds month_day_nano_interval values",
        ),
        (
            pa.table(
                {"id": IDS, "tags": pa.array([[("a", 1)]] * 2, pa.map_(pa.string(), pa.int64()))}
            ),
            r"column 'tags' holds map<string, int64> values",
        ),
    ],
    ids=[
        "duplicate-name",
        "duplicate-name-pandas",
        "float16",
        "list-of-float16",
        "interval",
        "map",
    ],
)
def test_columns_no_table_can_be_made_of_are_named_and_nothing_is_written(wh, work, data, says):
    wh.load("sales.other", pa.table({"id": [1]}), create=True)
    before_files, before_records = files(work), records(wh.store)
    with pytest.raises(WarehouseError, match=says) as load:
        wh.load("sales.orders", data, create=True)
    with pytest.raises(WarehouseError, match=says) as create:
        wh.create("sales.orders", like=data)
    assert type(load.value) is type(create.value) is WarehouseError
    assert files(work) == before_files
    assert records(wh.store) == before_records
    assert wh.tables() == ["sales.other"]


def test_float16_values_appended_are_named_and_nothing_is_written(wh, work):
    wh.load("sales.orders", pa.table({"id": IDS, "amount": pa.array([1.5, 2.5])}), create=True)
    before_files, before_records = files(work), records(wh.store)
    with pytest.raises(WarehouseError, match="column 'amount' holds float16 values"):
        wh.load("sales.orders", pa.table({"id": IDS, "amount": HALF}))  # (was DuckDB's error)
    assert files(work) == before_files
    assert records(wh.store) == before_records
