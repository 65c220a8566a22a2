"""Real Feast 0.67, the peer that the feature store's differential tests and benchmark compare
with. It lives in its own virtual environment under ``.peers/feast`` (created on first use, with
its duckdb offline store extra); it never shares a process with datajourney."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.peer import PeerUnavailableError, PeerVenv

FEAST_VERSION = "0.67.0"
FEAST_PEER = PeerVenv(
    "feast",
    [f"feast[duckdb]=={FEAST_VERSION}"],
    f"import importlib.metadata as m, feast;assert m.version('feast') == {FEAST_VERSION!r}",
    base_python="python3.11",
)


def ensure_feast_python() -> str:
    """The Feast peer interpreter, creating ``.peers/feast`` first if needed (raises
    :class:`PeerUnavailableError` when it cannot be created)."""
    return FEAST_PEER.ensure()


def feast_python() -> str:
    """The Feast peer interpreter for a test. Feast is an optional differential: when it cannot
    be installed (no network to PyPI, no wheel) the test is skipped with the reason, also under
    CI unless ``DATAJOURNEY_REQUIRE_PEERS=true`` asks for it to be a failure."""
    try:
        return ensure_feast_python()
    except PeerUnavailableError as exc:
        reason = f"Feast {FEAST_VERSION} peer unavailable (optional differential): {exc}"
        if os.environ.get("DATAJOURNEY_REQUIRE_PEERS", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def run_probe(python: str, probe: Path, package: str, folder: Path) -> dict:
    """The JSON a differential probe script prints last, run by ``python`` on ``package``
    (``feast`` or ``datajourney.feast``) in ``folder``."""
    done = subprocess.run(
        [python, str(probe), package, str(folder)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(ensure_feast_python())
