"""The root command: global options, sub-commands, and errors as one line with exit code 2."""

from __future__ import annotations

import sqlite3
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
    read_only: bool = typer.Option(
        False,
        "--read-only",
        help="Open the metadata store read-only; commands that write are refused. Commands "
        "that only read (ls, show, lineage, diff-runs, ...) always open it read-only.",
    ),
) -> None:
    """Exit codes: 0 ok, 1 anomalies found or runs differ, 2 usage or input error.

    The global options may also come after the command: datajourney ls artifacts --json.
    """
    ctx.obj = Settings(store=store, json=json, read_only=read_only)


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
        sqlite3.Error,
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
    args = _globals_first(sys.argv[1:])
    try:
        code = app(args=args, prog_name="datajourney", standalone_mode=False)
    except ClickException as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # its help is printed already
            sys.exit(2)
        _fail(_usage_message(error))
    except _known_errors() as error:
        message = f"not found: {error}" if isinstance(error, KeyError) else str(error)
        if type(error).__name__ == "FailedPreconditionError" and " is read-only" in message:
            message = message.split("; open it read-only")[0]
            message += f"; '{_command_path(args)}' writes to it (commands that only read work)"
        _fail(f"{type(error).__name__}: {message}")
    sys.exit(code if isinstance(code, int) else 0)


_GLOBAL_FLAGS = ("--json", "--read-only")
_GLOBAL_VALUED = ("--store",)


def _globals_first(args: list[str]) -> list[str]:
    """``args`` with the global options given after a command moved before it, so that
    ``datajourney ls artifacts --json`` means ``datajourney --json ls artifacts``. A command
    with an option of the same name (``serve --store``) keeps its own; option values and
    everything after ``--`` stay as they are."""
    command = typer.main.get_command(app)
    front: list[str] = []
    rest: list[str] = []
    depth, i = 0, 0
    while i < len(args):
        token = args[i]
        name = token.split("=", 1)[0]
        own = _option(command, name) if depth else None
        if token == "--":
            rest += args[i:]
            break
        if own is None and token in _GLOBAL_FLAGS:
            front.append(token)
        elif own is None and name in _GLOBAL_VALUED:
            if token == name and i + 1 == len(args):
                _fail(f"Option '{name}' requires an argument.")
            front += args[i : i + (1 if token != name else 2)]
            i += 0 if token != name else 1
        elif token.startswith("-"):
            takes_value = own is not None and not own.is_flag and own.nargs == 1
            rest += args[i : i + (2 if takes_value and token == name else 1)]
            i += 1 if takes_value and token == name else 0
        else:
            sub = getattr(command, "commands", {}).get(token)
            if sub is not None:
                command, depth = sub, depth + 1
            rest.append(token)
        i += 1
    return front + rest


def _option(command, name: str):
    """The option of ``command`` spelled ``name``, or None."""
    for param in command.params:
        if name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            return param if name.startswith("-") else None
    return None


def _command_path(args: list[str]) -> str:
    """The (sub)command ``args`` run, e.g. ``lake ingest``."""
    command, words = typer.main.get_command(app), []
    for token in args:
        sub = getattr(command, "commands", {}).get(token)
        if sub is not None:
            command = sub
            words.append(token)
    return " ".join(words) or "datajourney"


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
