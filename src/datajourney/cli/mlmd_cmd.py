"""``datajourney serve-mlmd``: ml-metadata's gRPC ``MetadataStoreService`` over a store, the
server Kubeflow Pipelines and TFX clients reach with ``MetadataStoreClientConfig(host, port)``."""

from __future__ import annotations

import sys

import typer

from .output import console, errors, settings


def serve_mlmd(
    ctx: typer.Context,
    store: str = typer.Option(
        None, "--store", help="Store URL to serve (default: the global --store, else embedded)."
    ),
    host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=0, max=65535, help="Port to listen on."),
) -> None:
    """Serve ml-metadata's gRPC MetadataStoreService (what metadata_store_server serves) at
    HOST:PORT until interrupted."""
    settings(ctx).refuse_writes()  # its clients write
    try:
        from datajourney.mlmd.grpc_server import MetadataStoreServer
    except ImportError as error:
        errors.print(
            f"error: serve-mlmd needs grpcio: pip install 'datajourney[grpc]' ({error})",
            markup=False,
        )
        sys.exit(2)
    url = store or settings(ctx).store
    try:
        server = MetadataStoreServer(url, port=port, host=host)
    except OSError as error:
        errors.print(f"error: {error}", markup=False)
        sys.exit(2)
    server.start()
    console.print(f"MetadataStoreService on {host}:{server.port} (store {server.store.url})")
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def register(app: typer.Typer) -> None:
    """Add ``serve-mlmd`` to the root command."""
    app.command("serve-mlmd")(serve_mlmd)
