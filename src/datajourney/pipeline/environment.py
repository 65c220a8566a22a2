"""The reproducibility record of an execution: code version, Python, platform, packages."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True)
class Environment:
    """Where a pipeline run happens; recorded on every execution."""

    git_commit: str  # "" outside a git work tree
    git_dirty: bool
    python_version: str
    platform: str
    packages: str  # "name==version" lines, sorted

    @property
    def packages_digest(self) -> str:
        """SHA-256 of the package list."""
        return hashlib.sha256(self.packages.encode()).hexdigest()

    def properties(self) -> dict[str, str | bool]:
        """The record as execution custom properties."""
        return {
            "git_commit": self.git_commit,
            "git_dirty": self.git_dirty,
            "python_version": self.python_version,
            "platform": self.platform,
            "packages_digest": self.packages_digest,
        }


def current_environment(cwd: str | Path = ".") -> Environment:
    """The environment of this process, run from ``cwd`` (its git work tree, if any)."""
    commit = _git(cwd, "rev-parse", "HEAD")
    dirty = bool(commit) and bool(_git(cwd, "status", "--porcelain", "--untracked-files=no"))
    names = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions() if d.metadata["Name"]
    )
    return Environment(
        git_commit=commit,
        git_dirty=dirty,
        python_version=platform.python_version(),
        platform=platform.platform(),
        packages="\n".join(dict.fromkeys(names)) + "\n",
    )


def _git(cwd: str | Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
