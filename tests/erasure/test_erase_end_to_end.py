"""Must show (issue 16): a subject ingested into the lake, loaded into the warehouse, used by a
feature view, materialized online, retrieved into a training set and a model; erased; then no
byte of it is left under the store folder, everyone else's data is intact, the lineage too,
the receipt exists and the model is marked."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from datajourney import access, erasure
from datajourney.features.lineage import content_digest

from .conftest import EMAIL, INCOME, OTHERS, SUBJECT, leftovers


def test_the_subject_is_everywhere_before(world):
    assert len(leftovers(world.folder)) >= 5  # object, delta file + log, training set, online


def test_erasing_a_subject_leaves_no_byte_and_keeps_everyone_else(world):
    store = world.store
    plan = erasure.erase_subject(store, SUBJECT, dry_run=False, reason="GDPR request 17")

    assert plan.status == "done"
    assert leftovers(world.folder) == []

    # Everyone else is intact and queryable: now and at the old version.
    wh = world.warehouse
    assert sorted(wh.table("crm.users").to_arrow().column("user_id").to_pylist()) == OTHERS
    assert sorted(wh.as_of("crm.users", 1).to_arrow().column("user_id").to_pylist()) == OTHERS
    counted = wh.sql("SELECT count(*) AS n, sum(income) AS s FROM crm.users").to_pylist()[0]
    assert counted == {"n": 8, "s": sum(1000 * i + 17 for i in OTHERS)}
    lake_rows = world.lake.read("users.csv").table
    assert sorted(lake_rows.column("user_id").to_pylist()) == OTHERS
    training = pq.read_table(world.folder / "training.parquet")
    assert sorted(training.column("user_id").to_pylist()) == [1, 2]
    features = world.features()
    try:
        online = features.get_online_features(
            ["user_profile:income"], [{"user_id": 1}, {"user_id": SUBJECT}]
        ).to_dict()
    finally:
        features.close()
    assert online["income"] == [1017, None]

    # The lineage is intact: the model still leads back to the raw file's lake entry.
    upstream = store.lineage(world.model_id, "upstream")
    assert world.lake_entry_id in upstream.artifacts
    assert world.training_set_id in upstream.artifacts

    # New digests are recorded: the lake entry names the new object, the training set its
    # new content.
    entry = store.get_artifacts(ids=[world.lake_entry_id])[0]
    assert (world.folder / "objects" / entry.properties["digest"][:2]).is_dir()
    assert entry.custom_properties["snapshot"] == entry.properties["digest"]
    train = store.get_artifacts(ids=[world.training_set_id])[0]
    assert train.properties["digest"] == content_digest(str(world.folder / "training.parquet"))

    # The model and the training set are marked; the receipt holds no subject data.
    model = store.get_artifacts(ids=[world.model_id])[0]
    assert model.custom_properties[erasure.NEEDS_RETRAINING] == plan.erasure_id
    assert train.custom_properties[erasure.NEEDS_RETRAINING] == plan.erasure_id
    receipt = plan.receipt
    assert receipt is not None and receipt.type == erasure.RECEIPT_TYPE
    assert receipt.properties["erasure_id"] == plan.erasure_id
    assert receipt.properties["reason"] == "GDPR request 17"
    text = json.dumps([receipt.properties, receipt.custom_properties], default=str)
    assert EMAIL not in text and str(INCOME) not in text and f"{SUBJECT}," not in text
    found = json.loads(receipt.properties["found"])
    types = {ref["type"] for ref in found["holding"]}
    assert {"LakeEntry", "WarehouseTableVersion", "TrainingSet"} <= types
    assert any(ref["type"] == "Model" and ref["mark"] for ref in found["derived"])
    assert found["external"] == [str(world.landing / "users.csv")]
    assert erasure.erasures(store)[0]["status"] == "done"

    # Audited: the deletes and the history rewrite, under the access layer's log.
    entries = access.audit_log(store, resource="crm.users")
    assert {e.action for e in entries} >= {"delete", "admin"}
    assert all(EMAIL not in e.detail for e in entries)
    zone = access.audit_log(store, resource="raw", action="delete")
    assert zone and "erasure of subject" in zone[0].detail

    # The subject is found nowhere in the store now; a second erasure finds only the source
    # file outside it, which erasure lists and leaves alone.
    again = erasure.erase_subject(store, SUBJECT)
    assert not again.online
    assert all(ref.get("external") for ref in again.holding)
    assert again.external == [str(world.landing / "users.csv")]
    assert EMAIL in (world.landing / "users.csv").read_text()


def test_a_dry_run_changes_no_data(world):
    from .conftest import file_digests

    store = world.store
    erasure.index_subjects(store)
    before = file_digests(world.folder)
    artifacts = store.get_artifacts()
    executions = store.get_executions()
    events = store.get_events(artifact_ids=[a.id for a in artifacts])
    plan = erasure.erase_subject(store, SUBJECT)
    assert plan.erasure_id is None and plan.status == "planned"
    kinds = [s.kind for s in plan.steps]
    assert kinds[:2] == ["warehouse_table", "lake_object"]
    assert {"file", "online", "mark", "verify", "vacuum", "receipt"} <= set(kinds)
    assert list(plan.online.values()) == [{"crm/user_profile": 1}]
    assert "holds rows: LakeEntry" in str(plan)
    after = file_digests(world.folder)
    changed = [p for p in after if before.get(p) != after[p] and "metadata.sqlite" not in p]
    assert changed == []
    assert store.get_artifacts() == artifacts
    assert store.get_executions() == executions
    assert store.get_events(artifact_ids=[a.id for a in artifacts]) == events
    assert erasure.erasures(store) == []


def test_an_unknown_subject_is_found_nowhere(world):
    plan = erasure.erase_subject(world.store, "nobody")
    assert not plan.found
    assert "found nowhere" in str(plan)
