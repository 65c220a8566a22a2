"""The warehouse with its metadata store on PostgreSQL and MySQL / MariaDB, whose ML Metadata
layouts keep int properties in 32 bits: row counts are stored so that they fit (issue 14)."""

from __future__ import annotations

import deltalake
import pyarrow as pa
import pytest

from datajourney.metadata.store import MetadataStore
from datajourney.warehouse import Warehouse
from tests.metadata.conftest import server_database  # noqa: F401  (the fixture)

MANY = 2**31 + 7


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_a_change_of_more_than_two_billion_rows_is_recorded(
    backend,
    tmp_path,
    monkeypatch,
    server_database,  # noqa: F811
):
    deleting = deltalake.DeltaTable.delete

    def delete_reporting_many(table, *args, **kwargs):  # as a delete on a huge table reports
        return {**deleting(table, *args, **kwargs), "num_deleted_rows": MANY}

    monkeypatch.setattr(deltalake.DeltaTable, "delete", delete_reporting_many)
    with MetadataStore(server_database(backend)) as store:
        warehouse = Warehouse(tmp_path / "warehouse", store=store)
        loaded = warehouse.load("shop.orders", pa.table({"id": [1, 2, 3]}), create=True)
        deleted = warehouse.delete("shop.orders", "id > 1")
        assert deleted.rows == MANY
        versions = store.get_artifacts(type_name="WarehouseTableVersion")
        assert [(a.properties["version"], a.properties["rows"]) for a in versions] == [
            (loaded.version, 3),
            (deleted.version, MANY),
        ]
        assert warehouse.table("shop.orders").to_arrow().num_rows == 1
