"""Run every differential scenario against one ml-metadata implementation.

Usage::

    python runner.py <prefix> <out.json> [scenario_name ...]

``prefix`` is ``ml_metadata`` (the real library, in the peer interpreter) or
``datajourney.mlmd`` (the drop-in).  The three modules ``<prefix>.metadata_store``,
``<prefix>.proto.metadata_store_pb2`` and ``<prefix>.errors`` are imported by name and
handed to each scenario through an :class:`Env`.  Every call a scenario makes through
``env.call`` / ``env.record`` is written to a transcript; ``out.json`` maps scenario name
to transcript.  Both implementations must produce identical transcripts.

This file runs under the peer's interpreter too, so it uses only the standard library and
``google.protobuf``.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import tempfile
import traceback
from typing import Any

from google.protobuf import message as _message
from google.protobuf import text_format

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import scenarios  # noqa: E402

# Fields whose values depend on the wall clock: cleared before recording.
VOLATILE_FIELDS = frozenset(
    {"create_time_since_epoch", "last_update_time_since_epoch", "milliseconds_since_epoch"}
)
# Ports of gRPC servers over empty stores: ``Env.new_store`` then connects to them, one each.
GRPC_PORTS = [int(p) for p in os.environ.get("MLMD_DIFF_GRPC_PORTS", "").split(",") if p]
# A label containing this marker says the order of a returned list is unspecified.
ANY_ORDER = "[any order]"


def _clear_volatile(msg: _message.Message) -> None:
    """Clear the clock-dependent fields of ``msg`` and of every message nested in it."""
    for field, value in msg.ListFields():
        if field.name in VOLATILE_FIELDS:
            msg.ClearField(field.name)
            continue
        if field.type != field.TYPE_MESSAGE:
            continue
        if field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            if value_field.type == value_field.TYPE_MESSAGE:
                for item in value.values():
                    _clear_volatile(item)
        elif _is_repeated(field):
            for item in value:
                _clear_volatile(item)
        else:
            _clear_volatile(value)


def _is_repeated(field: Any) -> bool:
    repeated = getattr(field, "is_repeated", None)  # protobuf >= 6 drops ``label``
    if repeated is not None:
        return bool(repeated)
    return field.label == field.LABEL_REPEATED


def _message_text(msg: _message.Message) -> str:
    copy = type(msg)()
    copy.CopyFrom(msg)
    _clear_volatile(copy)
    return text_format.MessageToString(copy, as_one_line=True, as_utf8=True)


def _sort_key(item: Any) -> str:
    return json.dumps(item, sort_keys=True)


def normalize(value: Any, any_order: bool = False) -> Any:
    """Turn a value returned by the store into plain JSON data."""
    if isinstance(value, _message.Message):
        if type(value).__name__ == "LineageGraph":
            # Field by field, so that a mismatch reads well; the order of nodes and
            # edges in a lineage graph is unspecified by ml-metadata.
            return {
                field.name: sorted(_message_text(item) for item in items)
                for field, items in value.ListFields()
            }
        return _message_text(value)
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, dict):
        return {str(k): normalize(v, any_order) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or _is_repeated_container(value):
        items = [normalize(v, any_order) for v in value]
        if any_order:
            items.sort(key=_sort_key)
        return items
    return f"<{type(value).__name__}>"


def _is_repeated_container(value: Any) -> bool:
    return hasattr(value, "__len__") and hasattr(value, "__iter__") and not isinstance(value, str)


class Env:
    """What a scenario sees: the implementation's modules plus a transcript recorder."""

    def __init__(self, prefix: str, workdir: str) -> None:
        self.import_module = importlib.import_module
        self.prefix = prefix
        # What the seed imports: ``from ml_metadata.metadata_store import metadata_store``.
        self.metadata_store = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
        self.pb = importlib.import_module(f"{prefix}.proto.metadata_store_pb2")
        self.errors = importlib.import_module(f"{prefix}.errors")
        self._workdir = workdir
        self._grpc_ports = GRPC_PORTS
        self._count = 0
        self.transcript: list[list[Any]] = []

    # -- stores ---------------------------------------------------------------------------
    def new_db_path(self) -> str:
        self._count += 1
        return os.path.join(self._workdir, f"store_{self._count}.sqlite")

    def sqlite_config(self, path: str, mode: str = "READWRITE_OPENCREATE") -> Any:
        config = self.pb.ConnectionConfig()
        config.sqlite.filename_uri = path
        config.sqlite.connection_mode = getattr(self.pb.SqliteMetadataSourceConfig, mode)
        return config

    def new_store(self) -> Any:
        """A fresh store on a new SQLite file; with ``MLMD_DIFF_GRPC_PORTS`` set (ports of
        gRPC servers, each over an empty store), a client of the next of those servers."""
        if self._grpc_ports:
            config = self.pb.MetadataStoreClientConfig(host="127.0.0.1")
            config.port = self._grpc_ports.pop(0)
            return self.metadata_store.MetadataStore(config)
        return self.metadata_store.MetadataStore(self.sqlite_config(self.new_db_path()))

    def open_store(self, path: str, mode: str = "READWRITE_OPENCREATE") -> Any:
        return self.metadata_store.MetadataStore(self.sqlite_config(path, mode))

    def new_fake_store(self) -> Any:
        """A fresh in-memory store (``ConnectionConfig.fake_database``)."""
        config = self.pb.ConnectionConfig(fake_database=self.pb.FakeDatabaseConfig())
        return self.metadata_store.MetadataStore(config)

    # -- recording ------------------------------------------------------------------------
    def record(self, label: str, value: Any) -> Any:
        self.transcript.append([label, normalize(value, ANY_ORDER in label)])
        return value

    def call(self, label: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call ``fn`` and record its result, or the class name of the error it raised.

        Returns the result, or ``None`` when the call raised.
        """
        try:
            result = fn(*args, **kwargs)
        except Exception as e:  # recording the error class is the point
            self.transcript.append([label, {"error": type(e).__name__}])
            return None
        self.record(label, result)
        return result


def scenario_names() -> list[str]:
    return [name for name in dir(scenarios) if name.startswith("scenario_")]


def run_all(prefix: str, names: list[str] | None = None) -> dict[str, list[list[Any]]]:
    results: dict[str, list[list[Any]]] = {}
    for name in names or scenario_names():
        workdir = tempfile.mkdtemp(prefix="mlmd_diff_")
        try:
            env = Env(prefix, workdir)
            try:
                getattr(scenarios, name)(env)
            except Exception as e:  # one failure must not hide the others
                env.transcript.append(["<scenario aborted>", {"error": type(e).__name__}])
                tb = traceback.format_exc(limit=-3)
                print(f"{name}: aborted with {type(e).__name__}\n{tb}", file=sys.stderr)
            results[name] = env.transcript
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    prefix, out = argv[1], argv[2]
    results = run_all(prefix, argv[3:] or None)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
