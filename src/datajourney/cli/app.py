"""The root command: global options, sub-commands, and errors as one line with exit code 2."""

from __future__ import annotations

import sys

import typer

from . import data_cmds, demo_cmd, store_cmds, versioning_cmds
from .output import Settings, errors

app = typer.Typer(
    name="datajourney",
    help="Metadata, lineage, validation and versioning of ML data sets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    store: str = typer.Option(
        None, "--store", envvar="DATAJOURNEY_STORE",
        help="Metadata store URL (default ./.datajourney/metadata.sqlite).",
    ),
    json: bool = typer.Option(False, "--json", help="Print JSON (for scripts)."),
) -> None:
    """Exit codes: 0 ok, 1 anomalies found, 2 usage or input error."""
    ctx.obj = Settings(store=store, json=json)


demo_cmd.register(app)
data_cmds.register(app)
store_cmds.register(app)
app.add_typer(versioning_cmds.data, name="data")


def _known_errors() -> tuple[type[BaseException], ...]:
    from datajourney.io.errors import DataReadError
    from datajourney.metadata.errors import StatusError
    from datajourney.pipeline.errors import PipelineError
    from datajourney.versioning import VersioningError

    return (DataReadError, StatusError, PipelineError, VersioningError, OSError, ValueError,
            KeyError)


def main() -> None:
    """Run the command line; a known error prints one line and exits with code 2 (usage errors
    are Typer's, code 2 too)."""
    try:
        app()
    except _known_errors() as error:
        message = f"not found: {error}" if isinstance(error, KeyError) else str(error)
        errors.print(f"error: {type(error).__name__}: {message}", soft_wrap=True, markup=False)
        sys.exit(2)
