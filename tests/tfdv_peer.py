"""Real TensorFlow Data Validation 1.16.1, the peer that the golden fixtures are recorded from.

It lives in its own virtual environment under ``.peers/tfdv`` (about 2.8 GB: TensorFlow and Apache
Beam). Only ``tests/golden/make_tfdv_fixtures.py`` (``make peers``) uses it; ``make test`` reads
the committed fixtures and never needs the peer.
"""

from __future__ import annotations

from tests.peer import PeerVenv

TFDV_VERSION = "1.16.1"
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
TFDV_PEER = PeerVenv(
    "tfdv",
    TFDV_REQUIREMENTS,
    "import importlib.metadata as m, tensorflow_data_validation;"
    f"assert m.version('tensorflow-data-validation') == {TFDV_VERSION!r}",
    base_python=TFDV_BASE_PYTHON,
    timeout_s=3600,
)


def ensure_tfdv_python() -> str:
    """Return the TFDV peer interpreter, creating ``.peers/tfdv`` first if needed (raises
    :class:`PeerUnavailableError` when it cannot be created)."""
    return TFDV_PEER.ensure()


if __name__ == "__main__":
    print(ensure_tfdv_python())
