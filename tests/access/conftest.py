"""Access tests use the metadata tests' database servers (MySQL / MariaDB, PostgreSQL)."""

from tests.metadata.conftest import server_database  # noqa: F401
