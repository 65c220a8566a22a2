"""TFDV's top-level names: the Beam PTransforms (no Beam here, so their names say what to use
instead), the ``stats_util`` additions, ``FeaturePath.to_proto``."""

from __future__ import annotations

import pytest

import datajourney.tfdv as tfdv
from datajourney.stats.generators import BeamRequiredError

BEAM_NAMES = {
    "GenerateStatistics": "generate_statistics_from_csv",
    "MergeDatasetFeatureStatisticsList": "merge_statistics_shards",
    "WriteStatisticsToBinaryFile": "write_stats_text",
    "WriteStatisticsToRecordsAndBinaryFile": "write_stats_binary",
    "WriteStatisticsToTFRecord": "output_path",
    "DetectFeatureSkew": "detect_feature_skew",
}


@pytest.mark.parametrize(("name", "instead"), sorted(BEAM_NAMES.items()))
def test_a_beam_name_raises_naming_the_beam_free_function(name, instead):
    with pytest.raises(BeamRequiredError, match=instead) as raised:
        getattr(tfdv, name)
    assert isinstance(raised.value, ImportError) and isinstance(raised.value, NotImplementedError)
    assert f"tfdv.{name} is an Apache Beam PTransform" in str(raised.value)


def test_importing_a_beam_name_fails_with_that_message():
    with pytest.raises(ImportError, match="use detect_feature_skew instead"):
        from datajourney.tfdv import DetectFeatureSkew  # noqa: F401


def test_star_import_and_dir_leave_the_beam_names_out():
    namespace: dict = {}
    exec("from datajourney.tfdv import *", namespace)
    assert "load_sharded_statistics" in namespace and "CombinerStatsGenerator" in namespace
    assert not set(BEAM_NAMES) & set(dir(tfdv))


def test_stats_util_offers_the_new_functions():
    from datajourney.tfdv.utils import stats_util

    assert stats_util.get_feature_stats is tfdv.get_feature_stats
    assert stats_util.load_sharded_statistics is tfdv.load_sharded_statistics


def test_feature_path_to_proto_is_a_path_message():
    path = tfdv.FeaturePath(["a", "b"]).to_proto()
    assert type(path).__name__ == "Path" and list(path.step) == ["a", "b"]
