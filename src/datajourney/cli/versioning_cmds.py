"""``data snapshot|restore|diff|status|push|pull|gc`` over :mod:`datajourney.versioning`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from .output import console, emit, settings

_FORCE = "Overwrite files edited since their last snapshot or restore, or never snapshotted."

data = typer.Typer(help="Data versioning: content-addressed snapshots.", no_args_is_help=True)


def _changes(ctx: typer.Context, diff) -> None:
    lines = [
        *(f"+ {p}" for p in diff.added),
        *(f"- {p}" for p in diff.removed),
        *(f"~ {p}" for p in diff.modified),
        *(f"> {a} -> {b}" for a, b in diff.renamed),
    ]
    emit(ctx, diff, lambda: console.print("\n".join(lines) or "no change", markup=False))


@data.command("snapshot")
def snapshot(ctx: typer.Context, path: Path = typer.Argument(...)) -> None:
    """Snapshot a file or folder; prints its digest."""
    from datajourney import versioning

    settings(ctx).refuse_writes()
    digest = versioning.snapshot(path)
    emit(ctx, {"path": str(path), "digest": digest}, lambda: console.print(digest))


@data.command("restore")
def restore(
    ctx: typer.Context,
    digest: str = typer.Argument(...),
    path: Path = typer.Argument(...),
    clean: bool = typer.Option(False, "--clean", help="Remove files the snapshot lacks."),
    force: bool = typer.Option(False, "--force", help=_FORCE),
) -> None:
    """Put a snapshot back at a path (refused if it would overwrite local changes)."""
    from datajourney import versioning

    settings(ctx).refuse_writes()
    target = versioning.restore(digest, path, clean=clean, force=force)
    emit(ctx, {"digest": digest, "path": str(target)}, lambda: console.print(str(target)))


@data.command("diff")
def diff(ctx: typer.Context, a: str = typer.Argument(...), b: str = typer.Argument(...)) -> None:
    """How snapshot B differs from snapshot A."""
    from datajourney import versioning

    _changes(ctx, versioning.diff(a, b))


@data.command("status")
def status(ctx: typer.Context, path: Path = typer.Argument(...)) -> None:
    """How a path differs from its last snapshot (under ``--read-only`` the digests it reads
    are not cached)."""
    from datajourney import versioning

    repo = versioning.Repository(read_only=settings(ctx).read_only)
    try:
        _changes(ctx, versioning.status(path, objects=repo))
    finally:
        repo.close()


@data.command("push")
def push(
    ctx: typer.Context,
    digest: str = typer.Argument(...),
    remote: str = typer.Argument(..., help="An fsspec URL."),
) -> None:
    """Send a snapshot's objects to a remote."""
    from datajourney import versioning

    result = versioning.push(digest, remote)
    emit(
        ctx,
        result,
        lambda: console.print(f"{result.transferred} sent, {result.skipped} already there"),
    )


@data.command("pull")
def pull(
    ctx: typer.Context,
    digest: str = typer.Argument(...),
    path: Path = typer.Argument(...),
    remote: str = typer.Argument(..., help="An fsspec URL."),
    force: bool = typer.Option(False, "--force", help=_FORCE),
) -> None:
    """Fetch a snapshot from a remote and restore it at a path."""
    from datajourney import versioning

    settings(ctx).refuse_writes()
    target = versioning.pull(digest, path, remote, force=force)
    emit(ctx, {"digest": digest, "path": str(target)}, lambda: console.print(str(target)))


@data.command("gc")
def gc(ctx: typer.Context, dry_run: bool = typer.Option(False, "--dry-run")) -> None:
    """Remove objects no kept snapshot or LIVE artifact needs; mark FAILED the runs left
    RUNNING by a process that is gone."""
    from datajourney import versioning

    settings(ctx).refuse_writes(not dry_run)
    result = versioning.gc(store=settings(ctx).store, dry_run=dry_run)
    abandoned = _mark_abandoned_runs(settings(ctx).store, dry_run)
    emit(
        ctx,
        {**dataclasses.asdict(result), "abandoned_runs": abandoned},
        lambda: console.print(
            f"kept {result.kept}, removed {result.removed}, freed {result.freed_bytes} bytes;"
            f" {len(abandoned)} abandoned run(s) {'to mark' if dry_run else 'marked'} FAILED"
        ),
    )


def _mark_abandoned_runs(url: str | None, dry_run: bool) -> list[int]:
    """The ids of the runs whose process is gone, marked FAILED unless ``dry_run``, in the
    metadata store named (or the default one, if it exists)."""
    from datajourney.metadata.store import DEFAULT_FOLDER, MetadataStore

    if url is None and not (Path(DEFAULT_FOLDER) / "metadata.sqlite").is_file():
        return []
    with MetadataStore(url, read_only=dry_run) as store:
        return [execution.id for execution in store.mark_abandoned_runs(dry_run)]
