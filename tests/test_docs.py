"""The README's and the guides' Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_examples_run(document: Path, tmp_path, monkeypatch):
    blocks = CODE_BLOCK.findall(document.read_text())
    assert blocks, f"{document.name} has no Python examples"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATAJOURNEY_STORE", raising=False)
    namespace: dict = {}
    for number, block in enumerate(blocks, 1):
        code = compile(block, f"{document.name} example {number}", "exec")
        exec(code, namespace)
