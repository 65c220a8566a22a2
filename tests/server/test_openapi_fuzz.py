"""Schemathesis against ``/openapi.json``: no generated request gets a 5xx (bounded run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from datajourney.server import create_app  # noqa: E402

MAX_EXAMPLES = 12


def test_no_generated_request_gets_a_server_error(demo, tmp_path):
    copy = tmp_path / "metadata.sqlite"  # the fuzzer writes: a copy of the demo's store
    shutil.copy(Path(demo["url"].removeprefix("sqlite:///")), copy)
    app = create_app(f"sqlite:///{copy}")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for found in schema.get_all_operations():
        operation = found.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case) -> None:
            response = case.call()
            if response.status_code >= 500 or (
                response.status_code >= 400 and "error" not in response.json()
            ):
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} {case.body!r:.200}"
                    f" -> {response.status_code}: {response.text[:300]}"
                )

        check()
    assert operations > 30
    assert failures == []
