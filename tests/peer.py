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
from dataclasses import dataclass, field
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: no ml-metadata wheels there anyway
    fcntl = None

REPO_ROOT = Path(__file__).resolve().parents[1]
MLMD_VERSION = "1.17.1"
MLMD_VENV = REPO_ROOT / ".peers" / "mlmd"
# ml-metadata 1.17.1 publishes wheels for a few CPython versions only; 3.11 is one of them.
MLMD_BASE_PYTHON = "python3.11"


class PeerUnavailableError(RuntimeError):
    """The peer environment does not exist and could not be created."""


def _venv_python(venv: Path) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


@dataclass
class PeerVenv:
    """A peer tool in its own virtual environment under ``.peers/<name>``, created on demand
    (under a file lock, so parallel test processes create it once) and checked by ``probe``."""

    name: str
    requirements: list[str]
    probe: str  # Python code that fails unless the right version imports
    base_python: str = "python3.11"
    timeout_s: int = 1200
    _ready: str | None = field(default=None, repr=False)

    @property
    def venv(self) -> Path:
        return REPO_ROOT / ".peers" / self.name

    @property
    def log_path(self) -> Path:
        return REPO_ROOT / ".peers" / f"{self.name}-install.log"

    def _works(self, python: Path) -> bool:
        if not python.exists():
            return False
        try:
            done = subprocess.run(
                [str(python), "-c", self.probe], capture_output=True, timeout=300, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0

    def _run_logged(self, cmd: list[str], log) -> None:
        log.write(f"$ {' '.join(cmd)}\n")
        log.flush()
        done = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=self.timeout_s,
            check=False,
        )
        if done.returncode != 0:
            raise PeerUnavailableError(
                f"`{' '.join(cmd)}` exited {done.returncode}; see {self.log_path}"
            )

    def ensure(self) -> str:
        """The peer interpreter, creating the environment first if needed.

        Raises :class:`PeerUnavailableError` when it cannot be created (no base interpreter,
        no network, no wheel for this platform).
        """
        if self._ready is not None:
            return self._ready
        python = _venv_python(self.venv)
        if not self._works(python):
            self.venv.parent.mkdir(parents=True, exist_ok=True)
            with open(self.venv.parent / f".{self.name}.lock", "w") as lock:
                if fcntl is not None:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                if not self._works(python):  # another process may have finished meanwhile
                    self._create(python)
        self._ready = str(python)
        return self._ready

    def _create(self, python: Path) -> None:
        with open(self.log_path, "a") as log:
            try:
                if not python.exists():
                    self._run_logged([self.base_python, "-m", "venv", str(self.venv)], log)
                self._run_logged([str(python), "-m", "pip", "install", *self.requirements], log)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PeerUnavailableError(f"creating {self.venv} failed: {exc}") from exc
        if not self._works(python):
            raise PeerUnavailableError(
                f"{python} still fails its check ({self.probe}); see {self.log_path}"
            )


MLMD_PEER = PeerVenv(
    "mlmd",
    [f"ml-metadata=={MLMD_VERSION}"],
    "import importlib.metadata as m, ml_metadata.proto.metadata_store_pb2;"
    f"assert m.version('ml-metadata') == {MLMD_VERSION!r}",
    base_python=MLMD_BASE_PYTHON,
)


def ensure_mlmd_python() -> str:
    """Return the ml-metadata peer interpreter, creating ``.peers/mlmd`` first if needed
    (raises :class:`PeerUnavailableError` when it cannot be created)."""
    return MLMD_PEER.ensure()


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
