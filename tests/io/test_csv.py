"""CSV reading: TFDV's typing, missing values, bad rows and clear errors."""

from __future__ import annotations

import pyarrow as pa
import pytest

from datajourney.io import DataReadError, read_csv


def write(path, text: str):
    path.write_text(text)
    return path


def test_columns_are_typed_int_float_or_string(tmp_path):
    path = write(tmp_path / "d.csv", "i,f,s,b,d\n1,1.5,x,true,2020-01-01\n2,2,y,false,2020-01-02\n")
    table = read_csv(path).read_all()
    assert table.schema.types == [pa.int64(), pa.float64(), pa.string(), pa.string(), pa.string()]
    assert table.column("b").to_pylist() == ["true", "false"]


def test_only_empty_cells_are_missing(tmp_path):
    path = write(tmp_path / "d.csv", 'a,b\n1,NA\n,""\n3,null\n')
    table = read_csv(path).read_all()
    assert table.column("a").to_pylist() == [1, None, 3]
    assert table.column("b").to_pylist() == ["NA", None, "null"]


def test_delimiter_quoting_and_column_names(tmp_path):
    path = write(tmp_path / "d.tsv", '1\t"a\tb"\n2\t"c ""q"""\n')
    table = read_csv(path, column_names=["n", "s"], delimiter="\t").read_all()
    assert table.to_pydict() == {"n": [1, 2], "s": ["a\tb", 'c "q"']}


def test_several_files_by_glob(tmp_path):
    write(tmp_path / "a.csv", "x\n1\n2\n")
    write(tmp_path / "b.csv", "x\n3\n")
    assert read_csv(str(tmp_path / "*.csv")).read_all().column("x").to_pylist() == [1, 2, 3]


def test_late_float_widens_the_column(tmp_path):
    path = write(tmp_path / "d.csv", "a\n" + "1\n" * 5000 + "2054.5\n")
    source = read_csv(path)
    source.block_size = 1 << 12
    batches = list(source)
    assert sum(b.num_rows for b in batches) == 5001
    assert batches[0].schema.field("a").type == pa.int64()
    assert batches[-1].column(0)[-1].as_py() == 2054.5
    # the next pass knows the type from the start
    assert {b.schema.field("a").type for b in source} == {pa.float64()}


def test_late_text_is_reported_for_a_second_pass(tmp_path):
    path = write(tmp_path / "d.csv", "a\n" + "1\n" * 5000 + "oops\n")
    source = read_csv(path)
    source.block_size = 1 << 12
    assert sum(b.num_rows for b in source) == 5001
    assert source.widened_to_text == {"a"}
    assert source.read_all().column("a").to_pylist()[-2:] == ["1", "oops"]


def test_rows_with_wrong_field_count_are_problems(tmp_path):
    path = write(tmp_path / "d.csv", "a,b,c\n1,x,2\n3,y\n4,z,5\n6,w,7,8\n")
    source = read_csv(path)
    assert source.read_all().column("a").to_pylist() == [1, 4]
    (problem,) = list(source.problems)
    assert (problem.kind, problem.feature, problem.count) == ("wrong_field_count", None, 2)
    assert [(e.value, e.location) for e in problem.examples] == [
        ("3,y", f"{path}:3"),
        ("6,w,7,8", f"{path}:5"),
    ]


def test_declared_types_record_unparsable_values(tmp_path):
    path = write(tmp_path / "d.csv", "a,b\n1,x\n2054.5,y\n3,z\n")
    source = read_csv(path, column_types={"a": pa.int64()})
    assert source.read_all().column("a").to_pylist() == [1, None, 3]
    (problem,) = list(source.problems)
    assert (problem.kind, problem.feature, problem.count) == ("unparsable_value", "a", 1)
    assert problem.examples[0].value == "2054.5"
    assert problem.examples[0].location == f"{path}:3"


def test_empty_file_is_a_problem_not_a_crash(tmp_path):
    path = write(tmp_path / "d.csv", "")
    source = read_csv(path)
    assert source.read_all().num_rows == 0
    assert [p.kind for p in source.problems] == ["empty_file"]


def test_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(DataReadError, match=r"nope\.csv: no such file"):
        read_csv(tmp_path / "nope.csv")
    with pytest.raises(DataReadError, match="no file matches"):
        read_csv(str(tmp_path / "*.csv"))


def test_undecodable_text_is_one_clear_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b\n1,caf\xe9\n")
    with pytest.raises(DataReadError, match=r"d\.csv: .*UTF8"):
        read_csv(path).read_all()


def test_a_column_named_twice_in_the_header_is_one_clear_error(tmp_path):
    path = write(tmp_path / "d.csv", "id,score,id\n1,0.5,2\n")
    with pytest.raises(DataReadError, match=r"d\.csv, line 1: the header names 'id' twice"):
        read_csv(path).read_all()
