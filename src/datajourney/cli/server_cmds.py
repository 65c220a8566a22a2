"""``datajourney serve``: the REST API and web UI over a store; ``serve token new`` makes a
bearer token for a server that listens beyond this machine."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .output import console, errors, settings

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

serve = typer.Typer(invoke_without_command=True)
token = typer.Typer(help="Tokens for a server reachable from other machines.", no_args_is_help=True)
serve.add_typer(token, name="token")


def _fail(message: str) -> None:
    errors.print(f"error: {message}", markup=False, soft_wrap=True)
    sys.exit(2)


@serve.callback()
def serve_command(
    ctx: typer.Context,
    store: str = typer.Option(
        None, "--store", help="Store URL to serve (default: the global --store, else embedded)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    read_only: bool = typer.Option(False, "--read-only", help="Refuse every write (403)."),
    token_file: Path = typer.Option(
        None,
        "--token-file",
        help="Tokens (sha256 lines, see 'serve token new'); required beyond 127.0.0.1.",
    ),
    cors_origin: list[str] = typer.Option(
        None, "--cors-origin", help="Allow browser calls from this origin (repeatable; off)."
    ),
    workers: int = typer.Option(1, "--workers", min=1, help="Server processes."),
) -> None:
    """Serve the store at http://HOST:PORT: web UI at /, REST API at /api, OpenAPI at
    /openapi.json. Beyond 127.0.0.1 every request needs 'Authorization: Bearer <token>'."""
    if ctx.invoked_subcommand is not None:
        return
    read_only = read_only or settings(ctx).read_only
    if host not in LOOPBACK and token_file is None:
        _fail(
            f"--host {host} serves beyond this machine: give --token-file "
            "(create one with 'datajourney serve token new --token-file FILE')"
        )
    try:
        from datajourney.server.auth import load_token_file
        from datajourney.server.running import serve as run_server
    except ImportError as error:
        _fail(f"serve needs the server extra: pip install 'datajourney[server]' ({error})")
    if token_file is not None:
        load_token_file(token_file)  # a bad token file stops here, before any worker starts
    url = store or settings(ctx).store
    if url is None:
        from datajourney.metadata.store import default_url

        url = default_url()
    shown = "[::1]" if host == "::1" else host
    errors.print(
        f"serving {url} at http://{shown}:{port}"
        f"{' (read-only)' if read_only else ''}{' (tokens required)' if token_file else ''}",
        markup=False,
        soft_wrap=True,
    )
    run_server(
        host,
        port,
        workers=workers,
        store=url,
        read_only=read_only,
        token_file=str(token_file.resolve()) if token_file else None,
        cors_origins=cors_origin or (),
    )


@token.command("new")
def token_new(
    token_file: Path = typer.Option(..., "--token-file", help="Token file to add the token to."),
    name: str = typer.Option("default", "--name", help="Who holds the token (one word)."),
) -> None:
    """Add a random token to the token file (stored hashed) and print it once: give it to
    the client as DATAJOURNEY_TOKEN (or an 'Authorization: Bearer' header)."""
    from datajourney.server.auth import new_token

    console.print(new_token(token_file, name), markup=False)
