"""The root command: global options, sub-commands, and errors as one line with exit code 2."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

try:  # newer Typer releases carry their own copy of Click
    from typer._click.exceptions import ClickException
except ImportError:
    from click.exceptions import ClickException

from . import (
    access_cmds,
    data_cmds,
    demo_cmd,
    erase_cmds,
    features_cmds,
    lake_cmds,
    mlmd_cmd,
    server_cmds,
    store_cmds,
    versioning_cmds,
    warehouse_cmds,
)
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
        None,
        "--store",
        envvar="DATAJOURNEY_STORE",
        help="Metadata store URL (default ./.datajourney/metadata.sqlite).",
    ),
    json: bool = typer.Option(False, "--json", help="Print JSON (for scripts)."),
) -> None:
    """Exit codes: 0 ok, 1 anomalies found or runs differ, 2 usage or input error."""
    ctx.obj = Settings(store=store, json=json)


demo_cmd.register(app)
erase_cmds.register(app)
data_cmds.register(app)
store_cmds.register(app)
mlmd_cmd.register(app)
app.add_typer(versioning_cmds.data, name="data")
app.add_typer(features_cmds.features, name="features")
app.add_typer(lake_cmds.lake, name="lake")
app.add_typer(warehouse_cmds.warehouse, name="warehouse")
app.add_typer(server_cmds.serve, name="serve")
app.add_typer(access_cmds.access, name="access")


def _known_errors() -> tuple[type[BaseException], ...]:
    from datajourney.io.errors import DataReadError
    from datajourney.metadata.errors import StatusError
    from datajourney.pipeline.errors import PipelineError
    from datajourney.versioning import VersioningError

    return (
        DataReadError,
        StatusError,
        PipelineError,
        VersioningError,
        OSError,
        ValueError,
        KeyError,
    )


def main() -> None:
    """Run the command line; a usage error or a known error prints one line on stderr and exits
    with code 2 (``--help`` and a bare group print their help as Typer does)."""
    try:
        code = app(standalone_mode=False)
    except ClickException as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # its help is printed already
            sys.exit(2)
        _fail(_usage_message(error))
    except _known_errors() as error:
        message = f"not found: {error}" if isinstance(error, KeyError) else str(error)
        _fail(f"{type(error).__name__}: {message}")
    sys.exit(code if isinstance(code, int) else 0)


def _usage_message(error: ClickException) -> str:
    """``ls: No such option: --bogus (try 'datajourney ls --help')``."""
    message = " ".join(error.format_message().split())
    ctx = getattr(error, "ctx", None)
    if ctx is None:
        return message
    command = ctx.command_path[len(ctx.find_root().command_path) :].strip()
    return f"{command + ': ' if command else ''}{message} (try '{ctx.command_path} --help')"


def _fail(message: str) -> NoReturn:
    errors.print(f"error: {message}", soft_wrap=True, markup=False)
    sys.exit(2)
