"""Policies decide as a plain reading of their roles says, checked against a tiny reference."""

from __future__ import annotations

import fnmatch
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datajourney.access import Action, Resource, ResourceKind, policy_from_json
from datajourney.access.evaluate import granting_role
from datajourney.metadata.errors import InvalidArgumentError

PRINCIPALS = ["alice", "bob", "carol"]
NAMES = ["driver_stats", "driver_trips", "customer_profile", "raw"]
PATTERNS = ["*", "driver_*", "customer_*", "raw", "nothing"]
REGEXES = ["driver_.*", ".*_stats", "raw|customer_profile", "driver"]
TAGS = [{}, {"team": "a"}, {"team": "b"}, {"pii": "true"}]


def reference_allows(doc: dict, who: str, action: str, kind: str, name: str, tags: dict) -> bool:
    """The policy's meaning written the long way: some role held by ``who`` or by a group
    ``who`` is in (or everyone, ``*``) has a permission naming the action, the kind, a name
    matching a glob of ``names`` or a regular expression of ``patterns``, and the tags."""
    holders = [who, "*"] + [g for g, members in doc["groups"].items() if who in members]
    for holder in holders:
        for role in doc["bindings"].get(holder, []):
            if role == "admin":
                return True
            for perm in doc["roles"][role]:
                if (
                    action in perm["actions"]
                    and kind in perm["resources"]
                    and (
                        any(fnmatch.fnmatchcase(name, p) for p in perm["names"])
                        or any(re.fullmatch(p, name) for p in perm.get("patterns", []))
                    )
                    and all(tags.get(k) == v for k, v in perm["tags"].items())
                ):
                    return True
    return False


permissions = st.fixed_dictionaries(
    {
        "actions": st.lists(st.sampled_from([a.value for a in Action]), min_size=1, unique=True),
        "resources": st.lists(
            st.sampled_from([k.value for k in ResourceKind]), min_size=1, unique=True
        ),
        "names": st.lists(st.sampled_from(PATTERNS), unique=True),
        "tags": st.sampled_from(TAGS),
    },
    optional={"patterns": st.lists(st.sampled_from(REGEXES), unique=True)},
)


@st.composite
def policies(draw) -> dict:
    roles = draw(st.dictionaries(st.sampled_from(["r1", "r2", "r3"]), st.lists(permissions)))
    groups = draw(
        st.dictionaries(
            st.sampled_from(["g1", "g2"]), st.lists(st.sampled_from(PRINCIPALS), unique=True)
        )
    )
    holders = st.sampled_from(PRINCIPALS + list(groups) + ["*"])
    role_names = st.sampled_from([*sorted(roles), "admin"])
    bindings = draw(st.dictionaries(holders, st.lists(role_names, unique=True), max_size=4))
    return {"roles": roles, "groups": groups, "bindings": bindings}


@settings(max_examples=300, deadline=None)
@given(
    doc=policies(),
    who=st.sampled_from(PRINCIPALS),
    action=st.sampled_from(list(Action)),
    kind=st.sampled_from(list(ResourceKind)),
    name=st.sampled_from(NAMES),
    tags=st.sampled_from(TAGS),
)
def test_random_policies_decide_as_the_reference(doc, who, action, kind, name, tags):
    parsed = policy_from_json(doc)
    decided = granting_role(parsed, who, action, Resource(kind, name, tags)) is not None
    assert decided == reference_allows(doc, who, action.value, kind.value, name, tags)
    assert policy_from_json(parsed.to_json()) == parsed


@pytest.mark.parametrize(
    "doc, message",
    [
        ({"roles": {"r": [{"actions": ["reed"]}]}}, "policy.roles.r[0].actions: unknown 'reed'"),
        ({"roles": {"r": [{"names": ["*"]}]}}, "policy.roles.r[0]: a permission needs 'actions'"),
        ({"bindings": {"alice": ["ghost"]}}, "policy.bindings.alice: undefined role(s) 'ghost'"),
        ({"roles": {"admin": []}}, "'admin' is built in"),
        ({"rolez": {}}, "policy: unknown field(s) rolez"),
        ({"groups": {"g": "alice"}}, "policy.groups.g: expected a list of principals"),
    ],
)
def test_a_wrong_policy_names_the_wrong_part(doc, message):
    with pytest.raises(InvalidArgumentError) as caught:
        policy_from_json(doc)
    assert message in str(caught.value)
