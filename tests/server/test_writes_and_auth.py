"""Writes through the REST API (types, nodes, events, runs, deletion), bearer tokens, the
token file, and ``datajourney serve``'s refusals."""

from __future__ import annotations

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from datajourney.cli.app import app as cli
from datajourney.server import create_app
from datajourney.server.auth import load_token_file, new_token


def test_types_nodes_events_and_updates(writable):
    assert (
        writable.post(
            "/api/types",
            json={"kind": "artifact", "name": "DataSet", "properties": {"rows": "INT"}},
        ).status_code
        == 201
    )
    writable.post("/api/types", json={"kind": "execution", "name": "Clean"})
    writable.post("/api/types", json={"kind": "context", "name": "Experiment"})
    experiment = writable.post("/api/contexts", json={"type": "Experiment", "name": "e1"}).json()
    data = writable.post(
        "/api/artifacts",
        json={
            "type": "DataSet",
            "uri": "/d",
            "state": "LIVE",
            "properties": {"rows": 10},
            "context_ids": [experiment["id"]],
        },
    ).json()
    assert data["properties"] == {"rows": 10} and data["state"] == "LIVE"
    run = writable.post("/api/executions", json={"type": "Clean", "state": "RUNNING"}).json()
    event = writable.post(
        "/api/events", json={"artifact_id": data["id"], "execution_id": run["id"], "type": "INPUT"}
    ).json()
    assert event["direction"] == "input"
    changed = writable.patch(
        f"/api/executions/{run['id']}", json={"state": "COMPLETE", "custom_properties": {"n": 1}}
    ).json()
    assert changed["state"] == "COMPLETE" and changed["custom_properties"] == {"n": 1}
    members = writable.get(f"/api/contexts/{experiment['id']}").json()["artifacts"]
    assert [m["id"] for m in members] == [data["id"]]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"type": "Nope", "uri": "/x"}, 404, "Nope"),
        ({"type": "DataSet", "state": "SHINY"}, 400, "state 'SHINY'"),
        ({"type": "DataSet", "properties": {"rows": "ten"}}, 400, "rows"),
        ({"uri": "/x"}, 400, "type"),
    ],
)
def test_a_bad_write_is_a_json_error_and_changes_nothing(writable, body, status, words):
    writable.post(
        "/api/types", json={"kind": "artifact", "name": "DataSet", "properties": {"rows": "INT"}}
    )
    answer = writable.post("/api/artifacts", json=body)
    assert answer.status_code == status and words in answer.json()["error"]["message"]
    assert writable.get("/api/artifacts").json()["items"] == []


def test_a_whole_run_then_deletion_with_cascade(writable):
    run = writable.post(
        "/api/runs",
        json={
            "execution_type": "Train",
            "contexts": [["Experiment", "x"]],
            "params": {"lr": 0.1},
            "inputs": [
                {"type": "DataSet", "uri": "/d/train.csv", "properties": {"split": "train"}}
            ],
            "outputs": [{"type": "Model", "uri": "/m", "properties": {"accuracy": 0.9}}],
        },
    ).json()
    assert run["state"] == "COMPLETE" and run["properties"] == {"lr": 0.1}
    assert sorted(e["direction"] for e in run["events"]) == ["input", "output"]
    [data] = [e["other"]["id"] for e in run["events"] if e["direction"] == "input"]
    refused = writable.delete(f"/api/artifacts/{data}")
    assert refused.status_code == 412 and "cascade" in refused.json()["error"]["message"]
    plan = writable.delete(f"/api/artifacts/{data}", params={"cascade": True, "dry_run": True})
    assert plan.json()["executed"] is False and len(plan.json()["artifacts"]) == 2
    assert writable.delete(f"/api/artifacts/{data}", params={"cascade": True}).json()["executed"]
    assert writable.get("/api/artifacts").json()["items"] == []


def test_a_failed_run_is_recorded_failed_without_outputs(writable):
    run = writable.post(
        "/api/runs",
        json={"execution_type": "Train", "outputs": [{"type": "Model"}], "error": "out of memory"},
    ).json()
    assert run["state"] == "FAILED" and run["custom_properties"]["error"] == "out of memory"
    assert run["events"] == []


def test_tokens_are_checked_and_name_the_principal(tmp_path):
    token_file = tmp_path / "tokens"
    alice = new_token(token_file, "alice")
    assert alice not in token_file.read_text()  # stored hashed
    app = create_app("memory://", token_hashes=load_token_file(token_file))
    seen = []

    @app.get("/api/whoami")
    def whoami(request: Request) -> dict:
        seen.append(request.state.principal)
        return {}

    with TestClient(app) as client:
        assert client.get("/api/artifacts").status_code == 401
        bad = client.get("/api/artifacts", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401 and bad.json()["error"]["status"] == "UNAUTHENTICATED"
        good = {"Authorization": f"Bearer {alice}"}
        assert client.get("/api/artifacts", headers=good).status_code == 200
        client.get("/api/whoami", headers=good)
        assert [p.name for p in seen] == ["alice"]
        assert client.get("/openapi.json").status_code == 200  # the description is public


def test_a_malformed_token_file_names_the_line(tmp_path):
    bad = tmp_path / "tokens"
    bad.write_text("# tokens\nsha256:abc alice\n")
    with pytest.raises(Exception, match="line 2"):
        load_token_file(bad)


def test_cors_is_off_unless_origins_are_given():
    with TestClient(create_app("memory://")) as client:
        answer = client.get("/api/health", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in answer.headers
    with TestClient(create_app("memory://", cors_origins=["http://ok.example"])) as client:
        answer = client.get("/api/health", headers={"Origin": "http://ok.example"})
        assert answer.headers["access-control-allow-origin"] == "http://ok.example"


def test_serve_beyond_localhost_needs_a_token_file(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--store", "memory://"])
    assert result.exit_code == 2 and "--token-file" in result.output
    made = CliRunner().invoke(cli, ["serve", "token", "new", "--token-file", str(tmp_path / "t")])
    assert made.exit_code == 0
    assert list(load_token_file(tmp_path / "t").values()) == ["default"]
