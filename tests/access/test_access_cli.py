"""``datajourney access``: the policy and the audit log from the command line, as real
processes acting as $DATAJOURNEY_PRINCIPAL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import datajourney as dj

POLICY = {
    "roles": {"reader": [{"actions": ["describe", "read_offline"], "resources": ["feature_view"]}]},
    "bindings": {"root-admin": ["admin"], "bob": ["reader"]},
}


def run(cwd: Path, *args: str, principal: str = "root-admin") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")}
    env["DATAJOURNEY_PRINCIPAL"] = principal
    return subprocess.run(
        [sys.executable, "-m", "datajourney.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_policy_lifecycle_explain_and_audit(tmp_path):
    (tmp_path / ".datajourney").mkdir()
    dj.MetadataStore(f"sqlite:///{tmp_path / '.datajourney' / 'metadata.sqlite'}").close()
    assert "Access control is off" in run(tmp_path, "access", "show").stdout
    (tmp_path / "policy.json").write_text(json.dumps(POLICY))
    done = run(tmp_path, "access", "set", "policy.json")
    assert (done.returncode, done.stdout.strip()) == (0, "Policy version 1 in force."), done.stderr

    allowed = run(tmp_path, "access", "explain", "bob", "read_offline", "feature_view", "fv")
    assert allowed.returncode == 0
    assert "allowed: bob read_offline feature_view 'fv': through role 'reader'" in allowed.stdout
    denied = run(tmp_path, "--json", "access", "explain", "bob", "write", "feature_view", "fv")
    assert denied.returncode == 1
    assert json.loads(denied.stdout) == {
        "allowed": False,
        "policy": True,
        "role": None,
        "roles": ["reader"],
    }

    refused = run(tmp_path, "access", "off", principal="bob")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "error: AccessDeniedError: access denied: 'bob' may not admin policy 'policy' "
        "(no role of theirs allows it)"
    )
    audit = json.loads(run(tmp_path, "--json", "access", "audit").stdout)
    assert [(e["principal"], e["outcome"], e["detail"]) for e in audit] == [
        ("bob", "denied", "policy off"),
        ("root-admin", "allowed", "set policy"),
    ]
    assert run(tmp_path, "access", "off").returncode == 0
    assert "Access control is off" in run(tmp_path, "access", "show").stdout


def test_a_wrong_policy_file_is_one_line_naming_the_part(tmp_path):
    (tmp_path / "bad.json").write_text('{"roles": {"r": [{"actions": ["reed"]}]}}')
    done = run(tmp_path, "access", "set", "bad.json")
    assert done.returncode == 2
    assert done.stderr.strip().startswith(
        "error: InvalidArgumentError: policy.roles.r[0].actions: unknown 'reed'"
    )
    (tmp_path / "broken.json").write_text("{roles")
    done = run(tmp_path, "access", "set", "broken.json")
    assert (done.returncode, "broken.json: not JSON" in done.stderr) == (2, True)
    unknown = run(tmp_path, "access", "explain", "x", "reed", "lake_zone", "raw")
    assert unknown.returncode == 2
    assert "unknown action 'reed'; known: describe, read_offline" in unknown.stderr
