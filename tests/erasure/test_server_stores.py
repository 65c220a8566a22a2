"""Erasure with the metadata store on PostgreSQL and MySQL / MariaDB: the index, the plan and
the receipt live in that database; the files under the configured folders."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet
import pytest

from datajourney import erasure
from datajourney.lake import Lake
from datajourney.metadata.store import MetadataStore
from datajourney.warehouse import Warehouse
from tests.metadata.conftest import server_database  # noqa: F401  (the fixture)

from .conftest import EMAIL, INCOME, ROWS, SUBJECT, _csv, leftovers


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_erasure_on_a_server_store(backend, tmp_path, server_database):  # noqa: F811
    url = server_database(backend)
    folder = tmp_path / "data"
    folder.mkdir()
    (tmp_path / "users.csv").write_text(_csv(ROWS))
    store = MetadataStore(url)
    lake = Lake(store, objects=folder / "objects")
    entry = lake.ingest(str(tmp_path / "users.csv"), source="crm").added[0]
    warehouse = Warehouse(folder / "warehouse", store=store)
    warehouse.load("crm.users", entry, create=True)
    pa.parquet.write_table(pa.table({"user_id": [1, SUBJECT]}), folder / "train.parquet")
    with store.run("Retrieve") as run:
        run.output("TrainingSet", uri=str(folder / "train.parquet"))
    warehouse.load(
        "crm.users",
        pa.table({"user_id": [SUBJECT], "email": [EMAIL], "age": [93], "income": [INCOME]}),
    )
    erasure.configure(
        store,
        key_columns=["user_id"],
        roots=[folder],
        objects=[folder / "objects"],
        key_file=str(tmp_path / "erasure.key"),
    )
    done = erasure.erase_subject(store, SUBJECT, dry_run=False, reason=backend)
    assert done.status == "done" and done.receipt is not None
    assert leftovers(folder) == []
    assert warehouse.table("crm.users").to_arrow().num_rows == len(ROWS) - 1
    assert erasure.erasures(store)[0]["status"] == "done"
    assert pa.parquet.read_table(folder / "train.parquet").to_pylist() == [{"user_id": 1}]
    [train] = store.get_artifacts(type_name="TrainingSet")
    assert train.custom_properties[erasure.NEEDS_RETRAINING] == done.erasure_id
    [kept] = lake.find()
    assert kept.size == kept.object_path.stat().st_size < entry.size
    lake.close()
    store.close()
