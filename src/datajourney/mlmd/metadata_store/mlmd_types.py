"""ml-metadata's ``mlmd_types``: handles on the system types that every store holds.

Each store is created with nine built-in types (``mlmd.Dataset``, ``mlmd.Train``, ...). A type
of one's own declares its kind with ``base_type``; these handles give that enum value and the
built-in type's name, e.g. ``ArtifactType(name="Examples", base_type=Dataset().system_type)``.
"""

from __future__ import annotations

from ...metadata import errors
from ..proto import metadata_store_pb2 as pb

__all__ = [
    "ArtifactType",
    "Dataset",
    "Deploy",
    "Evaluate",
    "ExecutionType",
    "Metrics",
    "Model",
    "Process",
    "Statistics",
    "Train",
    "Transform",
]


class _SystemType:
    """A built-in type, named by a ``SystemDefinedBaseType`` value of ``_message``."""

    _message: type = pb.ArtifactType

    def __init__(self, system_type: int) -> None:
        values = self._message.SystemDefinedBaseType.DESCRIPTOR.values_by_number
        if system_type not in values:
            raise errors.NotFoundError(
                f"{system_type} is no {self._message.__name__}.SystemDefinedBaseType value"
            )
        extensions = values[system_type].GetOptions().Extensions
        name = extensions[pb.system_type_extension].type_name
        if system_type == self._message.UNSET:  # the one value without a built-in type
            raise errors.NotFoundError(f"Type name: {name} is not found")
        self._name = name
        self._system_type = system_type

    @property
    def name(self) -> str:
        """The built-in type's name, e.g. ``mlmd.Dataset``."""
        return self._name

    @property
    def system_type(self) -> int:
        """The ``SystemDefinedBaseType`` value, for a type's ``base_type``."""
        return self._system_type

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r})"


class ArtifactType(_SystemType):
    """A built-in artifact type, from an ``ArtifactType.SystemDefinedBaseType`` value."""

    _message = pb.ArtifactType


class ExecutionType(_SystemType):
    """A built-in execution type, from an ``ExecutionType.SystemDefinedBaseType`` value."""

    _message = pb.ExecutionType


class _Fixed:
    """A handle on one built-in type, named by ``_value``; takes no arguments."""

    _value: int

    def __init__(self) -> None:
        super().__init__(self._value)  # type: ignore[call-arg]


class Dataset(_Fixed, ArtifactType):
    """The built-in ``mlmd.Dataset`` artifact type."""

    _value = pb.ArtifactType.DATASET


class Model(_Fixed, ArtifactType):
    """The built-in ``mlmd.Model`` artifact type."""

    _value = pb.ArtifactType.MODEL


class Metrics(_Fixed, ArtifactType):
    """The built-in ``mlmd.Metrics`` artifact type."""

    _value = pb.ArtifactType.METRICS


class Statistics(_Fixed, ArtifactType):
    """The built-in ``mlmd.Statistics`` artifact type."""

    _value = pb.ArtifactType.STATISTICS


class Train(_Fixed, ExecutionType):
    """The built-in ``mlmd.Train`` execution type."""

    _value = pb.ExecutionType.TRAIN


class Transform(_Fixed, ExecutionType):
    """The built-in ``mlmd.Transform`` execution type."""

    _value = pb.ExecutionType.TRANSFORM


class Process(_Fixed, ExecutionType):
    """The built-in ``mlmd.Process`` execution type."""

    _value = pb.ExecutionType.PROCESS


class Evaluate(_Fixed, ExecutionType):
    """The built-in ``mlmd.Evaluate`` execution type."""

    _value = pb.ExecutionType.EVALUATE


class Deploy(_Fixed, ExecutionType):
    """The built-in ``mlmd.Deploy`` execution type."""

    _value = pb.ExecutionType.DEPLOY
