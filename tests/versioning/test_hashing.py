"""Streaming hashes: one pass over a file gives the same digest as hashing it whole."""

from __future__ import annotations

import errno
import os

import pytest

from datajourney.versioning import fileio, hashing


def cross_device(*args):
    raise OSError(errno.EXDEV, "Invalid cross-device link")


@pytest.fixture
def small_chunks(monkeypatch):
    """8-byte chunks, so a short file spans many of them."""
    monkeypatch.setattr(fileio, "CHUNK", 8)
    monkeypatch.setattr(hashing, "PARALLEL_BYTES", 16)


@pytest.mark.parametrize("kernel_copy", [True, False])
@pytest.mark.parametrize("size", [0, 7, 8, 9, 64, 1001])
def test_hash_copy_hashes_and_copies_every_byte(
    tmp_path, small_chunks, monkeypatch, size, kernel_copy
):
    if not kernel_copy:  # another file system: copied through user space
        monkeypatch.setattr(os, "copy_file_range", cross_device, raising=False)
    content = os.urandom(size)
    (tmp_path / "src").write_bytes(content)
    src = os.open(tmp_path / "src", os.O_RDONLY)
    dst = os.open(tmp_path / "dst", os.O_RDWR | os.O_CREAT)
    try:
        assert hashing.hash_copy(src, dst, size) == hashing.hash_bytes(content)
        assert hashing.hash_fd(src, size) == hashing.hash_bytes(content)
    finally:
        os.close(src)
        os.close(dst)
    assert (tmp_path / "dst").read_bytes() == content
    assert hashing.hash_file(tmp_path / "src") == hashing.hash_bytes(content)


def test_hash_copy_stops_where_a_file_ends(tmp_path, small_chunks):
    (tmp_path / "src").write_bytes(b"x" * 20)
    src = os.open(tmp_path / "src", os.O_RDONLY)
    dst = os.open(tmp_path / "dst", os.O_RDWR | os.O_CREAT)
    try:
        assert hashing.hash_copy(src, dst, 100) == hashing.hash_bytes(b"x" * 20)
    finally:
        os.close(src)
        os.close(dst)
    assert (tmp_path / "dst").read_bytes() == b"x" * 20


def test_a_write_error_stops_the_copy(tmp_path, small_chunks, monkeypatch):
    (tmp_path / "src").write_bytes(b"y" * 100)

    def broken(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio, "write_chunk", broken)
    monkeypatch.setattr(os, "copy_file_range", broken, raising=False)
    src = os.open(tmp_path / "src", os.O_RDONLY)
    dst = os.open(tmp_path / "dst", os.O_RDWR | os.O_CREAT)
    try:
        with pytest.raises(OSError):
            hashing.hash_copy(src, dst, 100)
    finally:
        os.close(src)
        os.close(dst)
