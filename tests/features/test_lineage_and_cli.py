"""The feature store in the lineage, and the ``datajourney features`` commands."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from typer.testing import CliRunner

from datajourney.cli.app import app
from datajourney.features import FeatureStore
from datajourney.features.lineage import training_sets_using, views_fed_by
from tests.features.template import copy_template


def test_training_set_lineage(tmp_path):
    repo = copy_template(tmp_path)
    store = FeatureStore(repo_path=repo)
    store.apply()
    entities = pd.DataFrame(
        {
            "driver_id": [1001, 1002],
            "event_timestamp": [pd.Timestamp.now(tz="UTC")] * 2,
            "val_to_add": [1, 2],
            "val_to_add_2": [3, 4],
        }
    )
    job = store.get_historical_features(entities, store.get_feature_service("driver_activity_v2"))
    training = job.save_training_set(tmp_path / "train.parquet", name="train-v1")
    assert pd.read_parquet(tmp_path / "train.parquet").shape == (2, 9)
    # a model trained on it, recorded the usual way
    with store.metadata.run("Trainer") as run:
        run.input(training)
        model = run.output("Model", uri=str(tmp_path / "model"))
    used = training_sets_using(store.registry, "driver_hourly_stats")
    assert [a.id for a in used] == [training.id]
    downstream = store.metadata.lineage(used[0].id, "downstream")
    assert model.id in downstream.artifacts
    source = str(repo / "data" / "driver_stats.parquet")
    assert views_fed_by(store.registry, source) == [
        "driver_hourly_stats",
        "transformed_conv_rate",
    ]
    store.close()
    runner = CliRunner()
    used = runner.invoke(
        app, ["--json", "features", "used-by", "driver_hourly_stats:conv_rate", "-r", str(repo)]
    )
    assert used.exit_code == 0, used.output
    assert [(r["role"], r["id"]) for r in json.loads(used.output)] == [
        ("training set", training.id),
        ("made from them", model.id),
    ]
    unused = runner.invoke(app, ["--json", "features", "used-by", "nope", "-r", str(repo)])
    assert unused.exit_code == 2 and "nope" in unused.output
    came = runner.invoke(app, ["--json", "features", "from", source, "-r", str(repo)])
    assert json.loads(came.output) == ["driver_hourly_stats", "transformed_conv_rate"]


def test_cli_plan_apply_ls_describe_materialize(tmp_path):
    repo = copy_template(tmp_path)
    runner = CliRunner()
    planned = runner.invoke(app, ["--json", "features", "plan", "--repo", str(repo)])
    assert planned.exit_code == 0, planned.output
    assert ["FeatureView", "driver_hourly_stats"] in json.loads(planned.output)["added"]
    applied = runner.invoke(app, ["features", "apply", "-r", str(repo)])
    assert "+ FeatureView driver_hourly_stats" in applied.output
    again = runner.invoke(app, ["features", "apply", "-r", str(repo)])
    assert "no change" in again.output
    listed = runner.invoke(app, ["--json", "features", "ls", "average daily", "-r", str(repo)])
    assert [d["name"] for d in json.loads(listed.output)] == ["driver_hourly_stats"]
    described = runner.invoke(app, ["--json", "features", "describe", "driver", "-r", str(repo)])
    versions = json.loads(described.output)
    assert versions[0]["version"] == 1 and len(versions[0]["digest"]) == 32
    now = datetime.now().isoformat(timespec="seconds")
    done = runner.invoke(
        app,
        [
            "--json",
            "features",
            "materialize",
            "2020-01-01",
            now,
            "-v",
            "driver_hourly_stats",
            "-r",
            str(repo),
        ],
    )
    assert json.loads(done.output) == {"driver_hourly_stats": 5}
    bad = runner.invoke(app, ["features", "materialize", "yesterday", now, "-r", str(repo)])
    assert bad.exit_code == 2
    missing = runner.invoke(app, ["features", "describe", "nope", "-r", str(repo)])
    assert missing.exit_code == 2
