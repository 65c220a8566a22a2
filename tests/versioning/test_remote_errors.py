"""A remote that cannot be used (its fsspec package missing, an unknown protocol) is one
VersioningError line, from the library and from the command."""

from __future__ import annotations

import importlib.util

import pytest

from datajourney import versioning as v

from ..cli.conftest import run


def test_an_unknown_protocol_is_one_versioning_error(work):
    with pytest.raises(v.RemoteUnavailableError, match="unknown protocol 'bogus'") as caught:
        v.Remote("bogus://x")
    assert isinstance(caught.value, v.VersioningError)
    assert caught.value.path == "bogus://x"


@pytest.mark.skipif(importlib.util.find_spec("s3fs") is not None, reason="s3fs is installed")
def test_a_missing_fsspec_package_is_named(work):
    with pytest.raises(v.RemoteUnavailableError, match=r"needs the s3fs package.*pip install"):
        v.Remote("s3://bucket/objects")


@pytest.mark.skipif(importlib.util.find_spec("s3fs") is not None, reason="s3fs is installed")
def test_push_to_an_unusable_remote_prints_one_line(work):
    (work / "d").mkdir()
    (work / "d" / "a.csv").write_text("x\n1\n")
    digest = run(work, "data", "snapshot", "d").stdout.strip()
    for url, says in [
        ("s3://bucket/objects", "needs the s3fs package"),
        ("bogus://x", "unknown protocol 'bogus'"),
    ]:
        done = run(work, "data", "push", digest, url)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith("error: RemoteUnavailableError: ")
        assert says in done.stderr and url in done.stderr
        assert "Traceback" not in done.stderr
