"""``lake ingest|ls|find|read|sql`` over :mod:`datajourney.lake`."""

from __future__ import annotations

import contextlib
import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .output import console, emit, errors, settings, table

lake = typer.Typer(help="The data lake: raw files, schema-on-read.", no_args_is_help=True)


@contextlib.contextmanager
def _opened(ctx: typer.Context, writes: bool = True) -> Iterator:
    """The lake of the global options (its metadata store read-only unless the command
    ``writes``); a lake error is one line and exit code 2."""
    from datajourney.lake import Lake, LakeError

    try:
        with settings(ctx).open_store(writes) as store, Lake(store) as opened:
            yield opened
    except LakeError as error:
        errors.print(f"error: {type(error).__name__}: {error}", markup=False, soft_wrap=True)
        sys.exit(2)


def _entries(ctx: typer.Context, entries) -> None:
    rows = [
        (
            e.id,
            e.path,
            e.format,
            e.size,
            e.ingested_at.isoformat(timespec="seconds"),
            e.source,
            ",".join(e.tags),
        )
        for e in entries
    ]
    emit(
        ctx,
        [e.to_dict() for e in entries],
        lambda: table(["id", "path", "format", "size", "ingested", "source", "tags"], rows),
    )


@lake.command("ingest")
def ingest(
    ctx: typer.Context,
    path: str = typer.Argument(..., help="A file, a folder or a glob."),
    zone: str = typer.Option("raw", help="The zone to ingest into."),
    source: str = typer.Option("", help="Where the files come from."),
    tag: list[str] = typer.Option([], "--tag", help="A tag (repeatable)."),
    prefix: str = typer.Option(None, help="Lake path lead (default: the folder's name)."),
) -> None:
    """Keep files exactly as they are, catalogued in the metadata store."""
    with (
        _opened(ctx) as opened,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=settings(ctx).json,
        ) as progress,
    ):
        progress.add_task(f"ingesting {path}", total=None)
        result = opened.ingest(path, zone=zone, source=source, tags=tag, prefix=prefix)
    data = {
        "execution_id": result.execution_id,
        "added": [e.to_dict() for e in result.added],
        "unchanged": len(result.unchanged),
        "bytes_added": result.bytes_added,
    }
    emit(
        ctx,
        data,
        lambda: console.print(
            f"{len(result.added)} added ({result.bytes_added} bytes), "
            f"{len(result.unchanged)} unchanged; execution {result.execution_id}"
        ),
    )


@lake.command("ls")
def ls(
    ctx: typer.Context,
    prefix: str = typer.Argument("", help="A lake path start."),
    zone: str = typer.Option(None, help="Only this zone."),
) -> None:
    """The newest entry of every lake path under a prefix."""
    with _opened(ctx, writes=False) as opened:
        _entries(ctx, opened.ls(prefix, zone=zone))


@lake.command("find")
def find(
    ctx: typer.Context,
    pattern: str = typer.Argument(None, help="A lake path pattern (*, ?, **)."),
    zone: str = typer.Option(None),
    tag: str = typer.Option(None),
    format: str = typer.Option(None, "--format"),
    source: str = typer.Option(None),
    since: datetime.datetime = typer.Option(None, help="Ingested at or after (ISO time)."),
    until: datetime.datetime = typer.Option(None, help="Ingested before (ISO time)."),
    all_versions: bool = typer.Option(False, "--all-versions"),
) -> None:
    """Entries by pattern, zone, tag, format, source and time."""
    with _opened(ctx, writes=False) as opened:
        _entries(
            ctx,
            opened.find(
                pattern,
                zone=zone,
                tag=tag,
                format=format,
                source=source,
                since=since,
                until=until,
                all_versions=all_versions,
            ),
        )


@lake.command("read")
def read(
    ctx: typer.Context,
    pattern: str = typer.Argument(..., help="A lake path or pattern."),
    schema: Path = typer.Option(None, help="A schema.pbtxt to apply at read time."),
    limit: int = typer.Option(20, help="Rows to print."),
) -> None:
    """Read entries as a table; with --schema, rows that do not fit are anomalies (exit 1)."""
    from datajourney.schema import load_schema_text

    with _opened(ctx, writes=False) as opened:
        found = opened.read(pattern, schema=load_schema_text(schema) if schema else None)
    data = {
        "rows": found.table.slice(0, limit).to_pylist(),
        "row_count": found.table.num_rows,
        "bad_rows": found.bad_rows.to_pylist(),
    }
    emit(ctx, data, lambda: _print_read(found, limit))
    if not found.ok:
        sys.exit(1)


def _print_read(found, limit: int) -> None:
    shown = found.table.slice(0, limit)
    table(
        shown.column_names,
        [list(r.values()) for r in shown.to_pylist()],
        title=f"{found.table.num_rows} rows",
    )
    if found.bad_rows.num_rows:
        bad = found.bad_rows.slice(0, limit).to_pylist()
        table(
            found.bad_rows.column_names,
            [list(r.values()) for r in bad],
            title=f"{found.bad_rows.num_rows} bad rows",
        )


@lake.command("sql")
def sql(
    ctx: typer.Context, query: str = typer.Argument(..., help="SQL; lake('pattern') names entries.")
) -> None:
    """Run DuckDB SQL over lake entries."""
    with _opened(ctx, writes=False) as opened:
        result = opened.sql(query)
    emit(
        ctx,
        result.to_pylist(),
        lambda: table(result.column_names, [list(r.values()) for r in result.to_pylist()]),
    )
