"""``warehouse create|load|history|as-of|sql|evolve`` over :mod:`datajourney.warehouse`."""

from __future__ import annotations

import contextlib
import datetime
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .output import console, emit, errors, settings, table

warehouse = typer.Typer(
    help="The data warehouse: Delta tables, schema-on-write, time travel.", no_args_is_help=True
)
_ROOT = typer.Option(None, "--root", envvar="DATAJOURNEY_WAREHOUSE", help="Warehouse folder.")


@contextlib.contextmanager
def _opened(ctx: typer.Context, root: str | None, writes: bool = True) -> Iterator:
    """The warehouse (its metadata store read-only unless the command ``writes``); a refused
    load prints its anomalies (exit 1), other errors exit 2."""
    from datajourney.warehouse import LoadRefusedError, Warehouse, WarehouseError

    try:
        with settings(ctx).open_store(writes) as store, Warehouse(root, store) as opened:
            yield opened
    except LoadRefusedError as error:
        message, bad = str(error), error.bad_rows
        emit(
            ctx, {"refused": message, "bad_rows": bad}, lambda: console.print(message, markup=False)
        )
        sys.exit(1)
    except WarehouseError as error:
        errors.print(f"error: {type(error).__name__}: {error}", markup=False, soft_wrap=True)
        sys.exit(2)


def _rows(ctx: typer.Context, result, limit: int | None = None) -> None:
    shown = result if limit is None else result.slice(0, limit)
    emit(
        ctx,
        shown.to_pylist(),
        lambda: table(
            shown.column_names,
            [list(r.values()) for r in shown.to_pylist()],
            title=f"{result.num_rows} rows",
        ),
    )


@warehouse.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="subject.table"),
    schema: Path = typer.Option(None, help="A schema.pbtxt."),
    like: str = typer.Option(None, help="A data file to infer the schema from."),
    partition_by: list[str] = typer.Option([], "--partition-by"),
    root: str = _ROOT,
) -> None:
    """Create an empty table (version 0)."""
    with _opened(ctx, root) as wh:
        made = wh.create(name, schema, like=like, partition_by=partition_by)
    emit(
        ctx,
        {"table": name, "location": made.location, "version": 0},
        lambda: console.print(f"{name} created at {made.location}"),
    )


@warehouse.command("load")
def load(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="subject.table"),
    source: str = typer.Argument(..., help="A data file or glob (CSV, Parquet, JSON lines)."),
    mode: str = typer.Option("append", help="append or overwrite."),
    quarantine: bool = typer.Option(False, "--quarantine", help="Set bad rows apart."),
    create: bool = typer.Option(False, "--create", help="Create the table, schema inferred."),
    root: str = _ROOT,
) -> None:
    """Check data against the table's schema and write it as a new version."""
    with (
        _opened(ctx, root) as wh,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=settings(ctx).json,
        ) as progress,
    ):
        progress.add_task(f"loading {source} into {name}", total=None)
        done = wh.load(name, source, mode=mode, quarantine=quarantine, create=create)
    emit(
        ctx,
        done,
        lambda: console.print(
            f"{name} version {done.version}: {done.rows} rows, {done.quarantined} quarantined; "
            f"execution {done.execution_id}"
        ),
    )


@warehouse.command("history")
def history(ctx: typer.Context, name: str = typer.Argument(...), root: str = _ROOT) -> None:
    """Every version: when, who, operation, rows, execution."""
    with _opened(ctx, root, writes=False) as wh:
        versions = wh.history(name)
    rows = [
        (
            v.version,
            v.timestamp.isoformat(timespec="seconds"),
            v.operation,
            v.user,
            v.rows_added,
            v.quarantined,
            v.execution_id,
        )
        for v in versions
    ]
    emit(
        ctx,
        [v.to_dict() for v in versions],
        lambda: table(
            ["version", "time", "operation", "user", "rows", "quarantined", "execution"], rows
        ),
    )


@warehouse.command("as-of")
def as_of(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    version: int = typer.Option(None, help="A version number."),
    at: datetime.datetime = typer.Option(None, "--at", help="A time (ISO)."),
    limit: int = typer.Option(20, help="Rows to print."),
    root: str = _ROOT,
) -> None:
    """The rows of a table at a version or time."""
    with _opened(ctx, root, writes=False) as wh:
        if version is None and at is None:
            raise typer.BadParameter("give --version or --at")
        moment = at.astimezone(datetime.UTC) if at else None
        _rows(ctx, wh.as_of(name, version, moment).to_arrow(), limit)


@warehouse.command("sql")
def sql(ctx: typer.Context, query: str = typer.Argument(...), root: str = _ROOT) -> None:
    """DuckDB SQL: subject.table now, wh('subject.table', version | 'time') in the past."""
    with _opened(ctx, root, writes=False) as wh:
        _rows(ctx, wh.sql(query))


@warehouse.command("evolve")
def evolve(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    schema: Path = typer.Argument(..., help="The new schema.pbtxt."),
    root: str = _ROOT,
) -> None:
    """Change a table's schema: prints the diff, writes a new version."""
    with _opened(ctx, root) as wh:
        diff, done = wh.evolve(name, schema)
    emit(
        ctx,
        {"diff": str(diff), "version": done.version if done else None},
        lambda: console.print(
            f"{diff}\n" + (f"version {done.version}" if done else "unchanged"), markup=False
        ),
    )
