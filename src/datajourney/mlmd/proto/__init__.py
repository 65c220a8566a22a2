"""Protobuf messages of the ml-metadata drop-in.

``metadata_store_pb2`` is generated from ``metadata_store.proto`` (see ``regenerate.sh``) and is
wire- and name-compatible with ``ml_metadata.proto.metadata_store_pb2`` (proto package
``ml_metadata``). This package re-exports the same top-level names as ``ml_metadata.proto``.

The proto package is ``ml_metadata`` on purpose, so that ``Any`` type URLs and text formats
match; as a consequence this module and ml-metadata's own cannot be imported into the same
process (protobuf's default descriptor pool rejects the duplicate symbols).
"""

from datajourney.mlmd.proto import metadata_store_pb2
from datajourney.mlmd.proto.metadata_store_pb2 import (
    Artifact,
    ArtifactType,
    Association,
    Attribution,
    ConnectionConfig,
    Context,
    ContextType,
    Event,
    Execution,
    ExecutionType,
    FakeDatabaseConfig,
    MetadataStoreClientConfig,
    MySQLDatabaseConfig,
    ParentContext,
    SqliteMetadataSourceConfig,
)

Artifact.__doc__ = """A piece of data read or written by a pipeline step: a data set, a model,
metrics, statistics, a schema. Its ``uri`` says where the bytes live."""

ArtifactType.__doc__ = """The named schema of a kind of artifact: declared property names and
their ``PropertyType``, optionally a system base type (DATASET, MODEL, ...)."""

Execution.__doc__ = """One run of a pipeline step (training, a transformation, a validation),
with its parameters as properties and its ``last_known_state``."""

ExecutionType.__doc__ = """The named schema of a kind of execution: declared properties and,
optionally, the structural types of its inputs and outputs."""

Context.__doc__ = """A named group of artifacts and executions, such as an experiment, a
pipeline or one pipeline run."""

ContextType.__doc__ = """The named schema of a kind of context and its declared properties."""

Event.__doc__ = """An edge between an artifact and an execution: the artifact was an input or
an output of the run, optionally at a ``path`` inside a structured input or output."""

Attribution.__doc__ = """Membership of an artifact in a context."""

Association.__doc__ = """Membership of an execution in a context."""

ParentContext.__doc__ = """Nesting of one context (the child) inside another (the parent)."""

ConnectionConfig.__doc__ = """Which database backs a metadata store: a fake in-memory one,
SQLite, MySQL or PostgreSQL, plus retry options."""

FakeDatabaseConfig.__doc__ = """An in-memory store that lives as long as the process; for
tests and examples."""

MySQLDatabaseConfig.__doc__ = """Connection to a MySQL or MariaDB server: host, port, database,
credentials or socket, optional TLS settings."""

SqliteMetadataSourceConfig.__doc__ = """A SQLite database file (``filename_uri``) and the mode
it is opened in (read-only, read-write, read-write-create)."""

MetadataStoreClientConfig.__doc__ = """Address, TLS material and timeouts of a remote metadata
store server."""

__all__ = [
    "Artifact",
    "ArtifactType",
    "Association",
    "Attribution",
    "ConnectionConfig",
    "Context",
    "ContextType",
    "Event",
    "Execution",
    "ExecutionType",
    "FakeDatabaseConfig",
    "MetadataStoreClientConfig",
    "MySQLDatabaseConfig",
    "ParentContext",
    "SqliteMetadataSourceConfig",
    "metadata_store_pb2",
]
