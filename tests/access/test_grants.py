"""Labelled grants (what a Feast ``Permission`` becomes): into the roles they name, replaced when
applied again, removed by label, and only by an admin once a policy is in force."""

from __future__ import annotations

import pytest

import datajourney as dj
from datajourney import access
from datajourney.access import Action, Resource, ResourceKind
from datajourney.access.grants import apply_grants, granted
from datajourney.feast import FeatureView
from datajourney.feast.permissions.action import AuthzedAction
from datajourney.feast.permissions.permission import Permission
from datajourney.feast.permissions.policy import GroupBasedPolicy, RoleBasedPolicy

RISKY = Resource(ResourceKind.FEATURE_VIEW, "risky_scores", {"risk": "high"})
PLAIN = Resource(ResourceKind.FEATURE_VIEW, "plain_scores")


@pytest.fixture
def store(tmp_path):
    with dj.MetadataStore(f"sqlite:///{tmp_path / 's.sqlite'}") as opened:
        access.set_policy(
            opened,
            {"groups": {"risk-team": ["rita"]}, "bindings": {"alice": ["admin"]}},
            "alice",
        )
        yield opened


def test_group_and_role_grants_apply_replace_and_go(store):
    by_group = Permission(
        name="risky-readers",
        types=FeatureView,
        name_patterns=".*risky.*",
        policy=GroupBasedPolicy(groups=["risk-team"]),
        actions=AuthzedAction.READ_OFFLINE,
        required_tags={"risk": "high"},
    )
    by_role = Permission(
        name="describers",
        types=[FeatureView],
        policy=RoleBasedPolicy(roles=["viewer"]),
        actions=[AuthzedAction.DESCRIBE],
    )
    assert apply_grants(store, [by_group, by_role], principal="alice") == 2
    access.check(store, Action.READ_OFFLINE, RISKY, "rita")
    with pytest.raises(access.AccessDeniedError):
        access.check(store, Action.READ_OFFLINE, PLAIN, "rita")  # no 'risky' in the name
    with pytest.raises(access.AccessDeniedError):
        access.check(store, Action.READ_OFFLINE, RISKY, "bob")  # not in the group
    assert access.policy(store).bindings["risk-team"] == ("feast:risky-readers",)
    assert access.policy(store).roles["viewer"][0].label == "describers"

    assert apply_grants(store, [by_group, by_role], principal="alice") is None  # no change
    assert sorted(granted(store)) == ["describers", "risky-readers"]
    with pytest.raises(access.AccessDeniedError, match="'rita' may not admin policy"):
        apply_grants(store, [], removed=["risky-readers"], principal="rita")
    apply_grants(store, [], removed=["risky-readers"], principal="alice")
    assert sorted(granted(store)) == ["describers"]
    with pytest.raises(access.AccessDeniedError):
        access.check(store, Action.READ_OFFLINE, RISKY, "rita")
