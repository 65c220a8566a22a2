"""``datajourney lake ...`` and ``datajourney warehouse ...`` as a user runs them."""

from __future__ import annotations

import json

from .conftest import run

SCHEMA = """
feature { name: "id" type: INT }
feature { name: "country" type: BYTES domain: "country" }
string_domain { name: "country" value: "de" value: "fr" }
"""


def test_lake_ingest_ls_find_read_sql(tmp_path):
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "a.csv").write_text("id,country\n1,fr\n2,de\n")
    (tmp_path / "landing" / "b.csv").write_text("id,country\n3,xx\n4,fr,extra\n")
    (tmp_path / "schema.pbtxt").write_text(SCHEMA)
    done = run(tmp_path, "--json", "lake", "ingest", "landing", "--tag", "t")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["added"]) == 2
    listed = json.loads(run(tmp_path, "--json", "lake", "ls").stdout)
    assert [e["path"] for e in listed] == ["landing/a.csv", "landing/b.csv"]
    found = json.loads(run(tmp_path, "--json", "lake", "find", "*/a.csv", "--tag", "t").stdout)
    assert [e["path"] for e in found] == ["landing/a.csv"]
    good = run(tmp_path, "--json", "lake", "read", "landing/a.csv", "--schema", "schema.pbtxt")
    assert good.returncode == 0 and json.loads(good.stdout)["row_count"] == 2
    bad = run(tmp_path, "--json", "lake", "read", "landing/b.csv", "--schema", "schema.pbtxt")
    assert bad.returncode == 1
    assert len(json.loads(bad.stdout)["bad_rows"]) == 2
    total = run(
        tmp_path, "--json", "lake", "sql", "SELECT CAST(sum(id) AS INT) AS s FROM lake('*/a.csv')"
    )
    assert json.loads(total.stdout) == [{"s": 3}]
    missing = run(tmp_path, "lake", "read", "nothing/*.csv")
    assert missing.returncode == 2 and "no lake entry matches" in missing.stderr


def test_warehouse_create_load_history_as_of_sql_evolve(tmp_path):
    (tmp_path / "schema.pbtxt").write_text(SCHEMA)
    (tmp_path / "o.csv").write_text("id,country\n1,fr\n2,de\n")
    (tmp_path / "bad.csv").write_text("id,country\n3,xx\n")
    assert (
        run(tmp_path, "warehouse", "create", "sales.o", "--schema", "schema.pbtxt").returncode == 0
    )
    loaded = run(tmp_path, "--json", "warehouse", "load", "sales.o", "o.csv")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["version"] == 1
    refused = run(tmp_path, "warehouse", "load", "sales.o", "bad.csv")
    assert refused.returncode == 1 and "ENUM_TYPE_UNEXPECTED_STRING_VALUES" in refused.stdout
    history = json.loads(run(tmp_path, "--json", "warehouse", "history", "sales.o").stdout)
    assert [v["version"] for v in history] == [0, 1]
    old = run(tmp_path, "--json", "warehouse", "as-of", "sales.o", "--version", "0")
    assert json.loads(old.stdout) == []
    count = run(tmp_path, "--json", "warehouse", "sql", "SELECT count(*) AS n FROM sales.o")
    assert json.loads(count.stdout) == [{"n": 2}]
    (tmp_path / "new.pbtxt").write_text(SCHEMA + 'feature { name: "channel" type: BYTES }\n')
    evolved = run(tmp_path, "--json", "warehouse", "evolve", "sales.o", "new.pbtxt")
    assert json.loads(evolved.stdout) == {"diff": "+ channel", "version": 2}
    nothing = run(tmp_path, "warehouse", "history", "sales.none")
    assert nothing.returncode == 2 and "no warehouse table" in nothing.stderr


def test_warehouse_load_create_refused_leaves_no_table(tmp_path):
    (tmp_path / "bad.csv").write_text("id,country\n1,fr\n2,de,extra\n")
    (tmp_path / "good.csv").write_text("id,country\n1,fr\n2,de\n")
    refused = run(tmp_path, "warehouse", "load", "sales.o", "bad.csv", "--create")
    assert refused.returncode == 1 and "wrong number of fields" in refused.stdout
    assert not (tmp_path / ".datajourney" / "warehouse").exists()
    assert run(tmp_path, "warehouse", "history", "sales.o").returncode == 2
    loaded = run(tmp_path, "--json", "warehouse", "load", "sales.o", "good.csv", "--create")
    assert json.loads(loaded.stdout)["version"] == 1
