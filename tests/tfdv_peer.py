"""Real TensorFlow Data Validation 1.16.1, the peer that the golden fixtures are recorded from.

It lives in its own virtual environment under ``.peers/tfdv`` (about 2.8 GB: TensorFlow and Apache
Beam). Only ``tests/golden/make_tfdv_fixtures.py`` (``make peers``) uses it; ``make test`` reads
the committed fixtures and never needs the peer.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.peer import REPO_ROOT, PeerUnavailableError, _venv_python

try:
    import fcntl
except ImportError:  # Windows: no TFDV wheels there anyway
    fcntl = None

TFDV_VERSION = "1.16.1"
TFDV_VENV = REPO_ROOT / ".peers" / "tfdv"
TFDV_INSTALL_LOG = REPO_ROOT / ".peers" / "tfdv-install.log"
# The set that resolves together: TFDV 1.16.1 wheels exist for CPython 3.9-3.11.
TFDV_BASE_PYTHON = "python3.11"
TFDV_REQUIREMENTS = [
    f"tensorflow-data-validation=={TFDV_VERSION}",
    "tensorflow==2.16.2",
    "apache-beam[gcp]==2.61.0",
    "tfx-bsl==1.16.1",
    "pyarrow==10.0.1",
    "pandas==1.5.3",
    "numpy<2",
]
INSTALL_TIMEOUT_S = 3600


def _works(python: Path) -> bool:
    if not python.exists():
        return False
    probe = (
        "import importlib.metadata as m, tensorflow_data_validation;"
        f"assert m.version('tensorflow-data-validation') == {TFDV_VERSION!r}"
    )
    try:
        done = subprocess.run(
            [str(python), "-c", probe], capture_output=True, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _run_logged(cmd: list[str], log) -> None:
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    done = subprocess.run(
        cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise PeerUnavailableError(
            f"`{' '.join(cmd)}` exited {done.returncode}; see {TFDV_INSTALL_LOG}"
        )


def ensure_tfdv_python() -> str:
    """Return the peer interpreter, creating ``.peers/tfdv`` first if needed.

    Raises :class:`PeerUnavailableError` when it cannot be created (no ``python3.11``, no
    network, no wheel for this platform). Creation happens under a file lock.
    """
    python = _venv_python(TFDV_VENV)
    if _works(python):
        return str(python)
    TFDV_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(TFDV_VENV.parent / ".tfdv.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not _works(python):  # another process may have finished meanwhile
            with open(TFDV_INSTALL_LOG, "a") as log:
                try:
                    if not python.exists():
                        _run_logged([TFDV_BASE_PYTHON, "-m", "venv", str(TFDV_VENV)], log)
                    _run_logged([str(python), "-m", "pip", "install", *TFDV_REQUIREMENTS], log)
                except (OSError, subprocess.TimeoutExpired) as exc:
                    raise PeerUnavailableError(f"creating {TFDV_VENV} failed: {exc}") from exc
            if not _works(python):
                raise PeerUnavailableError(
                    f"{python} still cannot import tensorflow_data_validation {TFDV_VERSION}; "
                    f"see {TFDV_INSTALL_LOG}"
                )
    return str(python)


if __name__ == "__main__":
    print(ensure_tfdv_python())
