"""gc: frees what nothing needs, never what a kept snapshot or a live artifact needs."""

from __future__ import annotations

import datajourney as dj
from datajourney import versioning as v
from datajourney.versioning.hashing import hash_bytes

from .conftest import write


def two_versions(data):
    old = v.snapshot(data)
    write(data / "train.csv", "a,b\n7,7\n")
    new = v.snapshot(data)
    return old, new


def test_gc_keeps_the_last_snapshot_of_each_path_by_default(data, repo, work):
    old, new = two_versions(data)
    result = v.gc()
    # only the old manifest: its old train.csv content is still in copy/train.csv
    assert result.removed == 1 and result.freed_bytes > 0
    assert not repo.objects.has(old)
    v.restore(new, work / "out")
    assert (work / "out" / "train.csv").read_text() == "a,b\n7,7\n"


def test_gc_keeps_exactly_what_it_is_told(data, repo):
    old, new = two_versions(data)
    v.gc(keep=[old])
    assert repo.objects.has(old) and not repo.objects.has(new)
    assert all(repo.objects.has(e.digest) for e in v.ls(old))
    assert not repo.objects.has(hash_bytes(b"a,b\n7,7\n"))


def test_gc_dry_run_removes_nothing(data, repo):
    two_versions(data)
    before = set(repo.objects.digests())
    assert v.gc(keep=[], dry_run=True).removed == len(before)
    assert set(repo.objects.digests()) == before


def record(store: dj.MetadataStore, digest: str, state: dj.ArtifactState) -> None:
    dataset = store.put_type(dj.ArtifactType("DataSet"))
    custom = {v.SNAPSHOT_PROPERTY: digest}
    store.put([dj.Artifact(type_id=dataset, uri="data", state=state, custom_properties=custom)])


def test_gc_keeps_what_live_artifacts_need(data, repo):
    old, new = two_versions(data)
    store = dj.MetadataStore("memory://")
    record(store, old, dj.ArtifactState.LIVE)
    v.gc(keep=[new], store=store)
    assert repo.objects.has(old) and all(repo.objects.has(e.digest) for e in v.ls(old))


def test_gc_frees_what_only_deleted_artifacts_name(data, repo):
    old, new = two_versions(data)
    store = dj.MetadataStore("memory://")
    record(store, old, dj.ArtifactState.DELETED)
    v.gc(keep=[new], store=store)
    assert not repo.objects.has(old)


def test_gc_reads_the_embedded_metadata_store_by_default(data, repo, work):
    old, _ = two_versions(data)
    with dj.MetadataStore() as store:  # ./.datajourney/metadata.sqlite, beside the objects
        record(store, old, dj.ArtifactState.LIVE)
    v.gc(keep=[])
    assert repo.objects.has(old)
