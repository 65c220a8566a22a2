"""The gRPC service: ml-metadata 1.17.1's own client against ``datajourney serve-mlmd``'s
server, the drop-in's client against it, and the drop-in's client against ml-metadata's own
store served over gRPC (``differential/mlmd_server.py``) give the transcripts the real library
gives against its own database, scenario by scenario (``differential/scenarios.py``).

The servers run in this process, each over an empty in-memory store on a free port; the runner
(``differential/runner.py``) connects ``env.new_store()`` to them through
``MetadataStoreClientConfig`` when ``MLMD_DIFF_GRPC_PORTS`` names them.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("grpc", reason="the gRPC service needs grpcio (the grpc extra)")

from datajourney.mlmd.grpc_server import MetadataStoreServer
from tests.mlmd.test_differential import (
    OURS,
    PEER,
    QUIRK,
    REPO_ROOT,
    SCENARIO_NAMES,
    _run,
    describe_mismatch,
)
from tests.peer import mlmd_python

# Scenarios about opening stores by path or config (SQLite files, fake databases, module
# imports): a gRPC client has no database of its own to open.
LOCAL_ONLY = frozenset(
    {
        "scenario_seed_lab",
        "scenario_fake_database",
        "scenario_reopen_sqlite",
        "scenario_open_errors",
        "scenario_import_paths",
        "scenario_module_surface",
    }
)
GRPC_SCENARIOS = [name for name in SCENARIO_NAMES if name not in LOCAL_ONLY]
SERVERS = 64  # more than the stores the scenarios open
MLMD_SERVER = Path(__file__).resolve().parent / "differential" / "mlmd_server.py"


@contextlib.contextmanager
def _servers(count: int) -> Iterator[str]:
    """``count`` servers over empty stores; yields their ports, comma-separated."""
    servers = []
    try:
        for _ in range(count):
            servers.append(
                MetadataStoreServer("memory://", port=0, host="127.0.0.1", max_workers=2).start()
            )
        yield ",".join(str(server.port) for server in servers)
    finally:
        for server in servers:
            server.stop(grace=None)


def _env(ports: str | None, with_src: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLMD_DIFF_GRPC_PORTS")}
    if with_src:
        env["PYTHONPATH"] = str(REPO_ROOT / "src")
    if ports:
        env["MLMD_DIFF_GRPC_PORTS"] = ports
    return env


@contextlib.contextmanager
def _mlmd_servers(count: int) -> Iterator[str]:
    """``count`` servers of ml-metadata's own store (``differential/mlmd_server.py``, in the
    peer interpreter); yields their ports, comma-separated."""
    process = subprocess.Popen(
        [mlmd_python(), str(MLMD_SERVER), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(None, with_src=False),
    )
    try:
        ports = process.stdout.readline().strip()
        if not ports:
            pytest.fail(f"ml-metadata's gRPC servers did not start ({process.wait()})")
        yield ports
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def _transcripts(tmp: Path, python: str, prefix: str, label: str, servers=None) -> dict[str, Any]:
    out = tmp / label / "transcripts.json"
    out.parent.mkdir()
    with contextlib.ExitStack() as stack:
        ports = stack.enter_context(servers(SERVERS)) if servers else None
        return _run(python, prefix, out, _env(ports, with_src=prefix == OURS), GRPC_SCENARIOS)


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("mlmd_grpc")
    peer, ours = mlmd_python(), sys.executable
    return {
        "ml_metadata (its own database)": _transcripts(tmp, peer, PEER, "local"),
        "ml_metadata's client, our server": _transcripts(tmp, peer, PEER, "peer", _servers),
        "our client, our server": _transcripts(tmp, ours, OURS, "ours", _servers),
        "our client, ml-metadata's server": _transcripts(tmp, ours, OURS, "theirs", _mlmd_servers),
    }


def _strict(transcript: list) -> list:
    return [entry for entry in transcript if QUIRK not in entry[0]]


@pytest.mark.parametrize("name", GRPC_SCENARIOS)
def test_grpc_scenario_matches_ml_metadata(
    name: str, transcripts: dict[str, dict[str, Any]]
) -> None:
    (_, reference), *others = transcripts.items()
    want = _strict(reference[name])
    for label, runs in others:
        got = _strict(runs[name])
        if got != want:
            pytest.fail(f"{label}:\n" + describe_mismatch(name, want, got), pytrace=False)
