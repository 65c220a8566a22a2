"""``store.run(..., context=...)`` and ``store.track`` record into a context only for whoever
may write it, as a pipeline run does: a denial raises before anything is written (issue 16)."""

from __future__ import annotations

import pytest

import datajourney as dj
from datajourney import access
from datajourney.access import AccessDeniedError

POLICY = {
    "roles": {
        "demo_tracker": [
            {
                "actions": ["write"],
                "resources": ["context"],
                "names": ["demo"],
                "tags": {"type": "Experiment"},
            }
        ],
    },
    "bindings": {"alice": ["admin"], "bob": ["demo_tracker"]},
}


@pytest.fixture
def store(tmp_path):
    with dj.MetadataStore(f"sqlite:///{tmp_path / 'metadata.sqlite'}") as opened:
        yield opened


def _written(store) -> tuple:
    return (
        store.get_contexts(),
        store.get_executions(),
        store.get_artifacts(),
        store.get_types(dj.ExecutionType),
    )


def test_a_tracked_run_needs_write_on_its_context(store):
    with access.acting_as("alice"), store.run("Prepare", context=("Experiment", "secret")) as run:
        run.output("DataSet", uri="data.csv")
    access.set_policy(store, POLICY, "alice")
    [secret] = store.get_contexts()
    before = _written(store)
    with access.acting_as("bob"):
        for context in [("Experiment", "secret"), secret, secret.id, ("Experiment", "new")]:
            with pytest.raises(AccessDeniedError) as denied, store.run("Train", context=context):
                pass
            name = secret.name if context != ("Experiment", "new") else "new"
            assert str(denied.value).startswith(
                f"access denied: 'bob' may not write context '{name}'"
            )
        demo = ("Pipeline", "demo")  # the permission is for Experiment contexts only
        with pytest.raises(AccessDeniedError, match="write context 'demo'"), store.run("T", demo):
            pass
        tracked = store.track("Score", context=("Experiment", "secret"))(lambda: 1)
        with pytest.raises(AccessDeniedError):
            tracked()
    assert _written(store) == before
    denials = access.audit_log(store, outcome="denied")
    assert {(e.principal, e.resource_kind, e.resource_name) for e in denials} == {
        ("bob", "context", "secret"),
        ("bob", "context", "new"),
        ("bob", "context", "demo"),
    }
    with access.acting_as("bob"):
        with store.run("Train", context=("Experiment", "demo")) as run:
            model = run.output("Model", uri="model.bin")
        assert [a.uri for a in store.artifacts("Model", context=("Experiment", "demo"))] == [
            model.uri
        ]
        with store.run("Untracked") as run:  # no context: nothing to ask
            run.output("Note", uri="n.txt")


def test_without_a_policy_tracked_runs_ask_nothing(store):
    with access.acting_as("anyone"), store.run("Train", context=("Experiment", "x")):
        pass
    assert access.audit_log(store) == []


def test_a_run_in_a_warehouse_table_context_needs_a_right_on_the_table(store):
    access.set_policy(store, POLICY, "alice")
    table = ("WarehouseTable", "sales.orders")
    with access.acting_as("bob"), pytest.raises(AccessDeniedError) as denied, store.run("L", table):
        pass
    assert "may not write warehouse_table 'sales.orders'" in str(denied.value)
    assert store.get_executions() == []
