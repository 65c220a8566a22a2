"""A run whose process is killed: its host, process id and inputs are in the store already, and
``ls executions`` / ``data gc`` / ``store.mark_abandoned_runs()`` tell it from a live one."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import datajourney as dj
from datajourney.metadata import liveness
from datajourney.metadata.model import EventType, Execution, ExecutionState

from ..cli.conftest import run

KILLED_RUN = textwrap.dedent(
    """
    import time
    import datajourney as dj

    store = dj.MetadataStore()
    with store.run("Train", context=("Experiment", "demo"), params={"lr": 0.1}) as run:
        run.input("DataSet", uri="data/train.csv", split="train")
        print(run.id, flush=True)
        time.sleep(120)
    """
)
FINISHED_RUN = textwrap.dedent(
    """
    import datajourney as dj

    with dj.MetadataStore().run("Fit", params={"lr": 0.1}):
        pass
    """
)


def python(cwd: Path, script: str, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")}
    return subprocess.Popen([sys.executable, "-c", script], cwd=cwd, env=env, text=True, **popen)


@pytest.fixture
def killed(tmp_path) -> tuple[Path, int, int]:
    """A folder whose store holds a run killed (SIGKILL) mid-way: (folder, execution id, pid)."""
    process = python(tmp_path, KILLED_RUN, stdout=subprocess.PIPE)
    try:
        execution_id = int(process.stdout.readline())
        with dj.MetadataStore(f"sqlite:///{tmp_path}/.datajourney/metadata.sqlite") as store:
            [execution] = store.get_executions(ids=[execution_id])
            assert not liveness.process_gone(execution)  # alive while it sleeps
            assert store.mark_abandoned_runs() == []
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    return tmp_path, execution_id, process.pid


def open_store(folder: Path) -> dj.MetadataStore:
    return dj.MetadataStore(f"sqlite:///{folder}/.datajourney/metadata.sqlite")


def test_a_killed_run_keeps_its_host_pid_and_declared_inputs(killed):
    folder, execution_id, pid = killed
    with open_store(folder) as store:
        [execution] = store.get_executions(ids=[execution_id])
        assert execution.last_known_state == ExecutionState.RUNNING
        assert execution.custom_properties[liveness.HOST] == socket.gethostname()
        assert execution.custom_properties[liveness.PID] == pid
        events = store.get_events(execution_ids=[execution_id])
        assert [e.type for e in events] == [EventType.INPUT]
        [data] = store.get_artifacts(ids=[events[0].artifact_id])
        assert data.uri == "data/train.csv" and data.properties == {"split": "train"}
        upstream = store.lineage(execution, direction="upstream")
        assert data.id in upstream.artifacts


def test_ls_executions_shows_the_run_whose_process_is_gone(killed):
    folder, execution_id, _ = killed
    listed = run(folder, "--json", "ls", "executions")
    assert listed.returncode == 0, listed.stderr
    [record] = json.loads(listed.stdout)
    assert record["id"] == execution_id and record["last_known_state"] == "RUNNING"
    assert record["abandoned"] is True
    table = run(folder, "ls", "executions")
    assert "RUNNING (process gone)" in " ".join(table.stdout.split()), table.stdout


def test_gc_marks_the_run_failed_and_keeps_its_inputs(killed):
    folder, execution_id, pid = killed
    dry = run(folder, "--json", "data", "gc", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["abandoned_runs"] == [execution_id]
    with open_store(folder) as store:
        [execution] = store.get_executions(ids=[execution_id])
        assert execution.last_known_state == ExecutionState.RUNNING  # a dry run marks nothing
    done = run(folder, "data", "gc")
    assert done.returncode == 0, done.stderr
    assert "1 abandoned run(s) marked FAILED" in done.stdout
    with open_store(folder) as store:
        [execution] = store.get_executions(ids=[execution_id])
        assert execution.last_known_state == ExecutionState.FAILED
        assert execution.custom_properties[liveness.ABANDONED] is True
        assert f"process {pid} on {socket.gethostname()}" in execution.custom_properties["error"]
        assert [e.type for e in store.get_events(execution_ids=[execution_id])] == [EventType.INPUT]
    [record] = json.loads(run(folder, "--json", "ls", "executions").stdout)
    assert record["last_known_state"] == "FAILED" and "abandoned" not in record
    assert json.loads(run(folder, "--json", "data", "gc").stdout)["abandoned_runs"] == []


def test_only_runs_of_this_host_whose_process_is_gone_are_marked():
    store = dj.MetadataStore("memory://")
    here = liveness.process_record()
    reused = {**here, liveness.PROCESS_START: here.get(liveness.PROCESS_START, 0) - 1}
    with store.run("Live") as live:  # this very process: alive
        [trainer] = store.get_executions(ids=[live.id])
        ids = {}
        for name, where in [("reused pid", reused), ("other host", {**reused, "host": "x"})]:
            ids[name] = store.put_execution(
                Execution(
                    type_id=trainer.type_id,
                    name=name,
                    last_known_state=ExecutionState.RUNNING,
                    custom_properties=where,
                )
            )[0]
        marked = store.mark_abandoned_runs()
    if liveness.PROCESS_START not in here:
        pytest.skip("no process start times on this system: a reused pid is not told apart")
    assert [e.id for e in marked] == [ids["reused pid"]]
    states = {e.name: e.last_known_state for e in store.get_executions()}
    assert states == {
        None: ExecutionState.COMPLETE,
        "reused pid": ExecutionState.FAILED,
        "other host": ExecutionState.RUNNING,
    }


def test_runs_in_two_processes_with_the_same_parameters_do_not_differ(tmp_path):
    for _ in range(2):
        assert python(tmp_path, FINISHED_RUN).wait(timeout=120) == 0
    with open_store(tmp_path) as store:
        a, b = store.get_executions()
        assert a.custom_properties[liveness.PID] != b.custom_properties[liveness.PID]
        assert store.diff_executions(a, b).parameters == {}
