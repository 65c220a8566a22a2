"""Running the ``datajourney`` command as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None, modes_bind: bool = False
) -> subprocess.CompletedProcess:
    """``datajourney ARGS`` in ``cwd``, without the caller's DATAJOURNEY_* variables (plus
    ``env``), its output captured as text. ``modes_bind``: when the tests run as root, the
    process runs without the capabilities that let root ignore file modes, so a file or folder
    without write permission is read-only to it as to any user."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAJOURNEY_")} | (env or {})
    as_user = {}
    if modes_bind and os.geteuid() == 0:
        as_user = {"preexec_fn": _drop_file_overrides}
    return subprocess.run(
        [sys.executable, "-m", "datajourney.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **as_user,
    )


def _drop_file_overrides() -> None:
    """Drop CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER from the bounding set (Linux),
    so that the program exec'd next, though root, is held to file modes."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict]:
    cwd = tmp_path_factory.mktemp("cli")
    done = run(cwd, "--json", "demo", "--rows", "400")
    assert done.returncode == 0, done.stderr
    return cwd, json.loads(done.stdout)
