"""The REST API over the demo's store: lists, filters, paging, details, lineage, diffs, the
files artifacts hold, and errors as JSON with MLMD's codes."""

from __future__ import annotations

import pytest


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_lists_page_through_every_artifact_once_in_order(client):
    everything = client.get("/api/artifacts", params={"limit": 1000}).json()
    assert everything["next_page_token"] is None
    seen, token = [], None
    while True:
        params = {"limit": 4, **({"page_token": token} if token else {})}
        page = client.get("/api/artifacts", params=params).json()
        seen += ids(page)
        token = page["next_page_token"]
        if token is None:
            break
    assert seen == ids(everything) == sorted(seen)


def test_descending_creation_order_pages_continue_where_they_stopped(client):
    params = {"limit": 3, "order_by": "create_time", "descending": "true"}
    first = client.get("/api/executions", params=params).json()
    second = client.get(
        "/api/executions", params={**params, "page_token": first["next_page_token"]}
    ).json()
    times = [e["create_time"] for e in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)
    assert not set(ids(first)) & set(ids(second))


def test_filter_and_type_select_nodes(client):
    schemas = client.get("/api/artifacts", params={"type": "Schema"}).json()["items"]
    assert schemas and {a["type"] for a in schemas} == {"Schema"}
    by_filter = client.get("/api/artifacts", params={"filter": "type = 'Schema'"}).json()
    assert ids(by_filter) == [a["id"] for a in schemas]
    cached = client.get("/api/executions", params={"filter": "last_known_state = CACHED"}).json()
    assert len(cached["items"]) == 6 and {e["state"] for e in cached["items"]} == {"CACHED"}


def test_artifact_detail_has_type_events_and_contexts(client, demo):
    detail = client.get(f"/api/artifacts/{demo['anomalies_id']}").json()
    assert detail["type"] == "ExampleAnomalies" and detail["state"] == "LIVE"
    assert detail["type_info"]["name"] == "ExampleAnomalies"
    producers = [e for e in detail["events"] if e["direction"] == "output"]
    assert producers and producers[0]["other"]["type"] == "ExampleValidator"
    assert {"pipeline", "pipeline_run", "node"} <= {c["type"] for c in detail["contexts"]}


def test_context_detail_lists_its_members(client):
    [pipeline] = client.get("/api/contexts", params={"type": "pipeline"}).json()["items"]
    detail = client.get(f"/api/contexts/{pipeline['id']}").json()
    assert detail["name"] == "covertype-demo"
    assert len(detail["executions"]) == 12 and not detail["more_executions"]
    assert {c["type"] for c in detail["children"]} >= {"pipeline_run"} or detail["artifacts"]


def test_lineage_upstream_reaches_the_raw_data_and_depth_cuts_it(client, demo):
    node = demo["anomalies_id"]
    full = client.get(f"/api/lineage/artifact/{node}", params={"direction": "upstream"}).json()
    types = {n["type"] for n in full["nodes"]}
    # raw file -> lake -> warehouse table version -> pipeline -> anomalies
    journey = {"ExternalArtifact", "LakeEntry", "WarehouseTableVersion", "WarehouseExampleGen"}
    assert journey | {"Examples", "ExampleValidator"} <= types
    assert full["focus"] == f"artifact:{node}"
    keys = {n["key"] for n in full["nodes"]}
    assert all(e["source"] in keys and e["target"] in keys for e in full["edges"])
    near = client.get(
        f"/api/lineage/artifact/{node}", params={"direction": "upstream", "depth": 1}
    ).json()
    assert {n["type"] for n in near["nodes"]} == {"ExampleAnomalies", "ExampleValidator"}
    down = client.get(f"/api/lineage/artifact/{node}", params={"direction": "downstream"}).json()
    assert [n["key"] for n in down["nodes"]] == [f"artifact:{node}"]


def test_diff_of_a_run_and_its_cached_rerun(client):
    runs = client.get("/api/executions", params={"type": "StatisticsGen"}).json()["items"]
    first, again = runs[0]["id"], runs[1]["id"]
    diff = client.get("/api/diff", params={"a": first, "b": again}).json()
    assert diff["a"]["id"] == first and diff["b"]["state"] == "CACHED"
    assert diff["identical_inputs"] is True
    assert "no differences" in diff["summary"] or diff["parameters"]


def test_statistics_schema_and_anomalies_of_artifacts(client, demo):
    def first(type_name: str) -> int:
        return client.get("/api/artifacts", params={"type": type_name}).json()["items"][0]["id"]

    stats = client.get(f"/api/artifacts/{first('ExampleStatistics')}/statistics").json()
    assert {"train", "eval", "serving"} <= set(stats["splits"])
    features = stats["splits"]["train"]["datasets"][0]["features"]
    assert any("num_stats" in f for f in features) and any("string_stats" in f for f in features)
    schema = client.get(f"/api/artifacts/{first('Schema')}/schema").json()
    assert any(f["name"] == "Elevation" for f in schema["splits"][""]["feature"])
    anomalies = client.get(f"/api/artifacts/{demo['anomalies_id']}/anomalies").json()
    assert "Soil_Type" in anomalies["splits"]["eval"]["anomaly_info"]


def test_snapshots_list_the_recorded_digests(client):
    snapshots = client.get("/api/snapshots").json()["items"]
    assert snapshots and all(len(s["snapshot"]) == 64 for s in snapshots)
    one = client.get(f"/api/snapshots/{snapshots[0]['snapshot']}").json()
    assert snapshots[0]["id"] in [a["id"] for a in one["artifacts"]]


def test_storage_catalogs_list_what_the_demo_stored(client):
    # the demo keeps its raw CSVs in the lake and loads them into warehouse tables
    entries = client.get("/api/lake").json()["items"]
    assert [e["path"] for e in entries] == ["data/eval.csv", "data/serving.csv", "data/train.csv"]
    # sizes, times (ms) and row counts are whole numbers, though stored as DOUBLEs (issue 14)
    assert all(type(e["size"]) is int and type(e["ingested_at"]) is int for e in entries)
    assert all(e["ingested_at"] > 1_600_000_000_000 for e in entries)
    tables = {t["name"] for t in client.get("/api/warehouse").json()["items"]}
    assert {"covertype.train", "covertype.eval", "covertype.serving"} <= tables
    versions = client.get("/api/warehouse/covertype.train").json()["recorded_versions"]
    assert versions and all(type(v["rows"]) is int for v in versions)
    assert client.get("/api/features").json()["items"]


def test_summary_counts_runs_by_type(client):
    summary = client.get("/api/summary").json()
    assert summary["counts"]["executions"]["StatisticsGen"] == 2
    assert summary["failed_runs"] == []
    assert summary["recent_runs"][0]["create_time"] >= summary["recent_runs"][-1]["create_time"]


@pytest.mark.parametrize(
    ("url", "status", "code", "words"),
    [
        ("/api/artifacts/9999", 404, 5, "no artifact with id 9999"),
        ("/api/executions/0", 400, 3, "node_id"),
        ("/api/artifacts?filter=bogus(", 400, 3, "filter"),
        ("/api/artifacts?order_by=name", 400, 3, "order_by"),
        ("/api/artifacts?page_token=nonsense", 400, 3, "page_token"),
        ("/api/lineage/context/1", 400, 3, "kind"),
        ("/api/lineage/artifact/1?direction=sideways", 400, 3, "direction"),
        ("/api/diff?a=1&b=9999", 404, 5, "no execution with id 9999"),
        ("/api/artifacts/1/statistics", 404, 5, "holds no statistics"),
        ("/api/types/artifact/NoSuchType", 404, 5, "NoSuchType"),
        ("/api/warehouse/sales.orders", 404, 5, "no warehouse table"),
        ("/api/nowhere", 404, 5, "/api/nowhere"),
        ("/api/events", 400, 3, "artifact_id or execution_id"),
    ],
)
def test_errors_are_json_with_mlmd_codes(client, url, status, code, words):
    answer = client.get(url)
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["code"] == code and words in error["message"]
    assert "Traceback" not in answer.text


def test_read_only_server_refuses_writes_with_403(client):
    answer = client.post("/api/types", json={"kind": "artifact", "name": "X"})
    assert answer.status_code == 403
    assert answer.json()["error"]["status"] == "PERMISSION_DENIED"
    assert client.get("/api/types/artifact/X").status_code == 404


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/artifacts", "/api/lineage/{kind}/{node_id}", "/api/store/{operation}"} <= set(
        spec["paths"]
    )


@pytest.mark.parametrize(
    ("path", "trips"),
    [
        ("/api/health", 0),
        ("/api/artifacts?limit=50", 1),
        ("/api/artifacts/{id}", 1),
        ("/api/lineage/artifact/{id}?direction=upstream", 1),
        ("/api/summary", 1),
        ("/artifacts/{id}", 1),
    ],
)
def test_a_read_takes_one_trip_to_the_thread_pool(client, demo, monkeypatch, path, trips):
    """Each trip costs about as much server CPU as a small store read (issue 15): a read
    takes one (its store calls), the health check none."""
    import anyio.to_thread

    real, made = anyio.to_thread.run_sync, []

    async def counted(function, *args, **kwargs):
        made.append(function)
        return await real(function, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    answer = client.get(path.format(id=demo["anomalies_id"]))
    assert answer.status_code == 200
    assert len(made) == trips, made


def test_every_kind_of_property_value_reads_back_as_json(tmp_path):
    from fastapi.testclient import TestClient

    import datajourney as dj
    from datajourney.metadata.model import ProtoValue
    from datajourney.server import create_app

    url = f"sqlite:///{tmp_path / 'values.sqlite'}"
    values = {
        "text": "a",
        "count": 3,
        "flag": True,
        "ratio": 0.5,
        "huge": float("inf"),
        "too_big": float("-inf"),
        "struct": {"n": [1, "x"], "inner": {"b": False}},
        "proto": ProtoValue("type.googleapis.com/x.Y", b"\x01\x02"),
    }
    with dj.MetadataStore(url) as store:
        type_id = store.put_type(dj.ArtifactType("Values"))
        [node_id] = store.put([dj.Artifact(type_id=type_id, custom_properties=values)])
    with TestClient(create_app(url)) as client:
        answer = client.get(f"/api/artifacts/{node_id}").json()
        twin = client.get(f"/artifacts/{node_id}.json").json()
    assert (
        answer["custom_properties"]
        == twin["custom_properties"]
        == {
            "text": "a",
            "count": 3,
            "flag": True,
            "ratio": 0.5,
            "huge": "Infinity",
            "too_big": "-Infinity",
            "struct": {"n": [1, "x"], "inner": {"b": False}},
            "proto": {"type_url": "type.googleapis.com/x.Y", "value_base64": "AQI="},
        }
    )


def test_remote_store_calls_are_the_first_routes_tried(client):
    """Routing tries the routes in order, a few microseconds each (issue 15): the remote
    store's wire protocol, the most frequent calls, comes right after the health check."""
    paths = list(client.get("/openapi.json").json()["paths"])
    assert paths[0] == "/api/health"
    assert set(paths[1:5]) == {
        "/api/store/transactions",
        "/api/store/transactions/{tx}/commit",
        "/api/store/transactions/{tx}/rollback",
        "/api/store/{operation}",
    }
