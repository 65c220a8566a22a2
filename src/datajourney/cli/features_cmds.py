"""``features plan|apply|delete|materialize|materialize-incremental|ls|describe|used-by|from|
serve|teardown``
over :mod:`datajourney.features`, for the feature repo in ``--repo`` (default: here)."""

from __future__ import annotations

import datetime
from pathlib import Path

import typer

from .output import console, emit, settings, table

features = typer.Typer(help="Feature store: a Feast-style feature repo.", no_args_is_help=True)

REPO = typer.Option(Path("."), "--repo", "-r", help="The feature repo folder.")


def _store(repo: Path, writes: typer.Context | None = None):
    """The repo's feature store; ``writes``: the context of a command that writes (refused
    under ``--read-only``)."""
    from datajourney.features import FeatureStore

    if writes is not None:
        settings(writes).refuse_writes()
    return FeatureStore(repo_path=repo)


def _reading(repo: Path, missing_is_empty: bool = False):
    """The repo's feature store, its registry opened read-only (a registry the user may not
    write can be browsed; nothing is written); ``missing_is_empty``: a registry not created yet
    reads as an empty one instead of an error."""
    from datajourney.features import FeatureStore, RepoConfig
    from datajourney.metadata.errors import NotFoundError
    from datajourney.metadata.store import MetadataStore

    config = RepoConfig.load(repo)
    try:
        registry = MetadataStore(config.registry_url(), read_only=True)
    except NotFoundError:
        if not missing_is_empty:
            raise
        registry = MetadataStore("memory://")
    return FeatureStore(config=config, metadata_store=registry)


def _when(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not an ISO date-time (2024-05-01T10:00:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _plan_out(ctx: typer.Context, plan, verb: str) -> None:
    data = {
        "added": [list(k) for k in plan.added],
        "changed": [list(k) for k in plan.changed],
        "unchanged": [list(k) for k in plan.unchanged],
        "removed": [list(k) for k in plan.removed],
    }
    emit(ctx, data, lambda: console.print("\n".join(plan.lines()) or f"no change to {verb}"))


@features.command("plan")
def plan(ctx: typer.Context, repo: Path = REPO) -> None:
    """Show how applying the repo would change the registry (- lines: defined no longer,
    removed only by `features delete`)."""
    store = _reading(repo, missing_is_empty=True)
    _plan_out(ctx, store.plan(delete=True), "apply")


@features.command("apply")
def apply(ctx: typer.Context, repo: Path = REPO) -> None:
    """Register the repo's definitions: a new version of each changed one."""
    store = _store(repo, ctx)
    _plan_out(ctx, store.apply(), "apply")


@features.command("delete")
def delete(ctx: typer.Context, names: list[str] = typer.Argument(...), repo: Path = REPO) -> None:
    """Delete definitions by name from the registry (their history stays)."""
    store = _store(repo, ctx)
    found = {d.name: d for d in store.definitions.all()}
    unknown = [n for n in names if n not in found]
    if unknown:
        raise typer.BadParameter(f"no definition named {unknown[0]!r}")
    _plan_out(ctx, store.apply([], objects_to_delete=[found[n] for n in names]), "delete")


@features.command("materialize")
def materialize(
    ctx: typer.Context,
    start: str = typer.Argument(..., help="Start, ISO date-time (naive is UTC)."),
    end: str = typer.Argument(..., help="End, ISO date-time."),
    views: list[str] = typer.Option(None, "--views", "-v", help="Only these feature views."),
    snapshot: bool = typer.Option(False, "--snapshot", help="Snapshot the source data."),
    repo: Path = REPO,
) -> None:
    """Load the latest values between START and END into the online store."""
    written = _store(repo, ctx).materialize(_when(start), _when(end), views or None, snapshot)
    emit(ctx, written, lambda: table(["view", "rows"], list(written.items())))


@features.command("materialize-incremental")
def materialize_incremental(
    ctx: typer.Context,
    end: str = typer.Argument(..., help="End, ISO date-time (naive is UTC)."),
    views: list[str] = typer.Option(None, "--views", "-v", help="Only these feature views."),
    repo: Path = REPO,
) -> None:
    """Load each view's values since its last materialization up to END."""
    written = _store(repo, ctx).materialize_incremental(_when(end), views or None)
    emit(ctx, written, lambda: table(["view", "rows"], list(written.items())))


def _tags(pairs: list[str] | None) -> dict[str, str]:
    found = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise typer.BadParameter(f"--tag {pair!r}: write key=value")
        key, value = pair.split("=", 1)
        found[key] = value
    return found


@features.command("ls")
def ls(
    ctx: typer.Context,
    text: str = typer.Argument(None, help="Text in a name, description or feature name."),
    tag: list[str] = typer.Option(None, "--tag", help="key=value (repeatable)."),
    owner: str = typer.Option(None, "--owner"),
    entity: str = typer.Option(None, "--entity", help="Views of this entity."),
    repo: Path = REPO,
) -> None:
    """List (search) the registered definitions."""
    found = _reading(repo).search(text, _tags(tag), owner, entity)
    rows = []
    for item in found:
        spec = item.to_spec()
        features_of = ", ".join(f["name"] for f in spec.get("schema", []))
        rows.append(
            [
                spec["kind"],
                spec["name"],
                spec.get("owner", ""),
                features_of,
                spec.get("description", ""),
            ]
        )
    emit(
        ctx,
        [item.to_spec() for item in found],
        lambda: table(["kind", "name", "owner", "fields", "description"], rows),
    )


@features.command("describe")
def describe(ctx: typer.Context, name: str = typer.Argument(...), repo: Path = REPO) -> None:
    """A definition, with every version: digest, when and by whom."""
    store = _reading(repo)
    versions = store.history(name)
    if not versions:
        raise typer.BadParameter(f"no definition named {name!r} in project {store.project!r}")
    data = [
        {
            "kind": v.kind,
            "version": v.version,
            "status": v.status,
            "digest": v.digest,
            "created": datetime.datetime.fromtimestamp(v.created_ms / 1000).isoformat(),
            "changed_by": v.changed_by,
            "spec": v.spec,
        }
        for v in versions
    ]

    def human() -> None:
        import json

        console.print_json(json.dumps(versions[-1].spec))
        table(
            ["version", "status", "digest", "created", "changed by"],
            [[d["version"], d["status"], d["digest"], d["created"], d["changed_by"]] for d in data],
            title=f"{versions[-1].kind} {name}",
        )

    emit(ctx, data, human)


@features.command("used-by")
def used_by(
    ctx: typer.Context,
    feature: str = typer.Argument(..., help="view or view:feature"),
    repo: Path = REPO,
) -> None:
    """The training sets retrieved with a feature, and what was made from them (models)."""
    from datajourney.features import FeatureStoreError

    store = _reading(repo)
    try:
        sets = store.training_sets_using(feature)
    except FeatureStoreError as error:
        raise typer.BadParameter(str(error)) from None
    made = store.models_using(feature)
    rows = [{"role": "training set", "id": a.id, "type": a.type, "uri": a.uri} for a in sets]
    rows += [{"role": "made from them", "id": a.id, "type": a.type, "uri": a.uri} for a in made]
    emit(
        ctx,
        rows,
        lambda: table(
            ["role", "id", "type", "uri"],
            [[r["role"], r["id"], r["type"], r["uri"]] for r in rows],
            title=f"used {feature}",
        ),
    )


@features.command("from")
def from_data(
    ctx: typer.Context,
    uri: str = typer.Argument(..., help="A file, folder or warehouse table location."),
    repo: Path = REPO,
) -> None:
    """The feature views whose data came from a file (directly, or through the lake and the
    warehouse)."""
    store = _reading(repo)
    target = uri if "://" in uri else str(Path(uri).resolve())
    views = store.features_from(target)
    emit(ctx, views, lambda: table(["feature view"], [[v] for v in views], title=f"from {uri}"))


@features.command("teardown")
def teardown(ctx: typer.Context, repo: Path = REPO) -> None:
    """Remove the project's online values (the registry stays)."""
    _store(repo, ctx).teardown()


@features.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", "-h"),
    port: int = typer.Option(6566, "--port", "-p"),
    repo: Path = REPO,
) -> None:
    """Run the feature server (Feast's HTTP endpoints)."""
    _store(repo).serve(host, port)
