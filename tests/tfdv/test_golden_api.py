"""datajourney.tfdv answers TFDV's public API as real TFDV 1.16.1 did (golden/tfdv/cases.json).

Every case of ``tests/golden/tfdv_cases.py`` ran once with TFDV (``make peers``); here it runs
with ``datajourney.tfdv``: the same JSON result, or an exception of the same class whose message
says the same thing: it names every argument, type, value and path that TFDV's names (the
message's words holding a capital after the first letter, a digit, an underscore or a path;
temporary folders aside). Cases where datajourney still differs are listed in ``DIFFERENT``
with the reason, as strict expected failures: one that starts to agree fails the suite until
it is taken off the list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import datajourney.tfdv as dj_tfdv
from tests.golden.tfdv_cases import CASES, jsonable

ROOT = Path(__file__).resolve().parents[1] / "golden" / "tfdv"
RECORDED = json.loads((ROOT / "cases.json").read_text())["cases"]

# TensorFlow's file errors have no TensorFlow here: a missing file is Python's own.
EQUIVALENT_ERRORS = {"NotFoundError": "FileNotFoundError"}

DIFFERENT: dict[str, str] = {}


def _normalized(message: str, tmp: Path) -> str:
    return re.sub(r"/tmp/[^/\s]+/", "<tmp>/", message.replace(str(tmp) + "/", "<tmp>/"))


def _meaning(message: str) -> set[str]:
    words = re.findall(r"[\w<>./-]+", message)
    return {w.strip(".") for w in words if re.search(r"[0-9_/]|.[A-Z]", w) and w.strip(".")}


def _run(name: str, tmp: Path) -> dict:
    _, function = CASES[name]
    try:
        return {"result": jsonable(function(dj_tfdv, ROOT / "data", tmp))}
    except Exception as error:
        return {"error": type(error).__name__, "message": _normalized(str(error), tmp)}


def _params():
    for name in sorted(RECORDED):
        marks = []
        if name in DIFFERENT:
            marks.append(pytest.mark.xfail(reason=DIFFERENT[name], strict=True))
        yield pytest.param(name, id=f"{RECORDED[name]['group']}-{name}", marks=marks)


@pytest.mark.parametrize("name", list(_params()))
def test_case_answers_as_tfdv(name, tmp_path):
    theirs = dict(RECORDED[name])
    theirs.pop("group")
    ours = _run(name, tmp_path)
    if "error" in theirs:
        theirs["error"] = EQUIVALENT_ERRORS.get(theirs["error"], theirs["error"])
        expected = _meaning(_normalized(theirs.pop("message"), tmp_path))
        found = _meaning(ours.pop("message", ""))
        assert expected - found == set(), f"TFDV's message names {expected - found}; ours not"
    assert ours == theirs


def test_every_case_was_recorded():
    assert sorted(RECORDED) == sorted(CASES)
