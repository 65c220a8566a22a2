"""Feast's permission-reading API on the drop-in: ``list_permissions(tags)`` and
``get_permission(name)`` give back the ``Permission`` objects as applied, from any store on the
same registry; an unknown name raises Feast's ``PermissionNotFoundException``."""

from __future__ import annotations

from pathlib import Path

import pytest

from datajourney import access
from datajourney.feast import FeatureStore, FeatureView, FileSource, OnDemandFeatureView, RepoConfig
from datajourney.feast.errors import FeastObjectNotFoundException, PermissionNotFoundException
from datajourney.feast.permissions.action import READ, AuthzedAction
from datajourney.feast.permissions.permission import Permission
from datajourney.feast.permissions.policy import AllowAll, GroupBasedPolicy, RoleBasedPolicy


def _open(tmp_path: Path) -> FeatureStore:
    return FeatureStore(
        config=RepoConfig(
            project="p",
            registry=str(tmp_path / "registry.sqlite"),
            online_store={"type": "sqlite", "path": str(tmp_path / "online.db")},
            repo_path=tmp_path,
        )
    )


def _seen(permission: Permission) -> tuple:
    """What a Feast user reads off a permission."""
    policy = permission.policy
    return (
        permission.name,
        permission.types,
        permission.name_patterns,
        permission.required_tags,
        permission.actions,
        getattr(policy, "roles", None),
        getattr(policy, "groups", None),
        policy is AllowAll,
        permission.tags,
    )


READER = Permission(
    name="driver-reader",
    types=[FeatureView, OnDemandFeatureView],
    name_patterns=["driver_.*"],
    required_tags={"team": "rides"},
    actions=[AuthzedAction.DESCRIBE, *READ],
    policy=RoleBasedPolicy(roles=["feast-reader", "analyst"]),
    tags={"owner": "rides", "tier": "gold"},
)
SOURCES = Permission(
    name="source-admins",
    types=FileSource,
    actions=AuthzedAction.UPDATE,
    policy=GroupBasedPolicy(groups=["ops"]),
    tags={"owner": "ops"},
)
ANYONE = Permission(name="anyone-describes", actions=[AuthzedAction.DESCRIBE])


@pytest.fixture
def store(tmp_path: Path):
    opened = _open(tmp_path)
    with access.acting_as("alice"):
        opened.apply([READER, SOURCES, ANYONE])
    yield opened
    opened.close()


def test_listed_and_got_as_applied(store, tmp_path):
    listed = store.list_permissions()
    assert sorted(map(_seen, listed)) == sorted(map(_seen, [READER, SOURCES, ANYONE]))
    assert _seen(store.get_permission("driver-reader")) == _seen(READER)
    assert store.get_permission("source-admins").types == [FileSource]
    assert store.get_permission("anyone-describes").policy is AllowAll
    reopened = _open(tmp_path)  # read from the registry, not remembered by the store
    assert _seen(reopened.get_permission("source-admins")) == _seen(SOURCES)
    reopened.close()


def test_listing_filters_by_the_permissions_own_tags(store):
    assert [p.name for p in store.list_permissions(tags={"owner": "rides"})] == ["driver-reader"]
    assert [p.name for p in store.list_permissions(tags={"owner": "rides", "tier": "x"})] == []
    assert sorted(p.name for p in store.list_permissions(tags={})) == [
        "anyone-describes",
        "driver-reader",
        "source-admins",
    ]


def test_reapplied_replaced_and_deleted(store):
    changed = Permission(
        name="driver-reader",
        types=[FeatureView],
        actions=AuthzedAction.READ_ONLINE,
        policy=RoleBasedPolicy(roles=["feast-reader"]),
        tags={"owner": "new"},
    )
    with access.acting_as("alice"):
        store.apply([changed])
        assert _seen(store.get_permission("driver-reader")) == _seen(changed)
        store.apply([], objects_to_delete=[changed])
    with pytest.raises(PermissionNotFoundException) as missing:
        store.get_permission("driver-reader")
    assert str(missing.value) == "Permission driver-reader does not exist in project p"
    assert isinstance(missing.value, FeastObjectNotFoundException)
    assert sorted(p.name for p in store.list_permissions()) == ["anyone-describes", "source-admins"]


def test_none_applied(tmp_path):
    empty = _open(tmp_path)
    assert empty.list_permissions() == []
    with pytest.raises(PermissionNotFoundException, match="Permission nope does not exist"):
        empty.get_permission("nope")
    empty.close()
