"""``mlmd_types``: ml-metadata's handles on the built-in system types (what TFX's system
artifacts and executions are declared with)."""

from __future__ import annotations

import pytest

from datajourney.mlmd import errors
from datajourney.mlmd.metadata_store import metadata_store, mlmd_types
from datajourney.mlmd.proto import metadata_store_pb2 as pb

ARTIFACTS = [
    (mlmd_types.Dataset, "mlmd.Dataset", pb.ArtifactType.DATASET),
    (mlmd_types.Model, "mlmd.Model", pb.ArtifactType.MODEL),
    (mlmd_types.Metrics, "mlmd.Metrics", pb.ArtifactType.METRICS),
    (mlmd_types.Statistics, "mlmd.Statistics", pb.ArtifactType.STATISTICS),
]
EXECUTIONS = [
    (mlmd_types.Train, "mlmd.Train", pb.ExecutionType.TRAIN),
    (mlmd_types.Transform, "mlmd.Transform", pb.ExecutionType.TRANSFORM),
    (mlmd_types.Process, "mlmd.Process", pb.ExecutionType.PROCESS),
    (mlmd_types.Evaluate, "mlmd.Evaluate", pb.ExecutionType.EVALUATE),
    (mlmd_types.Deploy, "mlmd.Deploy", pb.ExecutionType.DEPLOY),
]


@pytest.mark.parametrize(("handle", "name", "system_type"), ARTIFACTS)
def test_artifact_handles_name_the_stores_built_in_types(handle, name, system_type) -> None:
    system = handle()
    assert (system.name, system.system_type) == (name, system_type)
    assert isinstance(system, mlmd_types.ArtifactType)
    assert not isinstance(system, mlmd_types.ExecutionType)


@pytest.mark.parametrize(("handle", "name", "system_type"), EXECUTIONS)
def test_execution_handles_name_the_stores_built_in_types(handle, name, system_type) -> None:
    system = handle()
    assert (system.name, system.system_type) == (name, system_type)
    assert isinstance(system, mlmd_types.ExecutionType)


def test_a_handle_built_from_an_enum_value_matches_the_named_one() -> None:
    assert mlmd_types.ArtifactType(pb.ArtifactType.MODEL).name == mlmd_types.Model().name
    assert mlmd_types.ExecutionType(pb.ExecutionType.DEPLOY).name == "mlmd.Deploy"


def test_unset_is_no_system_type() -> None:
    with pytest.raises(errors.NotFoundError, match="unset_artifact_type"):
        mlmd_types.ArtifactType(pb.ArtifactType.UNSET)
    with pytest.raises(errors.NotFoundError, match="unset_execution_type"):
        mlmd_types.ExecutionType(pb.ExecutionType.UNSET)


def test_a_type_declared_on_a_system_type_keeps_it() -> None:
    config = pb.ConnectionConfig()
    config.fake_database.SetInParent()
    store = metadata_store.MetadataStore(config)
    system = mlmd_types.Statistics()
    store.put_artifact_type(pb.ArtifactType(name="ExampleStatistics", base_type=system.system_type))
    assert store.get_artifact_type("ExampleStatistics").base_type == pb.ArtifactType.STATISTICS
