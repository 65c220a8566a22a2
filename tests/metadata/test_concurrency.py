"""Several processes writing to one store at once lose nothing and leave no half-written call."""

from __future__ import annotations

import multiprocessing
import threading
from contextlib import contextmanager

import pytest

import datajourney.metadata as dj
from datajourney.metadata.errors import AbortedError
from datajourney.metadata.sql import conflicts

WRITERS = 4
CALLS = 15  # per writer; each call: one execution, two artifacts, two events, two links


def _write(url: str, writer: int) -> None:
    """One writer process: ``CALLS`` tracked runs, registering types and contexts as it goes
    (every writer races the others to create them)."""
    with dj.MetadataStore(url) as store:
        for call in range(CALLS):
            with store.run("Step", context=("Experiment", "shared"), params={"w": writer}) as run:
                run.input("Data", uri=f"in/{writer}/{call}", writer=writer)
                run.output("Model", uri=f"out/{writer}/{call}", writer=writer)


@pytest.mark.parametrize("store_url", ["sqlite", "mysql", "postgresql"], indirect=True)
def test_four_writer_processes_lose_nothing(store_url):
    dj.MetadataStore(store_url).close()  # the schema exists before the writers start
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write, args=(store_url, w)) for w in range(WRITERS)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=240)
    assert [p.exitcode for p in writers] == [0] * WRITERS

    with dj.MetadataStore(store_url) as store:
        executions = store.get_executions()
        artifacts = store.get_artifacts()
        assert len(executions) == WRITERS * CALLS
        assert all(e.last_known_state == dj.ExecutionState.COMPLETE for e in executions)
        assert len(artifacts) == 2 * WRITERS * CALLS
        uris = [f"{s}/{w}/{c}" for s in ("in", "out") for w in range(WRITERS) for c in range(CALLS)]
        assert sorted(a.uri for a in artifacts) == sorted(uris)
        # every execution has both of its events, each to an artifact of the same writer
        events = store.get_events(execution_ids=[e.id for e in executions])
        by_id = {a.id: a for a in artifacts}
        for execution in executions:
            mine = [e for e in events if e.execution_id == execution.id]
            assert sorted(e.type for e in mine) == [dj.EventType.INPUT, dj.EventType.OUTPUT]
            writer = execution.properties["w"]
            assert {by_id[e.artifact_id].properties["writer"] for e in mine} == {writer}
        # the racing writers registered each type and the shared context exactly once
        assert [t.name for t in store.get_types(dj.ExecutionType)] == ["Step"]
        assert sorted(t.name for t in store.get_types(dj.ArtifactType)) == ["Data", "Model"]
        [shared] = store.get_contexts()
        members = store.get_artifacts(context_id=shared.id)
        assert len(members) == len(artifacts)


def test_threads_share_one_store(store):
    """Four threads tracking runs through one store object (in memory too) lose nothing."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for step in range(10):
                with store.run("Step", params={"worker": worker}) as run:
                    run.output("Out", uri=f"/{worker}/{step}")
                store.artifacts("Out")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.artifacts("Out")) == 40
    assert {e.last_known_state for e in store.executions("Step")} == {dj.ExecutionState.COMPLETE}


def test_a_call_aborted_thirty_times_in_a_row_still_lands(tmp_path, monkeypatch):
    """Under load, writers at SERIALIZABLE isolation can abort one call more than 20 times in a
    row (PostgreSQL: could not serialize access); the call keeps running again (for as long as
    a SQLite writer waits for the lock) instead of failing the user's write."""
    monkeypatch.setattr(conflicts, "backoff", lambda attempt: 0.0)
    with dj.MetadataStore(f"sqlite:///{tmp_path / 'm.sqlite'}") as store:
        real = store.backend._transaction
        aborts = iter(range(30))

        @contextmanager
        def interfered(batch_writes: bool):
            if next(aborts, None) is not None:
                raise AbortedError("a concurrent transaction interfered: could not serialize")
            with real(batch_writes) as conn:
                yield conn

        monkeypatch.setattr(store.backend, "_transaction", interfered)
        type_id = store.put_type(dj.ArtifactType("DataSet"))
        assert next(aborts, None) is None  # all 30 aborts happened
    with dj.MetadataStore(f"sqlite:///{tmp_path / 'm.sqlite'}") as store:
        assert [t.id for t in store.get_types(dj.ArtifactType)] == [type_id]


def _open_when_told(url: str, start: multiprocessing.Event) -> None:
    """One process that opens a store the moment ``start`` is set and writes one artifact."""
    start.wait(30)
    with dj.MetadataStore(url) as store:
        type_id = store.put_type(dj.ArtifactType(name="Data"))
        store.put([dj.Artifact(type_id=type_id, uri="first")])


@pytest.mark.parametrize("store_url", ["sqlite", "mysql", "postgresql"], indirect=True)
def test_processes_opening_one_new_store_at_once_all_get_it(store_url):
    # pods of one pipeline starting together against an empty database: one creates the
    # schema, the others wait for it and use it; none fails
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    openers = [context.Process(target=_open_when_told, args=(store_url, start)) for _ in range(4)]
    for process in openers:
        process.start()
    start.set()
    for process in openers:
        process.join(timeout=120)
    assert [p.exitcode for p in openers] == [0] * 4
    with dj.MetadataStore(store_url) as store:
        assert len(store.get_artifacts()) == 4
        assert [t.name for t in store.get_types(dj.ArtifactType)] == ["Data"]
