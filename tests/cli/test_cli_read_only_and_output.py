"""Issue 12 items 8, 10 and 12 through the real ``datajourney`` process: browsing a store the
user may not write, output nothing cuts, and the global options after the command."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import datajourney as dj

from .conftest import run

LONG_URI = "s3://bucket/" + "/".join(f"partition_{i:02d}" for i in range(12)) + "/part-0.parquet"
COUNTS = {"eval": 3, "serving": 1}


def _make_store(path: Path) -> dict[str, int]:
    """Two runs of one step (lr 0.1 and 0.2), the first reading LONG_URI and writing an
    anomalies artifact whose ``anomaly_counts`` is JSON text, as ExampleValidator writes it."""
    with dj.MetadataStore(f"sqlite:///{path}") as store:
        with store.run("Validate", context=("Experiment", "demo"), params={"lr": 0.1}) as first:
            data = first.input("DataSet", uri=LONG_URI, split="train")
            anomalies = first.output("ExampleAnomalies", uri="anomalies/1", split_names='["eval"]')
        with store.run("Validate", context=("Experiment", "demo"), params={"lr": 0.2}) as second:
            second.input(data)
        [anomalies] = store.get_artifacts(ids=[anomalies.id])
        anomalies.custom_properties["anomaly_counts"] = json.dumps(COUNTS)
        store.put([anomalies])
        return {
            "data": data.id,
            "anomalies": anomalies.id,
            "first": first.execution.id,
            "second": second.execution.id,
        }


@pytest.fixture
def read_only_store(tmp_path):
    """A store in tmp_path/.datajourney whose file and folder nobody may write (modes 444 and
    555, so no -wal or -shm file can be made either): the ids of what it holds."""
    if sys.platform != "linux" and getattr(os, "geteuid", lambda: 1)() == 0:
        pytest.skip("file modes do not bind root here")
    folder = tmp_path / ".datajourney"
    folder.mkdir()
    ids = _make_store(folder / "metadata.sqlite")
    (folder / "metadata.sqlite").chmod(0o444)
    folder.chmod(0o555)
    yield ids
    folder.chmod(0o755)


def test_a_read_only_store_is_browsed_and_a_write_is_one_error_line(tmp_path, read_only_store):
    ids = read_only_store
    folder = tmp_path / ".datajourney"
    path = folder / "metadata.sqlite"
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    listed = run(tmp_path, "--json", "ls", "artifacts", modes_bind=True)
    assert listed.returncode == 0, listed.stderr
    assert {a["id"]: a["uri"] for a in json.loads(listed.stdout)} == {
        ids["data"]: LONG_URI,
        ids["anomalies"]: "anomalies/1",
    }
    table = run(tmp_path, "ls", "executions", modes_bind=True)
    assert table.returncode == 0, table.stderr
    assert table.stdout.count("Validate") == 2 and "COMPLETE" in table.stdout
    shown = run(tmp_path, "show", str(ids["anomalies"]), "--kind", "artifact", modes_bind=True)
    assert shown.returncode == 0, shown.stderr
    assert "type: ExampleAnomalies" in shown.stdout
    tree = run(tmp_path, "lineage", str(ids["anomalies"]), "--up", modes_bind=True)
    assert tree.returncode == 0, tree.stderr
    assert "Validate" in tree.stdout and LONG_URI in tree.stdout
    differ = run(tmp_path, "diff-runs", str(ids["first"]), str(ids["second"]), modes_bind=True)
    assert differ.returncode == 1, differ.stderr  # they differ: only the first wrote anomalies
    assert "~ outputs.ExampleAnomalies" in differ.stdout
    types = run(tmp_path, "ls", "types", "--read-only", modes_bind=True)
    assert types.returncode == 0 and "ExampleAnomalies" in types.stdout

    (tmp_path / "a.csv").write_text("x\n1\n")
    for verb in (["lake", "ingest", "a.csv"], ["demo", "--rows", "10"]):
        write = run(tmp_path, *verb, modes_bind=True)
        assert write.returncode == 2 and write.stdout == ""
        [line] = write.stderr.splitlines()
        assert "is read-only" in line and f"'{verb[0]}" in line and "writes to it" in line
    refused = run(tmp_path, "--read-only", "demo", "--rows", "10", modes_bind=True)
    assert refused.returncode == 2
    [line] = refused.stderr.splitlines()
    assert "--read-only: this command writes to the metadata store" in line

    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == ["metadata.sqlite"]


def test_read_only_flag_refuses_writes_on_a_writable_store(tmp_path):
    folder = tmp_path / ".datajourney"
    folder.mkdir()
    _make_store(folder / "metadata.sqlite")
    (tmp_path / "a.csv").write_text("x\n1\n")
    for verb in (["lake", "ingest", "a.csv"], ["data", "snapshot", "a.csv"], ["demo"]):
        refused = run(tmp_path, *verb, "--read-only")
        assert refused.returncode == 2, (verb, refused.stderr)
        assert "--read-only: this command writes" in refused.stderr
        assert refused.stderr.count("\n") == 1
    assert not (folder / "objects").exists() and not (folder / "demo").exists()
    listed = run(tmp_path, "--read-only", "--json", "ls", "artifacts")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 2


def test_reading_a_store_that_does_not_exist_creates_nothing(tmp_path):
    done = run(tmp_path, "ls", "artifacts")
    assert done.returncode == 2
    assert "'.datajourney/metadata.sqlite' does not exist" in done.stderr
    assert list(tmp_path.iterdir()) == []


SCHEMA = """feature { name: "color" type: BYTES domain: "color" }
string_domain { name: "color" value: "red" value: "green" }
"""
ODD = [f"a_colour_name_nobody_expected_in_this_column_at_all_{i}" for i in (1, 2)]


def _anomalous(folder: Path) -> str:
    """Data with two unexpected values; returns the long anomaly description it gets."""
    (folder / "schema.pbtxt").write_text(SCHEMA)
    (folder / "c.csv").write_text("color\nred\ngreen\n" + "\n".join(ODD) + "\n")
    done = run(folder, "--json", "validate", "c.csv", "--schema", "schema.pbtxt")
    assert done.returncode == 1, done.stderr
    description = json.loads(done.stdout)["anomalyInfo"]["color"]["description"].strip()
    assert len(description) > 150 and all(value in description for value in ODD)
    return description


def test_piped_output_cuts_no_anomaly_description_and_no_uri(tmp_path):
    description = _anomalous(tmp_path)
    shown = run(tmp_path, "validate", "c.csv", "--schema", "schema.pbtxt")
    assert shown.returncode == 1
    assert description in shown.stdout and "…" not in shown.stdout
    (tmp_path / ".datajourney").mkdir()
    _make_store(tmp_path / ".datajourney" / "metadata.sqlite")
    listed = run(tmp_path, "ls", "artifacts")
    assert listed.returncode == 0
    [row] = [line for line in listed.stdout.splitlines() if "DataSet" in line]
    assert LONG_URI in row and "…" not in listed.stdout


def _on_terminal(cwd: Path, *args: str, columns: int) -> list[str]:
    """``datajourney ARGS`` on a pseudo-terminal ``columns`` wide: its lines, ANSI removed."""
    pty = pytest.importorskip("pty")
    fcntl, termios = pytest.importorskip("fcntl"), pytest.importorskip("termios")
    import struct

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DATAJOURNEY_") and k not in ("COLUMNS", "LINES")
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "datajourney.cli", *args],
        cwd=cwd,
        env={**env, "TERM": "xterm"},
        stdin=follower,
        stdout=follower,
        stderr=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode())
    return text.replace("\r", "").splitlines()


def test_on_a_terminal_long_cells_wrap_to_its_width_whole(tmp_path):
    description = _anomalous(tmp_path)
    lines = _on_terminal(tmp_path, "validate", "c.csv", "--schema", "schema.pbtxt", columns=80)
    assert max(len(line) for line in lines) <= 80
    start = next(i for i, line in enumerate(lines) if line.startswith("color"))
    body = "".join("".join(line.split()) for line in lines[start:])
    assert "".join(description.split()) in body and "…" not in body

    (tmp_path / ".datajourney").mkdir()
    _make_store(tmp_path / ".datajourney" / "metadata.sqlite")
    lines = _on_terminal(tmp_path, "ls", "artifacts", columns=80)
    assert max(len(line) for line in lines) <= 80
    uri_cells = [line.split("│")[4].strip() for line in lines if line.count("│") == 6]
    assert LONG_URI in "".join(uri_cells)


def test_global_options_after_the_command(tmp_path):
    (tmp_path / ".datajourney").mkdir()
    ids = _make_store(tmp_path / ".datajourney" / "metadata.sqlite")
    before = run(tmp_path, "--json", "ls", "artifacts")
    after = run(tmp_path, "ls", "artifacts", "--json")
    assert after.returncode == 0 and json.loads(after.stdout) == json.loads(before.stdout)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = str(tmp_path / ".datajourney" / "metadata.sqlite")
    for args in (
        ["show", str(ids["anomalies"]), "--kind", "artifact", "--json", "--store", store],
        ["show", "--store", store, str(ids["anomalies"]), "--json", "--kind", "artifact"],
        ["show", str(ids["anomalies"]), f"--store={store}", "--kind=artifact", "--json"],
    ):
        done = run(elsewhere, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert json.loads(done.stdout)["id"] == ids["anomalies"]
    listed = run(tmp_path, "ls", "executions", "--limit", "1", "--read-only", "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 1
    (tmp_path / "a.csv").write_text("x\n1\n2\n")
    stats = run(tmp_path, "stats", "a.csv", "--json")
    assert stats.returncode == 0 and "a.csv" in json.loads(stats.stdout)
    missing = run(tmp_path, "ls", "artifacts", "--store")
    assert missing.returncode == 2 and "'--store' requires an argument" in missing.stderr


def _answer(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """``datajourney ARGS``, which must succeed: a failure shows its exit code and stderr (an
    empty stdout alone says nothing, e.g. of a process that could not import the package)."""
    done = run(cwd, *args)
    assert done.returncode == 0, (
        f"datajourney {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
    )
    return done


def test_json_properties_holding_json_are_json_values(tmp_path):
    (tmp_path / ".datajourney").mkdir()
    ids = _make_store(tmp_path / ".datajourney" / "metadata.sqlite")
    shown = _answer(tmp_path, "--json", "show", str(ids["anomalies"]), "--kind", "artifact")
    assert json.loads(shown.stdout)["custom_properties"]["anomaly_counts"] == COUNTS
    listed = _answer(tmp_path, "--json", "ls", "artifacts", "--type", "ExampleAnomalies")
    [record] = json.loads(listed.stdout)
    assert record["custom_properties"]["anomaly_counts"] == COUNTS
    assert record["properties"]["split_names"] == ["eval"]
    graph = json.loads(_answer(tmp_path, "lineage", str(ids["anomalies"]), "--json").stdout)
    [node] = [a for a in graph["artifacts"] if a["id"] == ids["anomalies"]]
    assert node["custom_properties"]["anomaly_counts"] == COUNTS
    people = _answer(tmp_path, "show", str(ids["anomalies"]), "--kind", "artifact")
    assert f"custom_properties.anomaly_counts: {json.dumps(COUNTS)}" in people.stdout


def test_stats_output_format_follows_the_extension(tmp_path):
    from datajourney.stats import load_statistics, load_stats_text

    (tmp_path / "a.csv").write_text("x,s\n1,a\n2,b\n3,c\n")
    (tmp_path / "b.csv").write_text("x,s\n1,a\n7,b\n")
    for name in ("report.html", "s.pbtxt", "s.txt", "s.binpb", "stats.tfrecord"):
        done = run(tmp_path, "stats", "a.csv", "-o", name)
        assert done.returncode == 0, done.stderr
    html = (tmp_path / "report.html").read_text()
    assert html.lstrip().lower().startswith(("<!doctype html", "<html")) and "<svg" in html
    for name in ("s.pbtxt", "s.txt"):
        assert load_stats_text(tmp_path / name).datasets[0].num_examples == 3
    for name in ("s.binpb", "stats.tfrecord"):  # as before: TFDV's TFRecord of the binary proto
        assert not (tmp_path / name).read_bytes().isascii()
        assert load_statistics(tmp_path / name).datasets[0].num_examples == 3
    compared = run(tmp_path, "stats", "a.csv", "b.csv", "-o", "both.html")
    assert compared.returncode == 0, compared.stderr
    both = (tmp_path / "both.html").read_text()
    assert "a.csv" in both and "b.csv" in both
    refused = run(tmp_path, "stats", "a.csv", "b.csv", "-o", "two.pbtxt")
    assert refused.returncode == 2 and "--output" in refused.stderr
    assert not (tmp_path / "two.pbtxt").exists()
