"""``datajourney stats`` as a real process: what it says about the rows it could not use."""

from __future__ import annotations

import json

from .conftest import run

RAGGED = "a,b\n1,2\n3\n4,5,6\n7,8\n"  # 4 data rows, two with the wrong number of fields


def test_stats_says_how_many_malformed_rows_were_dropped_and_where(tmp_path):
    (tmp_path / "ragged.csv").write_text(RAGGED)
    done = run(tmp_path, "stats", "ragged.csv")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "2 examples, 2 malformed rows dropped" in out
    assert "ragged.csv:3" in out and "ragged.csv:4" in out  # where: file and line
    assert "'4,5,6'" in out  # what the row held


def test_stats_json_carries_the_dropped_rows(tmp_path):
    (tmp_path / "ragged.csv").write_text(RAGGED)
    done = run(tmp_path, "--json", "stats", "ragged.csv")
    assert done.returncode == 0, done.stderr
    (statistics,) = json.loads(done.stdout).values()
    problems = statistics["problems"]
    assert problems == [
        {
            "kind": "wrong_field_count",
            "feature": None,
            "count": 2,
            "detail": "expected 2 fields",
            "examples": [
                {"value": "3", "location": "ragged.csv:3"},
                {"value": "4,5,6", "location": "ragged.csv:4"},
            ],
        }
    ]


def test_stats_of_clean_data_mentions_no_problem(tmp_path):
    (tmp_path / "clean.csv").write_text("a,b\n1,2\n3,4\n")
    done = run(tmp_path, "stats", "clean.csv")
    assert done.returncode == 0, done.stderr
    assert "2 examples - numeric" in done.stdout and "dropped" not in done.stdout


def test_stats_on_a_local_dask_cluster_equal_one_process(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"x": list(range(4_000)), "c": ["a", "b", "c", "d"] * 1_000})
    pq.write_table(table, tmp_path / "data.parquet", row_group_size=200)  # 20 row groups
    alone = run(tmp_path, "--json", "stats", "data.parquet")
    on_workers = run(tmp_path, "--json", "stats", "--workers", "2", "data.parquet")
    assert on_workers.returncode == 0, on_workers.stderr
    assert json.loads(on_workers.stdout) == json.loads(alone.stdout)
