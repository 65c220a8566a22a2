"""Fixtures: a working folder with its own warehouse and a curated schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.warehouse import Warehouse

ORDERS_SCHEMA = """
feature { name: "id" type: INT presence { min_fraction: 1 } }
feature { name: "amount" type: FLOAT float_domain { min: 0 } }
feature { name: "country" type: BYTES domain: "country" }
string_domain { name: "country" value: "de" value: "fr" value: "it" }
"""


def orders_schema() -> schema_pb2.Schema:
    return text_format.Parse(ORDERS_SCHEMA, schema_pb2.Schema())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("DATAJOURNEY_OBJECTS", "DATAJOURNEY_STORE", "DATAJOURNEY_WAREHOUSE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def wh(work) -> Warehouse:
    opened = Warehouse()
    yield opened
    opened.close()


@pytest.fixture
def orders(wh) -> str:
    """An empty ``sales.orders`` table with the curated schema."""
    wh.create("sales.orders", orders_schema())
    return "sales.orders"
