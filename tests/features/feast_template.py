"""Feast's own ``feast init`` local template, taken at test time from the Feast peer
(``.peers/feast``): bootstrapped there the way ``feast init`` does it (its bootstrap writes the
data and fills the placeholders), then one copy kept as it is for Feast and one with only the
imports and the two CLI lines changed for datajourney. Nothing of the template is stored in
this repository."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.features.feast_peer import feast_python

PROJECT = "demo"


def _template_folder(python: str) -> Path:
    done = subprocess.run(
        [python, "-c", "import feast, os; print(os.path.dirname(feast.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return Path(done.stdout.strip()) / "templates" / "local"


def for_datajourney(text: str) -> str:
    """A Feast script with only its imports and ``feast apply|teardown`` lines changed."""
    text = re.sub(r"^(\s*)from feast(\.|\s)", r"\1from datajourney.feast\2", text, flags=re.M)
    text = re.sub(r"^(\s*)import feast\b", r"\1import datajourney.feast as feast", text, flags=re.M)
    return re.sub(r'\["feast", "(apply|teardown)"\]', r'["datajourney", "features", "\1"]', text)


def bootstrap(folder: Path) -> tuple[Path, Path]:
    """The template bootstrapped in ``folder/feast/demo`` (as Feast ships it) and copied to
    ``folder/ours/demo`` with the imports changed; returns both ``feature_repo`` folders.
    Skips the test (with the reason) when the Feast peer cannot be installed."""
    python = feast_python()
    template = _template_folder(python)
    project = folder / "feast" / PROJECT
    shutil.copytree(template, project, ignore=shutil.ignore_patterns("__pycache__", "README.md"))
    subprocess.run(
        [python, str(project / "bootstrap.py")], check=True, capture_output=True, timeout=300
    )
    (project / "bootstrap.py").unlink()
    (project / "__init__.py").unlink(missing_ok=True)
    feast_repo = project / "feature_repo"
    yaml = feast_repo / "feature_store.yaml"  # feast init names the project after its folder
    yaml.write_text(yaml.read_text().replace("project: my_project", f"project: {PROJECT}"))
    ours = folder / "ours" / PROJECT
    shutil.copytree(project, ours)
    ours_repo = ours / "feature_repo"
    for path in ours_repo.glob("*.py"):
        path.write_text(for_datajourney(path.read_text()))
    return feast_repo, ours_repo
