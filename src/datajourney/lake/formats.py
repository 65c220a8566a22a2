"""What a raw file holds, told from its first bytes (its name only breaks ties).

The lake keeps files whatever they are; the format found here decides how ``read`` and ``sql``
open them. A file whose name says one format and whose content another is recorded with the
format of its content and the one its name claims (``name_says``), so a reader is never fooled.
"""

from __future__ import annotations

import json
import os

HEAD_BYTES = 8192
#: Formats that read as tables.
TABLES = frozenset({"csv", "tsv", "jsonl", "json", "parquet"})

_MAGIC = [
    (b"PAR1", "parquet"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
]
_BY_SUFFIX = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".pdf": "pdf",
    ".zip": "zip",
    ".gz": "gzip",
    ".txt": "text",
    ".md": "text",
    ".log": "text",
}


def name_format(name: str) -> str | None:
    """The format a file's name claims (by its suffix), or None."""
    return _BY_SUFFIX.get(os.path.splitext(name)[1].lower())


def detect(head: bytes, name: str) -> str:
    """The format of a file from its first bytes (``HEAD_BYTES`` of them) and its name:
    csv, tsv, jsonl, json, parquet, png, jpeg, gif, pdf, zip, gzip, text or binary."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if not head:
        return name_format(name) or "text"
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the head
            return "binary"
        text = head[: error.start].decode("utf-8")
    return _text_format(text, len(head) < HEAD_BYTES, name_format(name))


def _text_format(text: str, whole: bool, claimed: str | None) -> str:
    lines = text.splitlines()
    if not whole and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines if line.strip()]
    if not lines:
        return claimed if claimed in ("csv", "tsv", "text") else "text"
    first = lines[0].lstrip()
    if first.startswith("{") and all(_is_json(line) for line in lines):
        return "jsonl"
    if first.startswith(("[", "{")) and (claimed == "json" or (whole and _is_json(text))):
        return "json"
    for delimiter, kind in (("\t", "tsv"), (",", "csv"), (";", "csv"), ("|", "csv")):
        if delimiter in lines[0] and (claimed in ("csv", "tsv") or len(lines) > 1):
            return kind
    return claimed if claimed in ("csv", "tsv") else "text"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def delimiter_of(head: bytes, kind: str) -> str:
    """The field delimiter of a csv / tsv file."""
    if kind == "tsv":
        return "\t"
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    counts = {d: first.count(d) for d in (",", ";", "|")}
    return max(counts, key=counts.get) if any(counts.values()) else ","
