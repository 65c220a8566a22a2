"""Erasing a subject from a warehouse (Delta) table: now and in its whole history.

Delta deletes are logical: the old Parquet files stay for time travel, and the log keeps
per-file statistics (min / max values), the delete's predicate, and the warehouse's TFMD schema
(whose string domains can list the subject's values). So erasing a table:

1. records a new version without the subject's rows (the warehouse's ``delete``, a
   ``WarehouseLoad`` execution in the lineage), when the latest version holds them;
2. writes, beside every Parquet file of any version that holds them, the file without those
   rows;
3. rewrites the log (JSON commits and Parquet checkpoints): those files' sizes and statistics
   (row and null counts; min / max dropped), predicates naming the subject, and schema domain
   values only the subject had;
4. puts the new files in place of the old ones.

Every version stays readable (other subjects' time travel and lineage keep working), and no
file of the table holds the subject any more. Each step is safe to run again after a crash:
the log is rewritten before any data file is replaced, so the subject's values are still in
the files while the log still needs them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.parquet as pq

from ..metadata.store import MetadataStore
from .datasets import TMP_SUFFIX, delta_files, table_name
from .rows import Match, UnsupportedFormatError, filter_table, plain

ERASED = "<erased subject>"
SCHEMA_KEY = "datajourney.schema"


def versions_holding(location: Path, rels: set[str]) -> list[int]:
    """The table versions whose files include one of ``rels`` (relative paths)."""
    from deltalake import DeltaTable

    table = DeltaTable(str(location))
    found = []
    for version in range(table.version() + 1):
        try:
            table.load_as_version(version)
        except Exception:  # a version whose log was cleaned up
            continue
        if rels & active_files(table, location):
            found.append(version)
    return found


def active_files(table: Any, location: Path) -> set[str]:
    """The relative paths of the files a loaded ``DeltaTable`` version reads."""
    out = set()
    for uri in table.file_uris():
        path = unquote(uri[len("file://") :] if uri.startswith("file://") else uri)
        try:
            out.add(Path(path).relative_to(location).as_posix())
        except ValueError:
            out.add(path)
    return out


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _stats(table: pa.Table, old: dict) -> str:
    counts = {
        name: table.column(name).null_count
        for name in old.get("nullCount", {})
        if name in table.column_names and not isinstance(old["nullCount"][name], dict)
    }
    return json.dumps({"numRecords": table.num_rows, "nullCount": counts})


def _strings(table: pa.Table) -> set[str]:
    out: set[str] = set()
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            out.update(v for v in column.unique().to_pylist() if v is not None)
    return out


def erase_table(
    store: MetadataStore,
    location: Path,
    columns: list[str],
    match: Match,
    state: dict[str, Any],
    save: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """Remove the matching rows from a Delta table's latest version and its history (see the
    module); ``state`` is what an earlier, interrupted run of this step saved."""
    _refuse_unsupported(location, columns)
    affected: dict[Path, pa.Table] = {}
    gone_strings: set[str] = set()
    keys: dict[str, set] = {}
    removed_rows = 0
    files = delta_files(location)
    for file in files:
        present = [c for c in columns if c in pq.ParquetFile(file).schema_arrow.names]
        if not present:
            continue
        _, hits = filter_table(plain(pq.read_table(file, columns=present)), present, match)
        if not hits.num_rows:  # only the key columns read, for the files without the subject
            continue
        kept, removed = filter_table(plain(pq.read_table(file)), columns, match)
        affected[file] = kept
        removed_rows += removed.num_rows
        gone_strings |= _strings(removed)
        for column in present:
            keys.setdefault(column, set()).update(
                v for v in removed.column(column).to_pylist() if v is not None
            )
    domain_values = _only_theirs(location, files, affected, gone_strings)
    name = table_name(location)
    rels = {f.relative_to(location).as_posix() for f in affected}
    versions = versions_holding(location, rels) if rels else []
    if "delete_version" not in state:
        state["delete_version"] = _delete_latest(store, location, name, rels, keys)
        state["versions"] = versions
        save(state)
    if not affected:
        return {"table": name, **state, "files_rewritten": state.get("files_rewritten", 0)}
    sizes = {}
    for file, kept in affected.items():
        tmp = file.with_name(file.name + TMP_SUFFIX)
        pq.write_table(kept, tmp, compression=_codec(file))
        sizes[file.relative_to(location).as_posix()] = (tmp.stat().st_size, kept)
    key_texts = {str(v) for values in keys.values() for v in values}
    _rewrite_log(location, sizes, state["delete_version"], key_texts, domain_values)
    for file in affected:
        os.replace(file.with_name(file.name + TMP_SUFFIX), file)
    state["files_rewritten"] = state.get("files_rewritten", 0) + len(affected)
    state["rows_removed"] = state.get("rows_removed", 0) + removed_rows
    save(state)
    return {"table": name, **state}


def _only_theirs(
    location: Path, files: list[Path], affected: dict[Path, pa.Table], gone: set[str]
) -> set[str]:
    """The subject's text values listed in a schema domain of the log that no other row of
    any version holds (those leave the domain)."""
    listed = set()
    for commit in sorted((location / "_delta_log").glob("*.json")) if gone else []:
        for line in commit.read_text().splitlines():
            info = json.loads(line).get("commitInfo") if SCHEMA_KEY in line else None
            if info and isinstance(info.get(SCHEMA_KEY), str):
                listed |= gone & _domain_values(info[SCHEMA_KEY])
    if not listed:
        return set()
    import pyarrow.compute as pc

    candidates = pa.array(sorted(listed), pa.string())
    still: set[str] = set()
    for file in files:
        table = affected.get(file)
        if table is None:
            names = [
                f.name
                for f in pq.ParquetFile(file).schema_arrow
                if pa.types.is_string(f.type)
                or pa.types.is_large_string(f.type)
                or pa.types.is_string_view(f.type)
            ]
            table = plain(pq.read_table(file, columns=names)) if names else None
        if table is None:
            continue
        for column in table.columns:
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                hits = column.filter(pc.is_in(column, value_set=candidates))
                still.update(v for v in hits.unique().to_pylist() if v is not None)
    return listed - still


def _refuse_unsupported(location: Path, columns: list[str]) -> None:
    """Tables erasure cannot rewrite correctly: rows hidden by deletion vectors (their row
    numbers would point at other rows after a rewrite), and partitions by a key column (its
    values are folder names)."""
    for commit in sorted((location / "_delta_log").glob("*.json")):
        for line in commit.read_text().splitlines():
            if not line.strip():
                continue
            action = json.loads(line)
            if (action.get("add") or {}).get("deletionVector"):
                raise UnsupportedFormatError(
                    f"{location}: the table uses deletion vectors; erasure cannot rewrite it "
                    "(purge them first, e.g. with Spark's REORG TABLE ... APPLY (PURGE))"
                )
            partitions = (action.get("metaData") or {}).get("partitionColumns") or []
            keyed = sorted(set(partitions) & set(columns))
            if keyed:
                raise UnsupportedFormatError(
                    f"{location}: the table is partitioned by the key column(s) "
                    f"{', '.join(keyed)}, whose values are folder names; erasure cannot "
                    "rewrite it"
                )


def _codec(file: Path) -> str:
    meta = pq.ParquetFile(file).metadata
    if meta.num_row_groups and meta.num_columns:
        name = meta.row_group(0).column(0).compression.lower()
        return "none" if name == "uncompressed" else name
    return "snappy"


def _delete_latest(
    store: MetadataStore, location: Path, name: str, rels: set[str], keys: dict[str, set]
) -> int | None:
    """Record a new version without the rows (when the latest version holds them)."""
    from deltalake import DeltaTable

    from ..warehouse import Warehouse

    latest = active_files(DeltaTable(str(location)), location)
    if not rels & latest or not keys:
        return None
    predicate = " OR ".join(
        f'"{column}" IN ({", ".join(_literal(v) for v in sorted(values, key=str))})'
        for column, values in keys.items()
    )
    warehouse = Warehouse(location.parent.parent, store=store)
    return warehouse.delete(name, predicate).version


def _rewrite_log(
    location: Path,
    files: dict[str, tuple[int, pa.Table]],
    delete_version: int | None,
    key_texts: set[str],
    domain_values: set[str],
) -> None:
    log = location / "_delta_log"
    tokens = [re.compile(r"(?<![\w@.\-])" + re.escape(t) + r"(?![\w@.\-])") for t in key_texts if t]
    for commit in sorted(log.glob("*.json")):
        version = int(commit.name.split(".")[0]) if commit.name[:20].isdigit() else -1
        lines = commit.read_text().splitlines()
        out, changed = [], False
        for line in lines:
            if not line.strip():
                out.append(line)
                continue
            action = json.loads(line)
            if _patch_action(action, files, version == delete_version, tokens, domain_values):
                changed = True
                line = json.dumps(action, separators=(",", ":"))
            out.append(line)
        if changed:
            _replace_text(commit, "\n".join(out) + "\n")
    for checkpoint in sorted(log.glob("*.checkpoint*.parquet")):
        _patch_checkpoint(checkpoint, files)


def _patch_action(
    action: dict,
    files: dict[str, tuple[int, pa.Table]],
    ours: bool,
    tokens: list[re.Pattern],
    domain_values: set[str],
) -> bool:
    changed = False
    for kind in ("add", "remove", "cdc"):
        body = action.get(kind)
        if _patch_file_action(body, files):
            body.pop("stats_parsed", None)
            changed = True
    info = action.get("commitInfo")
    if info:
        parameters = info.get("operationParameters") or {}
        for key, value in list(parameters.items()):
            text = value if isinstance(value, str) else json.dumps(value)
            if (ours and key == "predicate") or any(t.search(text) for t in tokens):
                parameters[key] = ERASED
                changed = True
        if isinstance(info.get(SCHEMA_KEY), str) and domain_values:
            scrubbed = _scrub_schema(info[SCHEMA_KEY], domain_values)
            if scrubbed != info[SCHEMA_KEY]:
                info[SCHEMA_KEY] = scrubbed
                changed = True
    return changed


def _domain_values(text: str) -> set[str]:
    from google.protobuf import text_format
    from tensorflow_metadata.proto.v0 import schema_pb2

    schema = text_format.Parse(text, schema_pb2.Schema())
    found = {v for d in schema.string_domain for v in d.value}
    return found | {v for f in schema.feature for v in f.string_domain.value}


def _scrub_schema(text: str, values: set[str]) -> str:
    """The schema text without string-domain values that only the erased rows had."""
    from google.protobuf import text_format
    from tensorflow_metadata.proto.v0 import schema_pb2

    schema = text_format.Parse(text, schema_pb2.Schema())
    domains = [d for d in schema.string_domain] + [
        f.string_domain for f in schema.feature if f.HasField("string_domain")
    ]
    touched = False
    for domain in domains:
        kept = [v for v in domain.value if v not in values]
        if len(kept) != len(domain.value):
            del domain.value[:]
            domain.value.extend(kept)
            touched = True
    return text_format.MessageToString(schema) if touched else text


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + TMP_SUFFIX)
    tmp.write_text(text)
    os.replace(tmp, path)


def _patch_file_action(body: dict | None, files: dict[str, tuple[int, pa.Table]]) -> bool:
    """Give an add/remove/cdc action of a rewritten file the new file's size and statistics;
    False when the action names no rewritten file."""
    if not body or unquote(body.get("path") or "") not in files:
        return False
    size, kept = files[unquote(body["path"])]
    if "size" in body:
        body["size"] = size
    if body.get("stats"):
        body["stats"] = _stats(kept, json.loads(body["stats"]))
    return True


def _patch_checkpoint(path: Path, files: dict[str, tuple[int, pa.Table]]) -> None:
    table = pq.read_table(path)
    rows = table.to_pylist()
    changed = False
    for row in rows:
        for kind in ("add", "remove"):
            body = row.get(kind)
            if _patch_file_action(body, files):
                if "stats_parsed" in body:
                    body["stats_parsed"] = None
                changed = True
    if not changed:
        return
    tmp = path.with_name(path.name + TMP_SUFFIX)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), tmp)
    os.replace(tmp, path)
    last = path.parent / "_last_checkpoint"
    if last.exists():
        pointer = json.loads(last.read_text())
        if pointer.get("version") == int(path.name.split(".")[0]) and "sizeInBytes" in pointer:
            pointer["sizeInBytes"] = path.stat().st_size
            _replace_text(last, json.dumps(pointer))
