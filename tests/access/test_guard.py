"""The check, the policy's lifecycle and the audit log, on a real store."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

import datajourney as dj
from datajourney import access
from datajourney.access import Action, Resource, ResourceKind
from datajourney.metadata.errors import FailedPreconditionError, PermissionDeniedError

DRIVERS = Resource(ResourceKind.FEATURE_VIEW, "driver_stats", {"team": "rides"})
PAYMENTS = Resource(ResourceKind.WAREHOUSE_TABLE, "finance.payments")
WRITERS = 4
ENTRIES = 20  # audited writes per writer

POLICY = {
    "roles": {
        "reader": [{"actions": ["describe", "read_offline"], "resources": ["feature_view"]}],
        "rides_writer": [{"actions": ["write"], "names": ["driver_*"], "tags": {"team": "rides"}}],
    },
    "groups": {"rides": ["bob", "dan"]},
    "bindings": {"alice": ["admin"], "rides": ["reader", "rides_writer"], "erin": ["reader"]},
}


@pytest.fixture
def store(tmp_path):
    with dj.MetadataStore(f"sqlite:///{tmp_path / 'store.sqlite'}") as opened:
        yield opened


def test_without_a_policy_everything_is_allowed_and_writes_are_audited(store):
    access.check(store, Action.READ_OFFLINE, DRIVERS, "anyone")
    access.check(store, Action.WRITE, PAYMENTS, "anyone", "load 10 rows")
    assert access.policy(store) is None
    [entry] = access.audit_log(store)
    assert (entry.principal, entry.action, entry.resource_name, entry.outcome, entry.detail) == (
        "anyone",
        "write",
        "finance.payments",
        "allowed",
        "load 10 rows",
    )


def test_once_set_what_no_role_allows_is_denied_and_audited(store):
    access.set_policy(store, POLICY, "alice")
    access.check(store, Action.READ_OFFLINE, DRIVERS, "bob")  # group rides -> reader
    access.check(store, Action.WRITE, DRIVERS, "dan")  # rides_writer: name and tag match
    access.check(store, Action.DELETE, PAYMENTS, "alice")  # admin
    with pytest.raises(access.AccessDeniedError) as caught:
        access.check(store, Action.WRITE, DRIVERS, "erin")
    assert str(caught.value) == (
        "access denied: 'erin' may not write feature_view 'driver_stats' "
        "(no role of theirs allows it)"
    )
    assert isinstance(caught.value, PermissionDeniedError)
    untagged = Resource(ResourceKind.FEATURE_VIEW, "driver_trips")
    with pytest.raises(access.AccessDeniedError):
        access.check(store, Action.WRITE, untagged, "bob")
    with pytest.raises(access.AccessDeniedError):
        access.check(store, Action.READ_OFFLINE, PAYMENTS, "mallory")
    denied = access.audit_log(store, outcome="denied")
    assert [(e.principal, e.action, e.resource_name) for e in denied] == [
        ("mallory", "read_offline", "finance.payments"),
        ("bob", "write", "driver_trips"),
        ("erin", "write", "driver_stats"),
    ]
    assert [e.principal for e in access.audit_log(store, outcome="allowed")] == [
        "alice",
        "dan",
        "alice",  # setting the policy
    ]


def test_only_an_admin_changes_the_policy_and_nobody_can_lock_everyone_out(store):
    access.set_policy(store, POLICY, "alice")
    with pytest.raises(access.AccessDeniedError, match="'bob' may not admin policy"):
        access.set_policy(store, None, "bob")
    assert access.policy(store) is not None
    without_admin = {**POLICY, "bindings": {"erin": ["reader"]}}
    with pytest.raises(FailedPreconditionError, match="nobody holds the 'admin' role"):
        access.set_policy(store, without_admin, "alice")
    access.set_policy(store, None, "alice")
    assert access.policy(store) is None
    access.check(store, Action.WRITE, PAYMENTS, "mallory")


def test_the_principal_defaults_to_the_environment_then_acting_as(store, monkeypatch):
    monkeypatch.setenv("DATAJOURNEY_PRINCIPAL", "svc-train")
    assert access.current_principal() == "svc-train"
    with access.acting_as("bob"):
        assert access.current_principal() == "bob"
        access.check(store, Action.WRITE, DRIVERS)
    access.check(store, Action.WRITE, DRIVERS)
    assert [e.principal for e in access.audit_log(store)] == ["svc-train", "bob"]


def test_audit_log_filters_and_limits(store):
    for who in ("a", "b", "a"):
        access.check(store, Action.WRITE, PAYMENTS, who)
    assert len(access.audit_log(store, principal="a")) == 2
    assert len(access.audit_log(store, limit=1)) == 1
    with pytest.raises(dj.errors.InvalidArgumentError, match="outcome must be"):
        access.audit_log(store, outcome="maybe")


@pytest.mark.parametrize("backend", ["sqlite", "mysql", "postgresql"])
def test_the_audit_log_refuses_updates_and_deletes(backend, tmp_path, server_database):
    url = f"sqlite:///{tmp_path / 's.sqlite'}" if backend == "sqlite" else server_database(backend)
    with dj.MetadataStore(url) as store:
        access.check(store, Action.WRITE, PAYMENTS, "alice")
        for statement in ("UPDATE dj_audit_log SET principal = 'x'", "DELETE FROM dj_audit_log"):
            with (
                pytest.raises(dj.errors.StatusError, match="append-only"),
                store.transaction() as conn,
            ):
                conn.execute(sa.text(statement))
        assert [e.principal for e in access.audit_log(store)] == ["alice"]


def test_a_read_only_store_without_governance_tables_reads_as_policy_off(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    dj.MetadataStore(url).close()
    with dj.MetadataStore(url, read_only=True) as store:
        assert access.policy(store) is None
        assert access.audit_log(store) == []
        access.check(store, Action.READ_OFFLINE, DRIVERS, "anyone")


@pytest.mark.parametrize("backend", ["sqlite", "mysql", "postgresql"])
def test_writers_racing_on_one_store_all_get_audited(backend, tmp_path, server_database):
    """Writers with stores of their own on one database (as processes have) race to create the
    audit tables and append to them: a concurrent transaction aborting an entry (a busy SQLite
    file, a serialization failure) makes it wait and go again, never fails the write."""
    url = f"sqlite:///{tmp_path / 's.sqlite'}" if backend == "sqlite" else server_database(backend)
    dj.MetadataStore(url).close()
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with dj.MetadataStore(url) as store:
                type_id = store.put_type(dj.ArtifactType("Data"))
                start.wait()
                for step in range(ENTRIES):
                    access.check(store, Action.WRITE, PAYMENTS, f"w{writer}", str(step))
                    store.put([dj.Artifact(type_id=type_id, uri=f"/{writer}/{step}")])
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with dj.MetadataStore(url) as store:
        entries = access.audit_log(store, limit=1000)
    assert sorted((e.principal, int(e.detail)) for e in entries) == [
        (f"w{w}", s) for w in range(WRITERS) for s in range(ENTRIES)
    ]
