"""ml-metadata connection configs as datajourney store URLs."""

from __future__ import annotations

from sqlalchemy import URL

from ...metadata.errors import InvalidArgumentError
from ..proto import metadata_store_pb2 as pb

_Mode = pb.SqliteMetadataSourceConfig.ConnectionMode
# MySQLDatabaseConfig.ssl_options fields -> pymysql's URL query keys
_MYSQL_SSL = {field: f"ssl_{field}" for field in ("key", "cert", "ca", "capath", "cipher")}
# PostgreSQLDatabaseConfig fields passed on to libpq as they are
_PG_OPTIONS = ("hostaddr", "passfile")


def store_url(config) -> tuple[str, bool, bool]:
    """(url, read_only, create) for a ``ConnectionConfig``."""
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
    if which == "mysql":
        return _mysql_url(config.mysql), False, not config.mysql.skip_db_creation
    if which == "postgresql":
        return _postgresql_url(config.postgresql), False, not config.postgresql.skip_db_creation
    raise InvalidArgumentError(f"unsupported connection config {which!r}")


def _url(driver: str, config, database: str, port: int | None, query: dict[str, str]) -> str:
    if not database:
        raise InvalidArgumentError(
            f"the {driver.split('+')[0]} connection config names no database"
        )
    url = URL.create(
        driver,
        username=config.user or None,
        password=config.password or None,
        host=config.host or None,
        port=port,
        database=database,
        query={key: value for key, value in query.items() if value},
    )
    return url.render_as_string(hide_password=False)


def _mysql_url(config: pb.MySQLDatabaseConfig) -> str:
    """``mysql+pymysql://`` URL of a MySQLDatabaseConfig (socket and SSL options included)."""
    query = {"unix_socket": config.socket}
    ssl = config.ssl_options
    query.update({key: getattr(ssl, field) for field, key in _MYSQL_SSL.items()})
    return _url("mysql+pymysql", config, config.database, config.port or None, query)


def _postgresql_url(config: pb.PostgreSQLDatabaseConfig) -> str:
    """``postgresql+psycopg://`` URL of a PostgreSQLDatabaseConfig (libpq options included)."""
    try:
        port = int(config.port) if config.port else None
    except ValueError:
        raise InvalidArgumentError(f"postgresql port {config.port!r} is not a number") from None
    query = {option: getattr(config, option) for option in _PG_OPTIONS}
    ssl = config.ssloption
    query.update({field.name: value for field, value in ssl.ListFields()})
    return _url("postgresql+psycopg", config, config.dbname, port, query)
