"""``access show|set|off|explain|audit``: the access policy and the audit log
(:mod:`datajourney.access`). The CLI acts as $DATAJOURNEY_PRINCIPAL, else the login name."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .output import console, emit, settings, table

access = typer.Typer(help="Access control: the policy and the audit log.", no_args_is_help=True)


@access.command("show")
def show(ctx: typer.Context) -> None:
    """Print the policy in force (or say that access control is off)."""
    from datajourney import access as acl

    with settings(ctx).open_store(writes=False) as store:
        in_force = acl.policy(store)
    data = None if in_force is None else in_force.to_json()
    emit(
        ctx,
        data,
        lambda: console.print(
            "Access control is off: no policy is set."
            if data is None
            else json.dumps(data, indent=2)
        ),
    )


@access.command("set")
def set_(
    ctx: typer.Context,
    policy_file: Path = typer.Argument(..., help="The policy, as JSON or YAML.", exists=True),
) -> None:
    """Put a policy in force (only an admin may replace one already set)."""
    from datajourney import access as acl

    text = policy_file.read_text()
    if policy_file.suffix in (".yaml", ".yml"):
        import yaml

        document = yaml.safe_load(text)
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{policy_file}: not JSON ({error})") from None
    with settings(ctx).open_store() as store:
        version = acl.set_policy(store, document)
    emit(ctx, {"version": version}, lambda: console.print(f"Policy version {version} in force."))


@access.command("off")
def off(ctx: typer.Context) -> None:
    """Turn access control off (an admin only)."""
    from datajourney import access as acl

    with settings(ctx).open_store() as store:
        version = acl.set_policy(store, None)
    emit(ctx, {"version": version}, lambda: console.print("Access control is off."))


@access.command("explain")
def explain(
    ctx: typer.Context,
    principal: str = typer.Argument(..., help="Who."),
    action: str = typer.Argument(..., help="describe, read_offline, read_online, write, ..."),
    kind: str = typer.Argument(..., help="feature_view, warehouse_table, lake_zone, ..."),
    name: str = typer.Argument(..., help="The resource's name."),
    tag: list[str] = typer.Option([], "--tag", help="A resource tag KEY=VALUE (repeatable)."),
) -> None:
    """Say whether the policy allows it and through which role (exit 1 when denied); nothing
    is audited or changed."""
    from datajourney import access as acl
    from datajourney.access.evaluate import granting_role, roles_of

    tags = dict(t.split("=", 1) for t in tag if "=" in t)
    if len(tags) != len(tag):
        raise ValueError(f"--tag takes KEY=VALUE, got {[t for t in tag if '=' not in t]}")
    resource = acl.Resource(_enum(acl.ResourceKind, kind), name, tags)
    act = _enum(acl.Action, action)
    with settings(ctx).open_store(writes=False) as store:
        in_force = acl.policy(store)
    role = None if in_force is None else granting_role(in_force, principal, act, resource)
    allowed = in_force is None or role is not None
    data = {
        "allowed": allowed,
        "policy": in_force is not None,
        "role": role,
        "roles": sorted(roles_of(in_force, principal)) if in_force else [],
    }
    if in_force is None:
        reason = "no policy is set"
    elif role:
        reason = f"through role {role!r}"
    else:
        reason = f"no role of theirs allows it (roles: {', '.join(data['roles']) or 'none'})"
    verdict = "allowed" if allowed else "denied"
    emit(
        ctx, data, lambda: console.print(f"{verdict}: {principal} {act.value} {resource}: {reason}")
    )
    if not allowed:
        sys.exit(1)


@access.command("audit")
def audit(
    ctx: typer.Context,
    principal: str = typer.Option(None, help="Only this principal."),
    action: str = typer.Option(None, help="Only this action."),
    outcome: str = typer.Option(None, help="allowed or denied."),
    resource: str = typer.Option(None, help="Only this resource name."),
    limit: int = typer.Option(50, help="At most this many entries (newest first)."),
) -> None:
    """The audit log: writes and denied accesses, newest first."""
    from datajourney import access as acl

    with settings(ctx).open_store(writes=False) as store:
        entries = acl.audit_log(
            store,
            principal=principal,
            action=action,
            outcome=outcome,
            resource=resource,
            limit=limit,
        )
    rows = [
        (
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.principal,
            e.action,
            f"{e.resource_kind} {e.resource_name}",
            e.outcome,
            e.detail,
        )
        for e in entries
    ]
    emit(
        ctx,
        [e.to_json() for e in entries],
        lambda: table(["when", "principal", "action", "resource", "outcome", "detail"], rows),
    )


def _enum(enum_type, value: str):
    try:
        return enum_type(value)
    except ValueError:
        known = ", ".join(member.value for member in enum_type)
        raise ValueError(
            f"unknown {enum_type.__name__.lower()} {value!r}; known: {known}"
        ) from None
