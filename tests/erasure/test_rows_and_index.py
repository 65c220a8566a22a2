"""Rows removed file by file (other records byte for byte), and the subject index: keyed
hashes only, under a secret kept outside the database."""

from __future__ import annotations

import io
import sqlite3

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datajourney import erasure
from datajourney.erasure.config import Hasher
from datajourney.erasure.rows import filter_bytes, key_values, matcher
from datajourney.metadata.store import MetadataStore

SECRET = Hasher(b"k")
IS_42 = matcher(SECRET, [SECRET.of(42)])


def test_csv_records_are_removed_and_the_others_kept_byte_for_byte():
    data = (
        b'id,note,amount\r\n1,"two\r\nlines, quoted",3.50\r\n42,"she said ""hi""",7\r\n'
        b" 42 ,spaces,1\r\n420,not the subject,2\r\n"
    )
    out, removed = filter_bytes(data, "csv", ["id"], IS_42)
    assert removed == 2
    assert out == b'id,note,amount\r\n1,"two\r\nlines, quoted",3.50\r\n420,not the subject,2\r\n'
    assert key_values(data, "csv", ["id"])[0] == 4


def test_json_lines_and_parquet():
    lines = b'{"id": 1, "x": "a"}\n\n{"id": 42, "x": "b"}\n{"id": "42", "x": "c"}\n'
    out, removed = filter_bytes(lines, "jsonl", ["id"], IS_42)
    assert (out, removed) == (b'{"id": 1, "x": "a"}\n\n', 2)
    sink = io.BytesIO()
    pq.write_table(pa.table({"id": [1, 42, None], "v": ["a", "b", "c"]}), sink, compression="zstd")
    out, removed = filter_bytes(sink.getvalue(), "parquet", ["id"], IS_42)
    kept = pq.read_table(pa.BufferReader(out))
    assert removed == 1 and kept.to_pylist() == [{"id": 1, "v": "a"}, {"id": None, "v": "c"}]
    assert pq.ParquetFile(pa.BufferReader(out)).metadata.row_group(0).column(0).compression == (
        "ZSTD"
    )
    assert filter_bytes(sink.getvalue(), "parquet", ["other"], IS_42)[1] == 0


def test_keys_are_normalized_before_hashing():
    assert SECRET.of(42) == SECRET.of("42") == SECRET.of(" 42 ") == SECRET.of(42.0)
    assert SECRET.of("a@x.org") != SECRET.of("A@x.org")
    assert SECRET.of(None) is None and SECRET.of("  ") is None
    assert Hasher(b"other").of(42) != SECRET.of(42)


def test_the_index_holds_keyed_hashes_and_the_secret_lives_outside_the_database(world):
    store = world.store
    report = erasure.index_subjects(store)
    assert report.scanned >= 3 and not report.unreadable
    again = erasure.index_subjects(store)
    assert again.scanned == 0 and again.unchanged == report.scanned + report.unchanged
    key_file = world.folder / "erasure.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    secret = key_file.read_text().strip()
    path = world.folder / "metadata.sqlite"
    conn = sqlite3.connect(path)
    try:
        hashes = [h for (h,) in conn.execute("SELECT subject_hash FROM dj_subject_index")]
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert Hasher(secret.encode()).of(777)[:16] in hashes  # 64 bits of the keyed hash
    assert all(len(h) == 16 for h in hashes)
    assert all(set(h) <= set("0123456789abcdef") for h in hashes)
    assert secret not in dump and "xavier" not in dump


def test_another_secret_rebuilds_the_index(world, monkeypatch):
    store = world.store
    erasure.index_subjects(store)
    monkeypatch.setenv("DATAJOURNEY_ERASURE_SECRET", "another secret")
    report = erasure.index_subjects(store)
    assert report.scanned > 0 and report.unchanged == 0
    assert erasure.erase_subject(store, 777).holding


def test_no_key_column_is_one_clear_error(tmp_path):
    from datajourney.metadata.errors import FailedPreconditionError

    store = MetadataStore(f"sqlite:///{tmp_path / 'm.sqlite'}")
    with pytest.raises(FailedPreconditionError, match="no key column is configured"):
        erasure.erase_subject(store, 1)
    with pytest.raises(Exception, match="unknown field"):
        erasure.configure(store, key_column="x")
    store.close()
