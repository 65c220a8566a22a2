"""Access control through the server: each action allowed and denied per role (REST API, UI
pages, the HTTP store's wire protocol), denials as 403 naming principal, action and resource,
and the audit log that records them (``/api/audit``, the audit page)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import datajourney as dj
from datajourney import access
from datajourney.metadata.errors import PermissionDeniedError
from datajourney.metadata.model import ArtifactType
from datajourney.server import create_app
from datajourney.server.auth import token_hash
from datajourney.server.running import running

PEOPLE = ("alice", "bob", "carol", "dave", "erin", "ed", "lin")
POLICY = {
    "roles": {
        "reader": [{"actions": ["describe", "read_offline"], "resources": ["context"]}],
        "writer": [{"actions": ["describe", "write"], "resources": ["context"]}],
        "remover": [{"actions": ["describe", "delete"], "resources": ["context"]}],
        "auditor": [{"actions": ["describe"], "resources": ["policy"]}],
        "raw_lake": [
            {"actions": ["describe"], "resources": ["lake_zone"], "names": ["raw"]},
            {"actions": ["describe"], "resources": ["warehouse_subject"], "names": ["nobody"]},
        ],
    },
    "bindings": {
        "alice": ["admin"],
        "bob": ["reader"],
        "carol": ["writer"],
        "dave": ["remover"],
        "ed": ["auditor"],
        "lin": ["raw_lake"],
    },
}


def _tokens() -> dict[str, str]:
    return {token_hash(f"token-{who}"): who for who in PEOPLE}


def _as(who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer token-{who}"}


@pytest.fixture
def governed(tmp_path: Path) -> Iterator[TestClient]:
    """A server with a token per person over a small store, the policy put in force by alice."""
    url = f"sqlite:///{tmp_path / 'g.sqlite'}"
    with dj.MetadataStore(url) as store:
        store.put_type(ArtifactType(name="DataSet"))
        with store.run("Clean", context=("Experiment", "e1")) as run:
            run.output("DataSet", uri="/data/clean.csv")
    with TestClient(create_app(url, token_hashes=_tokens())) as client:
        answer = client.put("/api/access/policy", json=POLICY, headers=_as("alice"))
        assert answer.status_code == 200, answer.text
        yield client


def _new_artifact(client: TestClient) -> int:
    made = client.post(
        "/api/artifacts", json={"type": "DataSet", "uri": "/x"}, headers=_as("alice")
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


# (what, method, path or a function of the client giving it, body, allowed principals)
REQUESTS = [
    ("describe", "GET", "/api/artifacts", None, {"alice", "bob", "carol", "dave"}),
    ("describe", "GET", "/api/lineage/artifact/1", None, {"alice", "bob", "carol", "dave"}),
    ("describe", "GET", "/api/summary", None, {"alice", "bob", "carol", "dave"}),
    ("write", "POST", "/api/types", {"kind": "artifact", "name": "Model"}, {"alice", "carol"}),
    (
        "write",
        "POST",
        "/api/runs",
        {"execution_type": "Train", "outputs": [{"type": "Model", "uri": "/m"}]},
        {"alice", "carol"},
    ),
    ("write", "PATCH", lambda c: f"/api/artifacts/{_new_artifact(c)}", {"name": "n"}, None),
    ("delete", "DELETE", lambda c: f"/api/artifacts/{_new_artifact(c)}", None, {"alice", "dave"}),
    ("describe", "GET", "/api/access/policy", None, {"alice", "ed"}),
    ("describe", "GET", "/api/audit", None, {"alice", "ed"}),
    ("admin", "PUT", "/api/access/policy", POLICY, {"alice"}),
]


@pytest.mark.parametrize(
    ("action", "method", "path", "body", "allowed"),
    REQUESTS,
    ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else 'node'}" for r in REQUESTS],
)
def test_each_action_allowed_and_denied_per_role(governed, action, method, path, body, allowed):
    allowed = allowed or {"alice", "carol"}
    for who in PEOPLE:
        url = path(governed) if callable(path) else path
        answer = governed.request(method, url, json=body, headers=_as(who))
        if who in allowed:
            assert answer.status_code < 300, (who, answer.text)
            continue
        assert answer.status_code == 403, (who, answer.text)
        error = answer.json()["error"]
        assert error["status"] == "PERMISSION_DENIED"
        assert error["principal"] == who and error["action"] == action
        assert error["resource"]["kind"] in ("context", "policy")
        assert f"{who!r} may not {action}" in error["message"]


def test_denials_and_writes_are_in_the_audit_log(governed):
    governed.get("/api/artifacts", headers=_as("erin"))
    governed.post("/api/types", json={"kind": "artifact", "name": "M"}, headers=_as("bob"))
    governed.post("/api/types", json={"kind": "artifact", "name": "M"}, headers=_as("carol"))
    log = governed.get("/api/audit", headers=_as("ed")).json()["items"]
    newest = [(e["principal"], e["action"], e["outcome"]) for e in log[:3]]
    assert newest == [
        ("carol", "write", "allowed"),
        ("bob", "write", "denied"),
        ("erin", "describe", "denied"),
    ]
    assert log[0]["detail"] == "put artifact type M"
    assert log[-1]["principal"] == "alice" and log[-1]["action"] == "admin"  # set the policy
    denied = governed.get("/api/audit?outcome=denied&principal=bob", headers=_as("alice"))
    assert [e["principal"] for e in denied.json()["items"]] == ["bob"]
    by_action = governed.get("/api/audit?action=admin", headers=_as("alice")).json()["items"]
    assert {e["action"] for e in by_action} == {"admin"}
    later = governed.get("/api/audit?since=2999-01-01", headers=_as("alice")).json()["items"]
    assert later == []
    bad = governed.get("/api/audit?since=yesterday", headers=_as("alice"))
    assert bad.status_code == 400 and "ISO" in bad.json()["error"]["message"]
    # Reading the log is itself not a write: it adds nothing.
    assert len(governed.get("/api/audit", headers=_as("ed")).json()["items"]) == len(log)


def test_the_audit_page_shows_the_log_and_refuses_others(governed):
    governed.get("/api/artifacts", headers=_as("erin"))
    page = governed.get("/audit?outcome=denied", headers=_as("alice"))
    assert page.status_code == 200 and "Audit log" in page.text
    assert "erin" in page.text and "denied" in page.text and "carol" not in page.text
    twin = governed.get("/audit.json?principal=erin", headers=_as("alice")).json()
    assert [e["principal"] for e in twin["items"]] == ["erin"]
    refused = governed.get("/audit", headers=_as("bob"))
    assert refused.status_code == 403 and "may not describe policy" in refused.text
    listing = governed.get("/artifacts", headers=_as("erin"))
    assert listing.status_code == 403 and "may not describe" in listing.text


def test_whoami_and_turning_access_control_off(governed):
    me = governed.get("/api/access/me", headers=_as("carol")).json()
    assert me == {"principal": "carol", "policy_in_force": True, "roles": ["writer"]}
    assert governed.delete("/api/access/policy", headers=_as("carol")).status_code == 403
    assert governed.delete("/api/access/policy", headers=_as("alice")).json()["policy"] is None
    assert governed.get("/api/artifacts", headers=_as("erin")).status_code == 200


def test_the_http_store_is_governed_by_the_server(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with dj.MetadataStore(url) as store:
        store.put_type(ArtifactType(name="DataSet"))
        access.set_policy(store, POLICY, "alice")
    with running(url, token_hashes=_tokens()) as served:
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "token-bob")
        with dj.MetadataStore(served) as as_bob:
            assert as_bob.get_artifacts() == []  # bob may describe
            with pytest.raises(PermissionDeniedError, match="'bob' may not write context"):
                as_bob.put_type(ArtifactType(name="Model"))
            # Inside a transaction the denial rolls it back and is still logged.
            with pytest.raises(PermissionDeniedError), as_bob.transaction():
                as_bob.get_artifacts()
                as_bob.put_type(ArtifactType(name="Model"))
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "token-carol")
        with dj.MetadataStore(served) as as_carol:
            with as_carol.transaction():
                as_carol.put_type(ArtifactType(name="Model"))
            assert as_carol.find_type(dj.ArtifactType, "Model") is not None
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "token-erin")
        with (
            dj.MetadataStore(served) as as_erin,
            pytest.raises(PermissionDeniedError, match="'erin' may not describe"),
        ):
            as_erin.get_artifacts()
    with dj.MetadataStore(url) as store:
        log = access.audit_log(store)
    assert [(e.principal, e.action, e.outcome) for e in log[:4]] == [
        ("erin", "describe", "denied"),
        ("carol", "write", "allowed"),
        ("bob", "write", "denied"),
        ("bob", "write", "denied"),
    ]
    assert log[1].detail == "store.put_type" and log[2].detail == "in a transaction"


def test_a_tokenless_server_acts_as_the_principal_the_client_names(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with dj.MetadataStore(url) as store:
        access.set_policy(store, POLICY, "alice")
    with TestClient(create_app(url)) as client:
        who = client.get("/api/access/me", headers={"X-Datajourney-Principal": "carol"}).json()
        assert who["principal"] == "carol" and who["roles"] == ["writer"]
        denied = client.get("/api/audit", headers={"X-Datajourney-Principal": "bob"})
        assert denied.status_code == 403
    with running(url) as served:
        monkeypatch.setenv("DATAJOURNEY_PRINCIPAL", "erin")
        with (
            dj.MetadataStore(served) as as_erin,
            pytest.raises(PermissionDeniedError, match="'erin' may not describe"),
        ):
            as_erin.get_artifacts()


@pytest.fixture
def governed_demo(demo, tmp_path) -> Iterator[TestClient]:
    """A copy of the demo's store under the policy (the demo's own store stays open)."""
    source = Path(demo["url"].removeprefix("sqlite:///"))
    copy = tmp_path / "demo.sqlite"
    shutil.copy(source, copy)
    with dj.MetadataStore(f"sqlite:///{copy}") as store:
        access.set_policy(store, POLICY, "alice")
    with TestClient(create_app(f"sqlite:///{copy}", token_hashes=_tokens())) as client:
        yield client


def test_data_pages_need_read_offline(governed_demo):
    found = governed_demo.get("/api/artifacts?type=ExampleStatistics", headers=_as("bob"))
    stats_id = found.json()["items"][0]["id"]
    path = f"/api/artifacts/{stats_id}/statistics"
    assert governed_demo.get(path, headers=_as("bob")).status_code == 200  # reader
    denied = governed_demo.get(path, headers=_as("carol"))  # a writer may describe, not read
    assert denied.status_code == 403 and denied.json()["error"]["action"] == "read_offline"
    page = governed_demo.get(f"/artifacts/{stats_id}/statistics", headers=_as("carol"))
    assert page.status_code == 403


def test_storage_listings_keep_what_the_principal_may_describe(governed_demo):
    everything = governed_demo.get("/api/lake", headers=_as("alice")).json()
    assert everything["items"], "the demo keeps a file in the lake"
    lin = governed_demo.get("/api/lake", headers=_as("lin")).json()
    zones_of = {
        e["id"]: governed_demo.get(f"/api/lake/{e['id']}", headers=_as("alice")).json()["zones"]
        for e in everything["items"]
    }
    assert [e["id"] for e in lin["items"]] == [
        e["id"] for e in everything["items"] if "raw" in zones_of[e["id"]]
    ]
    assert governed_demo.get("/api/lake", headers=_as("bob")).json()["items"] == []
    tables = governed_demo.get("/api/warehouse", headers=_as("alice")).json()["items"]
    assert tables, "the demo loads a warehouse table"
    assert governed_demo.get("/api/warehouse", headers=_as("lin")).json()["items"] == []
    name = tables[0]["name"]
    denied = governed_demo.get(f"/api/warehouse/{name}", headers=_as("lin"))
    assert denied.status_code == 403
    assert denied.json()["error"]["resource"] == {"kind": "warehouse_table", "name": name}
    projects = governed_demo.get("/api/features", headers=_as("alice")).json()["items"]
    assert projects, "the demo registers a feature project"
    project = projects[0]["name"]
    views = governed_demo.get(f"/api/features/{project}", headers=_as("alice")).json()["items"]
    assert views
    assert governed_demo.get(f"/api/features/{project}", headers=_as("lin")).json()["items"] == []
    denied = governed_demo.get(f"/api/features/{project}/{views[0]['name']}", headers=_as("lin"))
    assert denied.status_code == 403 and denied.json()["error"]["action"] == "describe"


def test_the_library_sets_and_reads_a_remote_stores_policy_and_audit_log(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with running(url, token_hashes=_tokens()) as served:
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "token-alice")
        with dj.MetadataStore(served) as as_alice:
            assert access.policy(as_alice) is None
            assert access.set_policy(as_alice, POLICY) == 1
            assert access.policy(as_alice) == access.policy_from_json(POLICY)
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "token-bob")
        with dj.MetadataStore(served) as as_bob:
            with pytest.raises(PermissionDeniedError, match="'bob' may not admin policy"):
                access.set_policy(as_bob, None)
            with pytest.raises(PermissionDeniedError, match="'bob' may not describe policy"):
                access.audit_log(as_bob)
        monkeypatch.setenv("DATAJOURNEY_TOKEN", "token-ed")
        with dj.MetadataStore(served) as as_ed:
            denied = access.audit_log(as_ed, outcome="denied", limit=10)
            assert [(e.principal, e.action, e.resource_name) for e in denied] == [
                ("bob", "describe", "audit"),
                ("bob", "admin", "policy"),
            ]
            assert denied[0].at.tzinfo is not None
            everything = access.audit_log(as_ed)
            assert everything[-1].principal == "alice" and everything[-1].outcome == "allowed"
    with dj.MetadataStore(url) as local:  # the same log, read from the database
        assert access.audit_log(local) == everything
