"""Several CSV files are typed as one data set: text in a later file makes the column text."""

from __future__ import annotations

from datajourney.stats import data_problems, generate_statistics


def test_text_in_a_later_file_widens_the_column_everywhere(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n3,4\n")
    (tmp_path / "b.csv").write_text("x,y\nn/a,5\n")
    statistics = generate_statistics([str(tmp_path / "a.csv"), str(tmp_path / "b.csv")])
    features = {f.path.step[0]: f for f in statistics.datasets[0].features}
    assert features["x"].HasField("string_stats")
    assert features["x"].string_stats.unique == 3  # "1", "3" and "n/a": all values counted
    assert features["y"].num_stats.common_stats.num_non_missing == 3
    assert data_problems(statistics.datasets[0]) == []  # no type mismatch left behind
