"""Issue 12, what a new user hits on the command line (items 4, 7, 8, 10, 12), through the real
``datajourney`` process."""

from __future__ import annotations

import json

import pytest

from .conftest import run

SCHEMA = 'feature { name: "a" type: INT }\nfeature { name: "b" type: BYTES }\n'


@pytest.mark.parametrize(
    ("content", "why"),
    [("", "the file is empty"), ("a,b\n", "only a header")],
    ids=["empty", "header-only"],
)
@pytest.mark.parametrize("verb", ["validate", "schema infer", "stats"])
def test_a_csv_without_data_rows_is_an_input_error(tmp_path, verb, content, why):
    (tmp_path / "data.csv").write_text(content)
    (tmp_path / "schema.pbtxt").write_text(SCHEMA)
    extra = ["--schema", "schema.pbtxt"] if verb == "validate" else []
    done = run(tmp_path, *verb.split(), "data.csv", *extra)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("error: ") and "data.csv: no data rows" in line and why in line


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_store_url_typo_creates_nothing(tmp_path, how):
    if how == "option":
        done = run(tmp_path, "--store", "garbage", "ls", "artifacts")
    else:
        done = run(tmp_path, "ls", "artifacts", env={"DATAJOURNEY_STORE": "garbage"})
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "'garbage'" in line and "sqlite:///garbage" in line
    assert list(tmp_path.iterdir()) == []


def test_a_store_is_created_where_asked_and_reopened_by_its_path(tmp_path):
    made = run(tmp_path, "--store", "sqlite:///new.sqlite", "demo", "--rows", "60")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "new.sqlite").is_file()
    again = run(tmp_path, "--json", "--store", "new.sqlite", "ls", "executions")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)
