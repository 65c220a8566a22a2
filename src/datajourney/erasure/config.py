"""What erasure needs to know: the key column(s) naming a data subject (for all data sets, or
per data set name pattern), where the data lives, and the secret of the keyed hashes.

Subject keys are never stored: the index keeps ``HMAC-SHA256(secret, normalized key)``. The
secret comes from ``$DATAJOURNEY_ERASURE_SECRET``, else from a key file (default
``erasure.key`` in the store folder, created with a random secret on first use), never from the
database holding the hashes.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..metadata.errors import FailedPreconditionError, InvalidArgumentError
from ..metadata.store import MetadataStore
from . import tables

SECRET_ENV = "DATAJOURNEY_ERASURE_SECRET"
_digest = hmac.digest
KEY_FILE = "erasure.key"


@dataclass
class ErasureConfig:
    """Key columns (``key_columns`` for every data set, ``datasets``: name pattern -> columns,
    first match wins), the object store folders, the warehouse roots, the folders whose files
    erasure may rewrite (``roots``, default the store folder), extra online stores (as in
    ``feature_store.yaml``), and the key file."""

    key_columns: list[str] = field(default_factory=list)
    datasets: dict[str, list[str]] = field(default_factory=dict)
    objects: list[str] = field(default_factory=list)
    warehouses: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    online_stores: list[dict[str, Any]] = field(default_factory=list)
    key_file: str = ""

    def columns_for(self, name: str) -> list[str]:
        """The key columns of the data set called ``name`` (lake path, table, file)."""
        for pattern, columns in self.datasets.items():
            if fnmatch.fnmatchcase(name, pattern):
                return list(columns)
        return list(self.key_columns)

    def to_json(self) -> dict[str, Any]:
        return {
            "key_columns": self.key_columns,
            "datasets": self.datasets,
            "objects": self.objects,
            "warehouses": self.warehouses,
            "roots": self.roots,
            "online_stores": self.online_stores,
            "key_file": self.key_file,
        }


_FIELDS = set(ErasureConfig().to_json())


def store_folder(store: MetadataStore) -> Path:
    """The folder of a SQLite store's file (else ``./.datajourney``)."""
    url = store.url
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url[len("sqlite:///") :]).absolute().parent
    if "://" not in url and Path(url).is_file():
        return Path(url).absolute().parent
    return Path(".datajourney").absolute()


def configure(store: MetadataStore, **values: Any) -> ErasureConfig:
    """Change the stored erasure configuration (fields of ``ErasureConfig``); the result."""
    unknown = set(values) - _FIELDS
    if unknown:
        raise InvalidArgumentError(
            f"erasure configuration: unknown field(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_FIELDS))}"
        )
    if "key_columns" in values and isinstance(values["key_columns"], str):
        values["key_columns"] = [values["key_columns"]]
    for name in ("objects", "warehouses", "roots"):
        if name in values:
            values[name] = [str(Path(p).absolute()) for p in values[name]]
    with tables.connection(store) as conn:
        tables.set_config(conn, values)
    return load_config(store)


def load_config(store: MetadataStore) -> ErasureConfig:
    """The stored configuration, with defaults for what is not set."""
    with tables.reading(store) as conn:
        stored = tables.get_config(conn) if conn is not None else {}
    return ErasureConfig(**{k: v for k, v in stored.items() if k in _FIELDS})


def secret(store: MetadataStore, config: ErasureConfig, create: bool = True) -> bytes:
    """The keyed-hash secret: $DATAJOURNEY_ERASURE_SECRET, else the key file (created; unless
    ``create`` is false: then a throwaway secret, as nothing can be indexed under the file's
    secret before the file exists)."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env.encode()
    path = Path(config.key_file) if config.key_file else store_folder(store) / KEY_FILE
    if not path.exists() and not create:
        return secrets.token_hex(32).encode()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    if not text:
        raise FailedPreconditionError(f"erasure key file {path} is empty")
    return text.encode()


def normalize(value: Any) -> str | None:
    """A key value as the text that is hashed: integers (also integral floats) in decimal,
    text stripped of outer spaces; None for a missing value."""
    kind = type(value)
    if kind is int:  # the usual key: no other checks
        return str(value)
    if kind is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if hasattr(value, "item") and not isinstance(value, str):
        return normalize(value.item())
    text = str(value).strip()
    return text or None


class Hasher:
    """Keyed hashes of subject keys under one secret."""

    def __init__(self, key: bytes):
        self._key = key

    def of(self, value: Any) -> str | None:
        """The keyed hash of a key value (None for a missing value)."""
        text = normalize(value)
        if text is None:
            return None
        return _digest(self._key, text.encode("utf-8"), "sha256").hex()

    @property
    def fingerprint(self) -> str:
        """Tells whether the index was built under this secret (no use without it)."""
        return hmac.new(self._key, b"datajourney-erasure-index", hashlib.sha256).hexdigest()
