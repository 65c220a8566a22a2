"""The lake, warehouse and feature commands run as $DATAJOURNEY_PRINCIPAL under the store's
policy: allowed, they work; denied, one line and exit 2, and nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import datajourney as dj
from tests.features.template import copy_template

from .test_access_cli import run

POLICY = {
    "roles": {
        "loader": [
            {"actions": ["write", "describe", "read_offline"], "resources": ["lake_zone"]},
            {
                "actions": ["write", "describe", "read_offline"],
                "resources": ["warehouse_subject"],
                "names": ["sales"],
            },
        ],
        "analyst": [
            {
                "actions": ["describe", "read_offline"],
                "resources": ["warehouse_table", "lake_zone", "feature_view"],
            }
        ],
        "feature_writer": [
            {
                "actions": ["describe", "write", "read_offline"],
                "resources": ["feature_view", "feature_service", "entity", "data_source"],
            }
        ],
    },
    "bindings": {
        "root-admin": ["admin"],
        "carol": ["loader", "feature_writer"],
        "bob": ["analyst"],
    },
}


def output_of(done) -> object:
    """The JSON a ``--json`` command printed; a failed command fails the test with its stderr
    (rather than with a JSONDecodeError of its empty stdout)."""
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def denied_line(done, who: str, action: str, resource: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"error: AccessDeniedError: access denied: {who!r} may not {action} {resource} "
        "(no role of theirs allows it)"
    )


def test_lake_and_warehouse_commands_enforce_the_policy(tmp_path):
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "a.csv").write_text("user,clicks\nann,3\n")
    (tmp_path / "orders.csv").write_text("order_id,amount\n1,9.5\n2,3.0\n")
    (tmp_path / "policy.json").write_text(json.dumps(POLICY))
    (tmp_path / ".datajourney").mkdir()
    dj.MetadataStore(f"sqlite:///{tmp_path / '.datajourney' / 'metadata.sqlite'}").close()
    assert run(tmp_path, "access", "set", "policy.json").returncode == 0
    store_before = (tmp_path / ".datajourney" / "metadata.sqlite").stat().st_size

    refused = run(tmp_path, "lake", "ingest", "landing", principal="bob")
    denied_line(refused, "bob", "write", "lake_zone 'raw'")
    assert not (tmp_path / ".datajourney" / "objects").exists()
    ingested = run(tmp_path, "--json", "lake", "ingest", "landing", principal="carol")
    assert [e["path"] for e in output_of(ingested)["added"]] == ["landing/a.csv"]
    read = run(tmp_path, "--json", "lake", "find", principal="bob")
    assert [e["path"] for e in output_of(read)] == ["landing/a.csv"]

    refused = run(
        tmp_path, "warehouse", "load", "sales.orders", "orders.csv", "--create", principal="bob"
    )
    denied_line(refused, "bob", "write", "warehouse_table 'sales.orders'")
    assert not (tmp_path / ".datajourney" / "warehouse").exists()
    loaded = run(
        tmp_path, "warehouse", "load", "sales.orders", "orders.csv", "--create", principal="carol"
    )
    assert loaded.returncode == 0, loaded.stderr
    tables = files_under(tmp_path / ".datajourney" / "warehouse")
    history = run(tmp_path, "--json", "warehouse", "history", "sales.orders", principal="bob")
    assert [v["version"] for v in output_of(history)] == [0, 1]
    refused = run(tmp_path, "warehouse", "load", "sales.orders", "orders.csv", principal="bob")
    denied_line(refused, "bob", "write", "warehouse_table 'sales.orders'")
    assert files_under(tmp_path / ".datajourney" / "warehouse") == tables
    stranger = run(tmp_path, "warehouse", "history", "sales.orders", principal="mallory")
    denied_line(stranger, "mallory", "describe", "warehouse_table 'sales.orders'")

    audit = output_of(run(tmp_path, "--json", "access", "audit", "--outcome", "denied"))
    assert [(e["principal"], e["action"], e["resource_name"]) for e in audit] == [
        ("mallory", "describe", "sales.orders"),
        ("bob", "write", "sales.orders"),
        ("bob", "write", "sales.orders"),
        ("bob", "write", "raw"),
    ]
    assert (tmp_path / ".datajourney" / "metadata.sqlite").stat().st_size >= store_before


def test_feature_commands_enforce_the_policy(tmp_path):
    repo = copy_template(tmp_path)
    registry = f"sqlite:///{repo / 'data' / 'registry.db'}"
    (tmp_path / "policy.json").write_text(json.dumps(POLICY))
    applied = run(repo, "features", "apply", principal="carol")  # no policy yet: allowed
    assert applied.returncode == 0, applied.stderr
    assert run(tmp_path, "--store", registry, "access", "set", "policy.json").returncode == 0

    refused = run(repo, "features", "apply", principal="bob")
    denied_line(refused, "bob", "write", "data_source 'driver_hourly_stats_source'")
    online = repo / "data" / "online_store.db"
    before = online.read_bytes() if online.exists() else None
    refused = run(
        repo,
        "features",
        "materialize",
        "2020-01-01",
        "2030-01-01",
        "-v",
        "driver_hourly_stats",
        principal="bob",
    )
    denied_line(refused, "bob", "write", "feature_view 'driver_hourly_stats'")
    assert (online.read_bytes() if online.exists() else None) == before
    shown = output_of(run(repo, "--json", "features", "ls", principal="bob"))
    everything = output_of(run(repo, "--json", "features", "ls", principal="carol"))
    assert "driver_hourly_stats" in [d["name"] for d in shown]
    assert {d["kind"] for d in shown} == {"FeatureView", "OnDemandFeatureView"}
    assert {"Entity", "FeatureService"} <= {d["kind"] for d in everything}
    done = run(
        repo,
        "--json",
        "features",
        "materialize",
        "2020-01-01",
        "2030-01-01",
        "-v",
        "driver_hourly_stats",
        principal="carol",
    )
    assert output_of(done) == {"driver_hourly_stats": 5}
    nobody = run(repo, "--json", "features", "ls", principal="mallory")
    assert output_of(nobody) == []
