"""The subject in a versioning snapshot, in a Redis online store; and an erasure the access
policy refuses changes nothing."""

from __future__ import annotations

import json
import os
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datajourney import access, erasure
from datajourney.versioning import restore

from .conftest import EMAIL, INCOME, SUBJECT, build_world, file_digests, leftovers

REDIS = os.environ.get("DATAJOURNEY_TEST_REDIS", "127.0.0.1:6379")


def test_a_snapshot_is_rewritten_and_restores_without_the_subject(world, monkeypatch, tmp_path):
    monkeypatch.setenv("DATAJOURNEY_OBJECTS", str(world.folder / "objects"))
    export = world.folder / "exports"
    export.mkdir()
    lines = [{"user_id": u, "email": f"user{u}@example.org"} for u in (1, 2)]
    lines.insert(1, {"user_id": SUBJECT, "email": EMAIL})
    (export / "users.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    pq.write_table(pa.table({"user_id": [SUBJECT, 3], "income": [INCOME, 5]}), export / "p.parquet")
    with world.store.run("Export") as run:
        run.output("DataSet", uri=str(export), snapshot=True)
    artifact = world.store.get_artifacts(type_name="DataSet")[0]
    old = artifact.custom_properties["snapshot"]

    plan = erasure.erase_subject(world.store, SUBJECT)
    assert artifact.id in {r["artifact_id"] for r in plan.holding}
    plan.execute()
    assert leftovers(world.folder) == []

    new = world.store.get_artifacts(ids=[artifact.id])[0].custom_properties["snapshot"]
    assert new != old
    restored = restore(new, tmp_path / "restored", objects=world.folder / "objects")
    text = (restored / "users.jsonl").read_text()
    assert text == "".join(json.dumps(r) + "\n" for r in lines if r["user_id"] != SUBJECT)
    assert pq.read_table(restored / "p.parquet").to_pylist() == [{"user_id": 3, "income": 5}]


def _redis_or_skip() -> None:
    import redis

    host, _, port = REDIS.partition(":")
    try:
        redis.Redis(host=host, port=int(port or 6379), socket_timeout=3).ping()
    except redis.RedisError as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise
        pytest.skip(f"no Redis at {REDIS}: {error}")


def test_redis_online_entries_are_deleted(tmp_path):
    _redis_or_skip()
    import redis

    prefix = f"dj-erasure-{uuid.uuid4().hex[:8]}"
    online = {"type": "redis", "connection_string": REDIS, "key_prefix": prefix}
    world = build_world(tmp_path, online=online)
    host, _, port = REDIS.partition(":")
    client = redis.Redis(host=host, port=int(port or 6379))
    try:
        keys = sorted(k.decode() for k in client.scan_iter(match=f"{prefix}:*"))
        assert f"{prefix}:crm:user_profile:[{SUBJECT}]" in keys
        plan = erasure.erase_subject(world.store, SUBJECT)
        assert list(plan.online.values()) == [{"crm/user_profile": 1}]
        plan.execute()
        after = sorted(k.decode() for k in client.scan_iter(match=f"{prefix}:*"))
        assert after == [k for k in keys if k != f"{prefix}:crm:user_profile:[{SUBJECT}]"]
        assert len(after) == 8
        assert leftovers(world.folder) == []
    finally:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()
        world.lake.close()
        world.store.close()


def test_an_erasure_the_policy_refuses_changes_nothing(world):
    store = world.store
    access.set_policy(
        store,
        {
            "roles": {"reader": [{"actions": ["describe", "read_offline"]}]},
            "bindings": {"carol": ["admin"], "alice": ["reader"]},
        },
        principal="carol",
    )
    erasure.index_subjects(store)
    before = file_digests(world.folder)
    with access.acting_as("alice"), pytest.raises(access.AccessDeniedError, match="alice"):
        erasure.erase_subject(store, SUBJECT, dry_run=False)
    after = file_digests(world.folder)
    assert [p for p in after if before.get(p) != after[p] and "metadata.sqlite" not in p] == []
    assert erasure.erasures(store) == []
    denied = access.audit_log(store, outcome="denied", principal="alice")
    assert denied and denied[0].action == "delete"
    with access.acting_as("carol"):
        done = erasure.erase_subject(store, SUBJECT, dry_run=False, reason="by the admin")
    assert done.status == "done" and done.requested_by == "carol"


def test_a_file_no_artifact_names_under_the_store_folder_is_erased_too(world):
    stray = world.folder / "features" / ".datajourney" / "pushed" / "crm" / "push-1.jsonl"
    stray.parent.mkdir(parents=True)
    stray.write_text(
        json.dumps({"user_id": 5, "income": 5017})
        + "\n"
        + json.dumps({"user_id": SUBJECT, "email": EMAIL})
        + "\n"
    )
    plan = erasure.erase_subject(world.store, SUBJECT)
    assert {"kind": "file", "target": str(stray)} in [
        {"kind": s.kind, "target": s.target.get("path")} for s in plan.steps
    ]
    plan.execute()
    assert stray.read_text() == json.dumps({"user_id": 5, "income": 5017}) + "\n"
    assert leftovers(world.folder) == []


def test_a_compressed_lake_file_is_reported_as_not_searched(world, tmp_path):
    import gzip

    packed = tmp_path / "old_users.csv.gz"
    packed.write_bytes(gzip.compress(f"user_id,email\n{SUBJECT},{EMAIL}\n".encode()))
    world.lake.ingest(str(packed))
    plan = erasure.erase_subject(world.store, SUBJECT)
    [(dataset, why)] = [(d, w) for d, w in plan.not_searched.items()]
    assert dataset.startswith("object:") and "gzip" in why
    assert "not searched" in str(plan)


def test_key_columns_per_data_set(world):
    world.warehouse.load(
        "shop.orders",
        pa.table({"buyer": [1, SUBJECT, 2], "total": [10.0, 99.5, 3.0]}),
        create=True,
    )
    config = erasure.configure(world.store, datasets={"shop.*": ["buyer"]})
    assert config.columns_for("shop.orders") == ["buyer"]
    assert config.columns_for("crm.users") == ["user_id"]
    plan = erasure.erase_subject(world.store, SUBJECT)
    tables = {s.target["name"] for s in plan.steps if s.kind == "warehouse_table"}
    assert tables == {"crm.users", "shop.orders"}
    plan.execute()
    orders = world.warehouse.table("shop.orders").to_arrow()
    assert orders.column("buyer").to_pylist() == [1, 2]
    assert leftovers(world.folder) == []
