"""The feature registry on PostgreSQL and MySQL / MariaDB, whose ML Metadata layouts keep int
properties in 32 bits: materialization times (epoch microseconds) are stored so they fit
(issue 14)."""

from __future__ import annotations

import pytest

from tests.features.template import materialize_and_retrieve
from tests.metadata.conftest import server_database  # noqa: F401  (the fixture)


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_materialize_and_retrieve_with_the_registry_on_a_server(
    backend,
    tmp_path,
    server_database,  # noqa: F811
):
    materialize_and_retrieve(tmp_path, server_database(backend))
