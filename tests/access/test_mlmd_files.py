"""Auditing adds datajourney's access tables to the metadata database at the first audited
write, policy or not; an ML Metadata SQLite file holding them stays one ml-metadata reads and
writes as before."""

from __future__ import annotations

import subprocess
import sys

import datajourney as dj
from datajourney import access
from datajourney.access import Action, Resource, ResourceKind
from tests.mlmd.test_file_compat import OURS, PEER, run
from tests.peer import mlmd_python

PEER_WRITES = """
import sys
from ml_metadata.metadata_store import metadata_store
from ml_metadata.proto import metadata_store_pb2 as pb
config = pb.ConnectionConfig()
config.sqlite.filename_uri = sys.argv[1]
config.sqlite.connection_mode = pb.SqliteMetadataSourceConfig.READWRITE
store = metadata_store.MetadataStore(config)
type_id = store.put_artifact_type(pb.ArtifactType(name="Written by ml-metadata"))
store.put_artifacts([pb.Artifact(type_id=type_id, uri="/peer")])
"""


def test_ml_metadata_reads_and_writes_a_file_that_holds_the_audit_log(tmp_path):
    peer = mlmd_python()
    path = tmp_path / "store.sqlite"
    run(sys.executable, OURS, "write", path)
    with dj.MetadataStore(f"sqlite:///{path}") as store:
        access.check(store, Action.WRITE, Resource(ResourceKind.LAKE_ZONE, "raw"), "ann")
        assert access.policy(store) is None  # audited without a policy
    done = subprocess.run([peer, "-c", PEER_WRITES, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with dj.MetadataStore(f"sqlite:///{path}") as store:
        assert [a.uri for a in store.artifacts("Written by ml-metadata")] == ["/peer"]
        assert [e.principal for e in access.audit_log(store)] == ["ann"]
    assert run(peer, PEER, "dump", path) == run(sys.executable, OURS, "dump", path)
