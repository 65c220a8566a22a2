"""A warehouse table's whole history loses the subject: every version stays readable with
everyone else's rows as they were, including versions covered by a Delta checkpoint, the
quarantine table, and the log's statistics, predicates and schema domains."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable

from datajourney import erasure
from datajourney.metadata.store import MetadataStore
from datajourney.warehouse import Warehouse

EMAIL = "xavier.zzq@example.org"


def _schema():
    """user_id, plan, and email with a curated domain that lists the subject's email."""
    from google.protobuf import text_format
    from tensorflow_metadata.proto.v0 import schema_pb2

    emails = "".join(
        f' value: "{e}"' for e in ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", EMAIL]
    )
    return text_format.Parse(
        'feature { name: "user_id" type: INT } '
        'feature { name: "email" type: BYTES domain: "email" } '
        'feature { name: "plan" type: BYTES } '
        f'string_domain {{ name: "email" {emails} }}',
        schema_pb2.Schema(),
    )


def _sorted(rows):
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def _rows(ids, emails, plans):
    return pa.table({"user_id": ids, "email": emails, "plan": plans})


def test_every_version_loses_the_subject_and_keeps_everyone_else(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    store = MetadataStore(f"sqlite:///{folder / 'metadata.sqlite'}")
    wh = Warehouse(folder / "warehouse", store=store)
    wh.create("crm.accounts", _schema())
    wh.load("crm.accounts", _rows([1, 2], ["a@x.org", "b@x.org"], ["free", "pro"]))
    wh.load("crm.accounts", _rows([777, 3], [EMAIL, "c@x.org"], ["gold", "free"]))
    wh.load("crm.accounts", _rows([4], ["d@x.org"], ["pro"]))
    wh.delete("crm.accounts", "user_id = 3")
    wh.update("crm.accounts", "user_id = 777", {"plan": "free"})
    location = wh.location("crm.accounts")
    DeltaTable(location).create_checkpoint()
    wh.load("crm.accounts", _rows([5], ["e@x.org"], ["pro"]))
    # a bad row of the subject's goes to the quarantine table, as text
    wh.load(
        "crm.accounts",
        pa.table({"user_id": ["777", "6"], "email": [EMAIL + "-old", "f"], "plan": ["x", "y"]}),
        quarantine=True,
    )
    history = wh.history("crm.accounts")
    before = {
        v.version: _sorted(
            r
            for r in wh.as_of("crm.accounts", v.version).to_arrow().to_pylist()
            if r["user_id"] != 777
        )
        for v in history
    }
    log = "".join(p.read_text() for p in sorted((folder / "warehouse").rglob("*.json")))
    assert EMAIL in log  # statistics hold the subject's email before

    erasure.configure(store, key_columns=["user_id"])
    plan = erasure.erase_subject(store, 777)
    versions = sorted(r["version"] for r in plan.holding if r["type"] == "WarehouseTableVersion")
    assert versions == [2, 3, 4, 5, 6, 7]  # 0 and 1 predate the subject
    done = plan.execute(reason="subject request")
    assert done.status == "done"

    latest = DeltaTable(location).version()
    assert latest == len(history)  # one new version: the erasure's delete
    for version, rows in before.items():
        now = wh.as_of("crm.accounts", version).to_arrow().to_pylist()
        assert _sorted(now) == rows, version
    assert 777 not in wh.table("crm.accounts").to_arrow().column("user_id").to_pylist()
    domain = wh.table("crm.accounts").schema.string_domain[0].value
    assert list(domain) == ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org"]
    assert list((folder / "warehouse").rglob("*.checkpoint.parquet"))
    quarantined = wh.table("crm.accounts_quarantine").to_arrow()
    assert quarantined.column("user_id").to_pylist() == ["6"]
    for path in sorted((folder / "warehouse").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            assert EMAIL.encode() not in data, path
            if path.suffix != ".parquet":  # 777 as a value, not inside a number or a name
                assert not re.search(rb"(?<![0-9A-Za-z])777(?![0-9A-Za-z])", data), path
    for path in sorted((folder / "warehouse").rglob("*.parquet")):
        table = pq.read_table(path)
        assert EMAIL not in json.dumps(table.to_pylist(), default=str), path  # checkpoints too
        values = [v for c in table.columns for v in c.to_pylist()]
        assert EMAIL not in values and "gold" not in values, path
        if "user_id" in table.column_names:
            assert 777 not in values and "777" not in values, path
    commits = [
        json.loads(line)
        for p in sorted((folder / "warehouse" / "crm" / "accounts" / "_delta_log").glob("*.json"))
        for line in p.read_text().splitlines()
    ]
    predicates = [
        c["commitInfo"].get("operationParameters", {}).get("predicate")
        for c in commits
        if "commitInfo" in c
    ]
    assert "<erased subject>" in predicates
    assert any(p and "user_id = 3" in p for p in predicates)  # other predicates stay
    store.close()


def test_a_table_partitioned_by_the_key_is_refused_and_the_erasure_not_done(tmp_path):
    import pytest

    from datajourney.erasure.rows import UnsupportedFormatError

    folder = tmp_path / "store"
    folder.mkdir()
    store = MetadataStore(f"sqlite:///{folder / 'metadata.sqlite'}")
    wh = Warehouse(folder / "warehouse", store=store)
    wh.create("crm.parts", _schema(), partition_by=["user_id"])
    wh.load("crm.parts", _rows([1, 777], ["a@x.org", EMAIL], ["free", "gold"]))
    erasure.configure(store, key_columns=["user_id"])
    with pytest.raises(UnsupportedFormatError, match="partitioned by the key column"):
        erasure.erase_subject(store, 777, dry_run=False)
    [record] = erasure.erasures(store)
    assert record["status"] == "failed" and record["receipt_id"] is None
    assert sorted(wh.table("crm.parts").to_arrow().column("user_id").to_pylist()) == [1, 777]
    store.close()


def test_schema_domains_lose_only_the_subjects_values_also_non_ascii():
    from google.protobuf import text_format
    from tensorflow_metadata.proto.v0 import schema_pb2

    from datajourney.erasure.delta_history import _domain_values, _scrub_schema

    schema = schema_pb2.Schema()
    domain = schema.string_domain.add(name="email")
    domain.value.extend(["zoë@x.org", "a@x.org"])
    feature = schema.feature.add(name="city")
    feature.string_domain.value.extend(["Zürich", "Bern"])
    text = text_format.MessageToString(schema)
    assert _domain_values(text) == {"zoë@x.org", "a@x.org", "Zürich", "Bern"}
    scrubbed = _scrub_schema(text, {"zoë@x.org", "Zürich"})
    assert _domain_values(scrubbed) == {"a@x.org", "Bern"}
    assert _scrub_schema(text, {"nobody"}) == text
