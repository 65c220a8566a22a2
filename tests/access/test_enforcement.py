"""Every storage layer asks the one check: each action allowed and denied per role through the
library (the lake, the warehouse, a pipeline's context), and a denial changes nothing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import datajourney as dj
from datajourney import access
from datajourney.access import AccessDeniedError
from datajourney.lake import Lake
from datajourney.pipeline import Output, Pipeline, component
from datajourney.warehouse import Warehouse

POLICY = {
    "roles": {
        "curated_reader": [
            {
                "actions": ["describe", "read_offline"],
                "resources": ["lake_zone"],
                "names": ["curated"],
            }
        ],
        "raw_writer": [
            {
                "actions": ["write", "describe", "read_offline"],
                "resources": ["lake_zone"],
                "names": ["raw"],
            }
        ],
        "sales_analyst": [
            {
                "actions": ["describe", "read_offline"],
                "resources": ["warehouse_subject"],
                "names": ["sales"],
            }
        ],
        "orders_loader": [
            {
                "actions": ["write", "describe", "read_offline"],
                "resources": ["warehouse_table"],
                "names": ["sales.orders"],
            }
        ],
        "nightly_runner": [
            {
                "actions": ["write"],
                "resources": ["context"],
                "names": ["nightly"],
                "tags": {"type": "pipeline"},
            }
        ],
    },
    "groups": {"analysts": ["bob"]},
    "bindings": {
        "alice": ["admin"],
        "analysts": ["curated_reader", "sales_analyst"],
        "carol": ["raw_writer", "orders_loader", "nightly_runner"],
    },
}


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (what a denied call must leave as it was)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("DATAJOURNEY_STORE", "DATAJOURNEY_OBJECTS", "DATAJOURNEY_WAREHOUSE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATAJOURNEY_PRINCIPAL", "nobody")
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "a.csv").write_text("user,clicks\nann,3\nbob,5\n")
    (tmp_path / "orders.csv").write_text("order_id,amount\n1,9.5\n2,3.0\n")
    return tmp_path


@pytest.fixture
def store(work):
    with dj.MetadataStore(f"sqlite:///{work / 'metadata.sqlite'}") as opened:
        yield opened


def test_lake_zones_allow_and_deny_per_role(work, store):
    lake = Lake(store, objects=work / "objects")
    access.set_policy(store, POLICY, "alice")
    before = files_under(work / "objects") if (work / "objects").exists() else {}
    entries = len(store.get_artifacts())
    with access.acting_as("bob"), pytest.raises(AccessDeniedError) as denied:
        lake.ingest(work / "landing")
    assert str(denied.value).startswith("access denied: 'bob' may not write lake_zone 'raw'")
    assert (denied.value.principal, denied.value.action.value) == ("bob", "write")
    after = files_under(work / "objects") if (work / "objects").exists() else {}
    assert after == before and len(store.get_artifacts()) == entries

    with access.acting_as("carol"):
        [entry] = lake.ingest(work / "landing").added
        assert lake.read(entry).table.num_rows == 2
        with pytest.raises(AccessDeniedError, match="'carol' may not write lake_zone 'curated'"):
            lake.promote([entry], "curated")
        with pytest.raises(AccessDeniedError, match="may not delete lake_zone 'raw'"):
            lake.retain(datetime.datetime.now() + datetime.timedelta(days=1), zone="raw")
    with access.acting_as("bob"):
        assert lake.find() == []  # bob may describe only 'curated'
        with pytest.raises(AccessDeniedError, match="'bob' may not read_offline lake_zone 'raw'"):
            lake.read(entry)
        with pytest.raises(AccessDeniedError, match="may not describe lake_zone 'raw'"):
            lake.find(zone="raw")
    with access.acting_as("alice"):
        lake.promote([entry], "curated")
    with access.acting_as("bob"):
        assert [e.path for e in lake.find()] == ["landing/a.csv"]
        assert lake.read(entry).table.num_rows == 2
        assert lake.sql("SELECT count(*) AS n FROM lake('landing/*.csv')").to_pylist() == [{"n": 2}]
    denied_log = access.audit_log(store, outcome="denied")
    assert [(e.principal, e.action, e.resource_name) for e in denied_log][-1] == (
        "bob",
        "write",
        "raw",
    )
    allowed = access.audit_log(store, outcome="allowed", action="write")
    assert [(e.principal, e.resource_name, e.detail) for e in allowed][:2] == [
        ("alice", "curated", "lake.promote"),
        ("carol", "raw", "lake.ingest"),
    ]


def test_warehouse_tables_and_subjects_allow_and_deny_per_role(work, store):
    wh = Warehouse(work / "wh", store=store)
    access.set_policy(store, POLICY, "alice")
    with access.acting_as("carol"):
        load = wh.load("sales.orders", work / "orders.csv", create=True)
        assert (load.version, load.rows) == (1, 2)
        with pytest.raises(AccessDeniedError, match="'carol' may not write warehouse_table"):
            wh.load("sales.refunds", work / "orders.csv", create=True)
        table_files = files_under(work / "wh")
        with pytest.raises(AccessDeniedError, match="may not delete warehouse_table"):
            wh.delete("sales.orders", "order_id = 1")
        assert files_under(work / "wh") == table_files
    with access.acting_as("bob"):  # through the subject 'sales'
        assert wh.tables() == ["sales.orders"]
        assert wh.as_of("sales.orders", 1).to_arrow().num_rows == 2
        assert wh.sql("SELECT sum(amount) AS s FROM sales.orders").to_pylist() == [{"s": 12.5}]
        assert [v.version for v in wh.history("sales.orders")] == [0, 1]
        with pytest.raises(AccessDeniedError, match="'bob' may not write warehouse_table"):
            wh.load("sales.orders", work / "orders.csv")
        with pytest.raises(AccessDeniedError, match="may not write warehouse_table"):
            wh.evolve("sales.orders", wh.table("sales.orders").schema)
        assert files_under(work / "wh") == table_files
        assert wh.table("sales.orders").version == 1
    with access.acting_as("dan"):  # no role at all
        assert wh.tables() == []
        with pytest.raises(AccessDeniedError, match="'dan' may not read_offline"):
            wh.sql("SELECT * FROM wh('sales.orders', 1)")
        with pytest.raises(AccessDeniedError, match="'dan' may not describe"):
            wh.history("sales.orders")
    with access.acting_as("alice"):
        assert wh.delete("sales.orders", "order_id = 1").rows == 1
        wh.retain("sales.orders", datetime.timedelta(days=7), dry_run=True)
    assert [(e.principal, e.action, e.detail) for e in access.audit_log(store, limit=3)] == [
        ("alice", "delete", "warehouse.retain"),
        ("alice", "delete", "warehouse.delete"),
        ("dan", "describe", "warehouse.describe"),
    ]


class Count:
    """A test artifact type."""


@component
def Counter(counted: Output[Count]) -> None:
    (Path(counted.uri) / "n.txt").write_text("3")


def test_a_pipeline_run_needs_write_on_its_context(work, store):
    access.set_policy(store, POLICY, "alice")
    with access.acting_as("bob"), pytest.raises(AccessDeniedError) as denied:
        Pipeline("nightly", [Counter()], store=store, root="root").run()
    assert str(denied.value).startswith("access denied: 'bob' may not write context 'nightly'")
    assert store.get_contexts() == [] and store.get_executions() == []
    with access.acting_as("carol"):
        result = Pipeline("nightly", [Counter()], store=store, root="root").run()
        assert [r.state for r in result.results] == ["COMPLETE"]
        with pytest.raises(AccessDeniedError, match="may not write context 'weekly'"):
            Pipeline("weekly", [Counter()], store=store, root="root").run()


def test_without_a_policy_every_layer_allows_and_audits_writes(work, store):
    lake = Lake(store, objects=work / "objects")
    wh = Warehouse(work / "wh", store=store)
    with access.acting_as("anyone"):
        lake.ingest(work / "landing")
        wh.load("sales.orders", work / "orders.csv", create=True)
        assert wh.tables() == ["sales.orders"] and len(lake.find()) == 1
    assert [(e.action, e.resource_kind, e.detail) for e in access.audit_log(store)] == [
        ("write", "warehouse_table", "warehouse.create"),  # asked inside the load
        ("write", "warehouse_table", "warehouse.load"),
        ("write", "lake_zone", "lake.ingest"),
    ]


def test_a_policy_set_elsewhere_takes_effect_within_the_cache_time(work, store):
    wh = Warehouse(work / "wh", store=store)
    wh.load("sales.orders", work / "orders.csv", create=True)
    with dj.MetadataStore(store.url) as other:  # another process would do the same
        access.set_policy(other, POLICY, "alice")
    access.forget_policy(store)  # what waiting POLICY_CACHE_SECONDS does
    with access.acting_as("dan"), pytest.raises(AccessDeniedError):
        wh.table("sales.orders")
