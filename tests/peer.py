"""The reference ("peer") implementations that differential tests compare datajourney with.

The peer is real ml-metadata 1.17.1 in its own virtual environment under ``.peers/mlmd`` of the
repository root. It never shares a process with datajourney: both define the proto package
``ml_metadata``, which protobuf's default descriptor pool accepts only once. Tests run the peer
as a subprocess with the interpreter that :func:`mlmd_python` returns.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: no ml-metadata wheels there anyway
    fcntl = None

REPO_ROOT = Path(__file__).resolve().parents[1]
MLMD_VERSION = "1.17.1"
MLMD_VENV = REPO_ROOT / ".peers" / "mlmd"
MLMD_INSTALL_LOG = REPO_ROOT / ".peers" / "mlmd-install.log"
# ml-metadata 1.17.1 publishes wheels for a few CPython versions only; 3.11 is one of them.
MLMD_BASE_PYTHON = "python3.11"
INSTALL_TIMEOUT_S = 1200

_ready: str | None = None


class PeerUnavailableError(RuntimeError):
    """The peer environment does not exist and could not be created."""


def _venv_python(venv: Path) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def _works(python: Path) -> bool:
    if not python.exists():
        return False
    probe = (
        "import importlib.metadata as m, ml_metadata.proto.metadata_store_pb2;"
        f"assert m.version('ml-metadata') == {MLMD_VERSION!r}"
    )
    try:
        done = subprocess.run(
            [str(python), "-c", probe], capture_output=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _run_logged(cmd: list[str], log) -> None:
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    done = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise PeerUnavailableError(
            f"`{' '.join(cmd)}` exited {done.returncode}; see {MLMD_INSTALL_LOG}"
        )


def ensure_mlmd_python() -> str:
    """Return the peer interpreter, creating ``.peers/mlmd`` first if needed.

    Raises :class:`PeerUnavailableError` when it cannot be created (no ``python3.11``, no
    network, no wheel for this platform). Safe to call from parallel test processes: creation
    happens under a file lock.
    """
    global _ready
    if _ready is not None:
        return _ready
    python = _venv_python(MLMD_VENV)
    if not _works(python):
        MLMD_VENV.parent.mkdir(parents=True, exist_ok=True)
        with open(MLMD_VENV.parent / ".mlmd.lock", "w") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            if not _works(python):  # another process may have finished meanwhile
                with open(MLMD_INSTALL_LOG, "a") as log:
                    try:
                        if not python.exists():
                            _run_logged([MLMD_BASE_PYTHON, "-m", "venv", str(MLMD_VENV)], log)
                        _run_logged(
                            [str(python), "-m", "pip", "install", f"ml-metadata=={MLMD_VERSION}"],
                            log,
                        )
                    except (OSError, subprocess.TimeoutExpired) as exc:
                        raise PeerUnavailableError(f"creating {MLMD_VENV} failed: {exc}") from exc
                if not _works(python):
                    raise PeerUnavailableError(
                        f"{python} still cannot import ml_metadata {MLMD_VERSION}; "
                        f"see {MLMD_INSTALL_LOG}"
                    )
    _ready = str(python)
    return _ready


def mlmd_python() -> str:
    """Path of a Python interpreter that has ml-metadata 1.17.1 installed.

    For use inside tests. When the peer cannot be had, the calling test is skipped with the
    reason, except under ``CI=true``, where that is a test failure.
    """
    try:
        return ensure_mlmd_python()
    except PeerUnavailableError as exc:
        reason = f"ml-metadata {MLMD_VERSION} peer unavailable: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
