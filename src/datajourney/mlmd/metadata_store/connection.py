"""ml-metadata connection configs as datajourney store URLs."""

from __future__ import annotations

from ...metadata.errors import InvalidArgumentError, UnimplementedError
from ..proto import metadata_store_pb2 as pb

_Mode = pb.SqliteMetadataSourceConfig.ConnectionMode


def store_url(config) -> tuple[str, bool, bool]:
    """(url, read_only, create) for a ``ConnectionConfig``."""
    if isinstance(config, pb.MetadataStoreClientConfig):
        raise UnimplementedError(
            "MetadataStoreClientConfig (a gRPC MLMD server) is not supported; connect to the "
            "server's database with a ConnectionConfig instead"
        )
    if not isinstance(config, pb.ConnectionConfig):
        raise ValueError(
            "MetadataStore is expecting either proto.ConnectionConfig or "
            "proto.MetadataStoreClientConfig"
        )
    which = config.WhichOneof("config")
    if which is None:
        raise RuntimeError("the ConnectionConfig sets no database (fake_database, sqlite, ...)")
    if which == "fake_database":
        return "memory://", False, True
    if which == "sqlite":
        sqlite = config.sqlite
        if not sqlite.filename_uri or sqlite.filename_uri == ":memory:":
            return "memory://", False, True
        path = sqlite.filename_uri
        if path.startswith("file:"):
            path = path[len("file:") :].split("?", 1)[0]
        mode = sqlite.connection_mode
        return (
            f"sqlite:///{path}",
            mode == _Mode.READONLY,
            mode
            in (
                _Mode.UNKNOWN,
                _Mode.READWRITE_OPENCREATE,
            ),
        )
    if which in ("mysql", "postgresql"):
        raise UnimplementedError(
            f"the {which} backend is not available in this version of datajourney; "
            "use sqlite or fake_database"
        )
    raise InvalidArgumentError(f"unsupported connection config {which!r}")
