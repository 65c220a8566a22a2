"""The web UI's pages over HTTP (no browser): what each page shows, its JSON twin (the same
URL plus ``.json``) agreeing with the REST API, the filter language, paging, sorting, errors,
and nothing referenced outside the server."""

from __future__ import annotations

import datetime
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from datajourney.server import create_app

PAGES = [
    "/",
    "/artifacts",
    "/executions",
    "/contexts",
    "/artifacts/1",
    "/executions/1",
    "/contexts/1",
    "/lineage/artifact/1",
    "/lineage/execution/1",
    "/diff",
    "/diff?a=1&b=2",
    "/features",
    "/lake",
    "/warehouse",
    "/snapshots",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_html_and_has_a_json_twin(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>" in page.text
    path, _, query = url.partition("?")
    twin = client.get(
        ("/.json" if path == "/" else path + ".json") + (f"?{query}" if query else "")
    )
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    assert isinstance(twin.json(), dict)


def test_pages_reference_nothing_outside_the_server(client, demo):
    anomalies = demo["anomalies_id"]
    urls = [*PAGES, f"/artifacts/{anomalies}/anomalies", "/static/app.css", "/static/lineage.js"]
    for url in urls:
        text = client.get(url).text
        external = re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//[^"')\s]+""", text)
        assert external == [], f"{url} refers outside the server: {external}"


def test_json_twins_agree_with_the_rest_api(client, demo):
    anomalies = demo["anomalies_id"]
    for page, api in [
        (f"/artifacts/{anomalies}.json", f"/api/artifacts/{anomalies}"),
        ("/executions/2.json", "/api/executions/2"),
        (f"/lineage/artifact/{anomalies}.json?depth=all", f"/api/lineage/artifact/{anomalies}"),
        ("/snapshots.json", "/api/snapshots"),
    ]:
        twin, rest = client.get(page).json(), client.get(api).json()
        assert {k: v for k, v in twin.items() if k in rest} == rest, page
    listed = client.get("/artifacts.json?limit=3").json()
    assert listed["items"] == client.get("/api/artifacts?limit=3").json()["items"]


def test_home_shows_runs_states_counts_and_failures(client):
    page = client.get("/").text
    assert "Recent runs" in page and "Failed runs" in page and "Nothing failed." in page
    assert "StatisticsGen" in page and "state-complete" in page and "state-cached" in page
    data = client.get("/.json").json()
    pipeline = ("WarehouseExampleGen", "StatisticsGen", "SchemaGen", "ImportSchemaGen")
    counts = data["counts"]["executions"]
    assert [counts[name] for name in pipeline] == [2, 2, 2, 2]  # the pipeline ran twice
    assert counts["FeatureMaterialization"] == 1  # the feature step, once


def test_list_filter_sort_and_pages(client):
    schemas = client.get("/artifacts.json", params={"filter": "type = 'Schema'"}).json()
    assert [a["type"] for a in schemas["items"]] == ["Schema", "Schema"]
    page = client.get("/artifacts", params={"filter": "type = 'Schema'"}).text
    assert page.count("<td>Schema</td>") == 2 and 'value="type = &#39;Schema&#39;"' in page

    first = client.get("/executions.json?limit=5&order_by=create_time&desc=true").json()
    assert len(first["items"]) == 5 and first["next_page_token"]
    second = client.get(
        "/executions.json",
        params={
            "limit": 5,
            "order_by": "create_time",
            "desc": "true",
            "page_token": first["next_page_token"],
        },
    ).json()
    seen = [e["id"] for e in first["items"] + second["items"]]
    assert len(set(seen)) == 10
    times = [(e["create_time"], e["id"]) for e in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)
    html = client.get("/executions?limit=5").text
    assert 'rel="next"' in html and "page_token=" in html

    typed = client.get("/executions.json?type=SchemaGen").json()
    assert {e["type"] for e in typed["items"]} == {"SchemaGen"}
    members = client.get("/artifacts.json?context_id=1").json()
    assert members["items"] and members["context_id"] == 1


def test_detail_page_shows_properties_events_contexts_and_links(client, demo):
    anomalies = demo["anomalies_id"]
    page = client.get(f"/artifacts/{anomalies}").text
    assert f"ExampleAnomalies #{anomalies}" in page
    assert "anomaly_counts" in page and "OUTPUT" in page and "ExampleValidator" in page
    assert f'href="/lineage/artifact/{anomalies}"' in page
    assert f'href="/artifacts/{anomalies}/anomalies"' in page
    assert "covertype-demo" in page  # its contexts
    stats_run = client.get("/api/executions?type=StatisticsGen").json()["items"][0]["id"]
    run = client.get(f"/executions/{stats_run}").text
    assert "INPUT" in run and "OUTPUT" in run and "parameters" in run
    context = client.get("/contexts/1").text
    assert "Runs" in context and "Artifacts" in context


def test_lineage_page_starts_shallow_and_its_twin_goes_deeper(client, demo):
    anomalies = demo["anomalies_id"]
    shallow = client.get(f"/lineage/artifact/{anomalies}.json").json()
    whole = client.get(f"/lineage/artifact/{anomalies}.json?depth=all&direction=upstream").json()
    assert shallow["depth"] == 3 and whole["depth"] is None
    assert len(whole["nodes"]) > len(shallow["nodes"])
    assert any(
        n["type"] == "LakeEntry" and n["uri"].endswith("data/train.csv")  # the raw file
        for n in whole["nodes"]
    )
    page = client.get(f"/lineage/artifact/{anomalies}").text
    assert 'id="lineage-data"' in page and "/static/lineage.js" in page
    assert "ExampleAnomalies #" in page


def test_compare_two_runs(client):
    gens = client.get("/api/executions?type=WarehouseExampleGen").json()["items"]
    a, b = gens[0]["id"], gens[1]["id"]  # the example gen and its cached rerun
    first = client.get(f"/diff.json?a={a}&b={b}").json()
    assert first["a"]["id"] == a and first["b"]["id"] == b and first["b"]["state"] == "CACHED"
    page = client.get("/diff?a=2&b=1").text
    assert "Parameters" in page and "Outputs" in page and 'class="changed"' in page


def test_statistics_overlay_two_splits_and_flag_missing_values(client, demo):
    stats_id = client.get("/artifacts.json?type=ExampleStatistics").json()["items"][0]["id"]
    chosen = client.get(f"/artifacts/{stats_id}/statistics.json").json()
    assert chosen["lhs"]["split"] == "train" and chosen["rhs"]["split"] == "serving"
    by_name = {f["name"]: f for f in chosen["features"]}
    assert (
        by_name["Elevation"]["lhs"]["quantiles"][0] <= by_name["Elevation"]["lhs"]["quantiles"][-1]
    )
    page = client.get(f"/artifacts/{stats_id}/statistics?split=eval&compare=train").text
    assert page.count("<svg") >= 13  # one chart per feature, both splits in each
    assert "eval (75 examples)" in page and "train (300 examples)" in page
    eval_stats = client.get(f"/artifacts/{stats_id}/statistics.json?split=eval").json()
    missing = {f["name"] for f in eval_stats["features"] if f["lhs"]["missing"]}
    assert "Elevation" in missing
    assert re.search(r'<tr class="missing">\s*<td><a href="#feature-Elevation"', page)
    alone = client.get(f"/artifacts/{stats_id}/statistics.json?split=train&compare=").json()
    assert alone["rhs"] is None


def test_statistics_errors_name_what_was_wrong(client):
    stats_id = client.get("/artifacts.json?type=ExampleStatistics").json()["items"][0]["id"]
    wrong = client.get(f"/artifacts/{stats_id}/statistics.json?split=nope")
    assert wrong.status_code == 404 and "split 'nope'" in wrong.json()["error"]["message"]
    page = client.get(f"/artifacts/{stats_id}/statistics?split=nope")
    assert page.status_code == 404 and "split &#39;nope&#39;" in page.text
    same = client.get(f"/artifacts/{stats_id}/statistics.json?compare_artifact={stats_id}")
    assert same.status_code == 400


def test_schema_and_anomalies_pages(client, demo):
    anomalies = client.get(f"/artifacts/{demo['anomalies_id']}/anomalies").text
    assert "eval" in anomalies and "serving" in anomalies and "Unexpected" in anomalies
    counts = client.get(f"/artifacts/{demo['anomalies_id']}/anomalies.json").json()["counts"]
    assert counts["eval"] >= 1
    schema_id = client.get("/artifacts.json?type=Schema").json()["items"][0]["id"]
    schema = client.get(f"/artifacts/{schema_id}/schema").text
    assert "Elevation" in schema and "INT" in schema


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/artifacts/99999", 404, "no artifact with id 99999"),
        ("/artifacts?filter=((", 400, "filter"),
        ("/lineage/artifact/1?depth=deep", 400, "depth"),
        ("/diff?a=1", 400, "give both a and b"),
        ("/warehouse/nope.table", 404, "no warehouse table"),
    ],
)
def test_errors_are_pages_with_the_status_and_json_on_the_twin(client, url, status, words):
    page = client.get(url)
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")
    assert words in page.text.replace("&#39;", "'")
    path, _, query = url.partition("?")
    twin = client.get(path + ".json" + (f"?{query}" if query else ""))
    assert twin.status_code == status and words in twin.json()["error"]["message"]


def test_static_files_are_served_and_others_are_not(client):
    assert client.get("/static/lineage.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/..%2Fpages.py").status_code == 404
    assert client.get("/static/nope.js").status_code == 404


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """A store holding a lake entry (two versions), a warehouse table and a feature view."""
    pytest.importorskip("duckdb")
    pytest.importorskip("deltalake")
    import pandas as pd
    import pyarrow as pa

    from datajourney.features import Entity, FeatureStore, FeatureView, Field, FileSource
    from datajourney.features.repo import RepoConfig
    from datajourney.features.types import Float32
    from datajourney.lake import Lake
    from datajourney.metadata.store import MetadataStore
    from datajourney.warehouse import Warehouse

    root: Path = tmp_path_factory.mktemp("storage")
    url = f"sqlite:///{root / 'metadata.sqlite'}"
    store = MetadataStore(url)
    (root / "landing").mkdir()
    (root / "landing" / "monday.csv").write_text("user,clicks\nann,3\nbob,5\n")
    lake = Lake(store, objects=root / "objects")
    lake.ingest(str(root / "landing"), tags=["clicks"])
    (root / "landing" / "monday.csv").write_text("user,clicks\nann,4\nbob,6\n")
    lake.ingest(str(root / "landing"), tags=["clicks"])
    warehouse = Warehouse(root / "warehouse", store)
    warehouse.load("web.clicks", pa.table({"user": ["ann"], "clicks": [3]}), create=True)
    warehouse.load("web.clicks", pa.table({"user": ["ann"], "clicks": [4]}))
    pd.DataFrame(
        {"driver_id": [1], "ts": pd.to_datetime(["2024-01-01"], utc=True), "rate": [0.5]}
    ).to_parquet(root / "rows.parquet")
    features = FeatureStore(
        config=RepoConfig(
            project="rides",
            registry=str(root / "metadata.sqlite"),
            online_store={"type": "sqlite", "path": str(root / "online.db")},
            repo_path=root,
        )
    )
    driver = Entity(name="driver", join_keys=["driver_id"])
    view = FeatureView(
        name="driver_stats",
        entities=[driver],
        ttl=timedelta(hours=2),
        schema=[Field("rate", Float32)],
        source=FileSource(path="rows.parquet", timestamp_field="ts"),
    )
    features.apply([driver, view])
    features.close()
    store.close()
    with TestClient(create_app(url, read_only=True)) as opened:
        yield opened


def test_storage_pages_show_lake_warehouse_and_features_with_history(storage):
    lake = storage.get("/lake.json").json()
    assert [e["path"] for e in lake["items"]] == ["landing/monday.csv"] or len(lake["items"]) == 1
    entry = lake["items"][0]
    page = storage.get(f"/lake/{entry['id']}")
    assert page.status_code == 200 and entry["path"] in page.text
    # the ingestion time as a UTC time, not the milliseconds it is sent as
    shown = datetime.datetime.fromtimestamp(entry["ingested_at"] / 1000, datetime.UTC)
    assert shown.strftime("%Y-%m-%d %H:%M:%S") in page.text
    assert str(entry["ingested_at"]) not in page.text
    assert len(storage.get(f"/lake/{entry['id']}.json").json()["versions"]) == 2
    assert "clicks" in storage.get("/lake").text

    tables = storage.get("/warehouse.json").json()["items"]
    assert [t["name"] for t in tables] == ["web.clicks"]
    table = storage.get("/warehouse/web.clicks")
    assert table.status_code == 200 and "Delta log history" in table.text
    assert len(storage.get("/warehouse/web.clicks.json").json()["recorded_versions"]) == 2

    assert "rides" in storage.get("/features").text
    project = storage.get("/features/rides")
    assert project.status_code == 200 and "driver_stats" in project.text
    view = storage.get("/features/rides/driver_stats")
    assert view.status_code == 200 and "History" in view.text


def test_statistics_of_this_version_against_the_last(demo, tmp_path):
    import shutil

    from datajourney.metadata.model import Artifact
    from datajourney.metadata.store import MetadataStore

    copy = tmp_path / "copy.sqlite"
    shutil.copy(demo["url"].removeprefix("sqlite:///"), copy)
    with MetadataStore(f"sqlite:///{copy}") as store:
        [old] = store.get_artifacts(type_name="ExampleStatistics")
        newer = Artifact(
            type_id=old.type_id, uri=old.uri, custom_properties=dict(old.custom_properties)
        )
        [new_id] = store.put([newer])
    with TestClient(create_app(f"sqlite:///{copy}", read_only=True)) as client:
        plain = client.get(f"/artifacts/{new_id}/statistics.json").json()
        assert plain["previous_version"] == old.id
        assert f"compare_artifact={old.id}" in client.get(f"/artifacts/{new_id}/statistics").text
        both = client.get(
            f"/artifacts/{new_id}/statistics.json?split=eval&compare_artifact={old.id}"
        ).json()
        assert both["lhs"] == {"artifact_id": new_id, "split": "eval"}
        assert both["rhs"] == {"artifact_id": old.id, "split": "eval"}
        page = client.get(f"/artifacts/{new_id}/statistics?split=eval&compare_artifact={old.id}")
        assert f"#{old.id} eval" in page.text and page.text.count("<svg") >= 13


def test_home_shows_what_failed_and_why(tmp_path):
    from datajourney.metadata.store import MetadataStore

    url = f"sqlite:///{tmp_path / 'failed.sqlite'}"
    store = MetadataStore(url)
    with pytest.raises(ValueError), store.run("Trainer", context=("Experiment", "x")) as run:
        run.input("DataSet", uri="data/train.csv")
        raise ValueError("the learning rate is negative")
    store.close()
    with TestClient(create_app(url, read_only=True)) as client:
        page = client.get("/").text
        assert "Nothing failed." not in page
        assert "Trainer" in page and "the learning rate is negative" in page
        assert "state-failed" in page
        failed = client.get("/.json").json()["failed_runs"]
        assert [e["type"] for e in failed] == ["Trainer"]
