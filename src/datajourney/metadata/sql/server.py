"""Engines for stores on a database server (MySQL / MariaDB through pymysql, PostgreSQL through
psycopg 3): a pool of connections, each set up for the store's transactions.

Transactions run at SERIALIZABLE isolation: a store call reads, checks and then writes (a type
by name, an event that must not exist yet), and two concurrent calls must not both pass the
check. The server aborts one of them instead (a serialization failure or a deadlock), and the
store runs that call again (see ``conflicts``).
"""

from __future__ import annotations

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from ..errors import UnavailableError

POOL_SIZE = 8
POOL_OVERFLOW = 24
POOL_RECYCLE_S = 3600
# Recursive lineage walks cross one iteration per step; the servers stop at 1,000 by default.
MAX_RECURSION = 4_294_967_295
_MYSQL_UNKNOWN_DATABASE = 1049
_PG_UNKNOWN_DATABASE = "3D000"


def server_engine(url: URL, read_only: bool, create: bool) -> Engine:
    """A pooled engine for the database at ``url``; the database is created when missing and
    ``create`` is set (as ml-metadata does unless told ``skip_db_creation``)."""
    engine = create_engine(
        url,
        isolation_level="SERIALIZABLE",
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_pre_ping=True,
        pool_recycle=POOL_RECYCLE_S,
    )
    backend = url.get_backend_name()

    @event.listens_for(engine, "connect")
    def _setup(dbapi_connection, record) -> None:
        cursor = dbapi_connection.cursor()
        if backend == "mysql":
            cursor.execute(_mysql_recursion(dbapi_connection))
        if read_only:
            cursor.execute(_READ_ONLY[backend])
        cursor.close()
        dbapi_connection.commit()

    try:
        engine.connect().close()
    except DBAPIError as error:
        if not (create and _unknown_database(error)):
            engine.dispose()
            raise _unavailable(url, error) from None
        _create_database(url)
    return engine


_READ_ONLY = {
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
}


def _mysql_recursion(dbapi_connection) -> str:
    variable = (
        "max_recursive_iterations"
        if "mariadb" in dbapi_connection.get_server_info().lower()
        else "cte_max_recursion_depth"
    )
    return f"SET SESSION {variable} = {MAX_RECURSION}"


def _unknown_database(error: DBAPIError) -> bool:
    orig = error.orig
    if getattr(orig, "sqlstate", None) == _PG_UNKNOWN_DATABASE:
        return True
    args = getattr(orig, "args", ())
    if args and args[0] == _MYSQL_UNKNOWN_DATABASE:
        return True
    return "does not exist" in str(orig) and "database" in str(orig)


def _unavailable(url: URL, error: DBAPIError) -> UnavailableError:
    where = url.render_as_string(hide_password=True)
    return UnavailableError(f"cannot open the metadata store at {where}: {error.orig}")


def _create_database(url: URL) -> None:
    """CREATE DATABASE through the server's administrative database."""
    admin_db = None if url.get_backend_name() == "mysql" else "postgres"
    server = URL.create(url.drivername, url.username, url.password, url.host, url.port, admin_db)
    admin = create_engine(server.update_query_dict(dict(url.query)), isolation_level="AUTOCOMMIT")
    name = admin.dialect.identifier_preparer.quote(url.database)
    try:
        with admin.connect() as conn:
            if url.get_backend_name() == "mysql":
                conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS {name}")
            else:
                exists = conn.exec_driver_sql(
                    "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": url.database}
                ).first()
                if not exists:
                    conn.exec_driver_sql(f"CREATE DATABASE {name}")
    except DBAPIError as error:
        raise _unavailable(url, error) from None
    finally:
        admin.dispose()
