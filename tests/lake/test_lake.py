"""The lake: ingestion into the object store, the catalog, zones, listing and retention."""

from __future__ import annotations

import datetime

import pytest

from datajourney.lake import EntryNotFoundError, Lake, LakeError
from datajourney.metadata.model import ArtifactState
from datajourney.versioning import Repository

from .conftest import write


def test_ingest_keeps_files_byte_for_byte_in_the_object_store(lake, landing):
    result = lake.ingest(landing, source="web", tags=["clicks", "2026"])
    paths = sorted(e.path for e in result.added)
    assert paths == [
        "landing/events/a.csv",
        "landing/events/b.csv",
        "landing/events/c.jsonl",
        "landing/notes.txt",
        "landing/pixel.png",
    ]
    for entry in result.added:
        original = landing / entry.path.removeprefix("landing/")
        assert entry.object_path.read_bytes() == original.read_bytes()
        assert entry.object_path.is_relative_to(Repository().objects.root)
        assert entry.size == original.stat().st_size
        assert entry.source == "web" and entry.tags == ("clicks", "2026")
        assert entry.uri == str(original)


def test_formats_are_found_from_content(lake, landing):
    formats = {e.path.split("/")[-1]: e.format for e in lake.ingest(landing).added}
    assert formats == {
        "a.csv": "csv",
        "b.csv": "csv",
        "c.jsonl": "jsonl",
        "notes.txt": "text",
        "pixel.png": "png",
    }


def test_same_content_is_stored_once_and_catalogued_once(lake, landing, work):
    first = lake.ingest(landing)
    again = lake.ingest(landing)
    assert again.added == [] and len(again.unchanged) == len(first.added)
    copy = write(work / "other" / "a.csv", (landing / "events" / "a.csv").read_bytes())
    moved = lake.ingest(copy, prefix="copies")
    assert [e.path for e in moved.added] == ["copies/a.csv"]
    assert moved.added[0].digest == next(e.digest for e in first.added if e.path.endswith("a.csv"))
    objects = {e.digest for e in lake.find(all_versions=True)}
    assert all(Repository().objects.has(d) for d in objects)


def test_a_changed_file_is_a_new_version_of_its_path(lake, landing):
    lake.ingest(landing)
    write(landing / "events" / "b.csv", "user,clicks\ncid,8\n")
    second = lake.ingest(landing)
    assert [e.path for e in second.added] == ["landing/events/b.csv"]
    versions = lake.find("landing/events/b.csv", all_versions=True)
    assert len(versions) == 2
    assert lake.find("landing/events/b.csv") == [versions[-1]]
    assert lake.read("landing/events/b.csv").table.column("clicks").to_pylist() == [8]


def test_ingestion_is_an_execution_whose_outputs_are_the_entries_in_their_zone(lake, landing):
    result = lake.ingest(landing, zone="bronze")
    store = lake.store
    [execution] = store.get_executions(ids=[result.execution_id])
    assert execution.properties["files"] == 5
    outputs = {e.artifact_id for e in store.get_events(execution_ids=[result.execution_id])}
    assert outputs == {e.id for e in result.added}
    in_zone = {a.id for a in store.artifacts("LakeEntry", context=("LakeZone", "bronze"))}
    assert in_zone == outputs
    assert lake.find(zone="raw") == []


def test_ingestion_keeps_what_another_writer_set_on_the_zone_meanwhile(
    lake, landing, work, monkeypatch
):
    from datajourney.lake import lake as lake_module

    lake.ingest(landing / "events", zone="bronze")
    resolve = lake_module.resolve_context

    def read_then_changed_by_another_writer(store, spec, create):
        context = resolve(store, spec, create)
        current = store.get_contexts(ids=[context.id])[0]
        current.custom_properties["owner"] = "data-team"
        store.put([current])
        return context  # the copy this ingest holds no longer has the owner

    monkeypatch.setattr(lake_module, "resolve_context", read_then_changed_by_another_writer)
    write(work / "later" / "d.csv", "user,clicks\nfay,4\n")
    lake.ingest(work / "later", zone="bronze")
    [zone] = lake.store.get_contexts(type_name="LakeZone", name="bronze")
    assert zone.custom_properties["owner"] == "data-team"


def test_find_by_pattern_zone_tag_format_source_and_time(lake, landing, work):
    before = datetime.datetime.now(datetime.UTC)
    lake.ingest(landing / "events", source="web", tags=["clicks"])
    later = write(work / "late" / "d.csv", "user,clicks\nfay,9\n")
    lake.ingest(later, zone="curated", source="batch")
    assert [e.path for e in lake.find("events/*.csv")] == ["events/a.csv", "events/b.csv"]
    assert [e.path for e in lake.find("**/*.csv")] == ["d.csv", "events/a.csv", "events/b.csv"]
    assert [e.path for e in lake.find(zone="curated")] == ["d.csv"]
    assert [e.path for e in lake.find(tag="clicks", format="jsonl")] == ["events/c.jsonl"]
    assert [e.path for e in lake.find(source="batch")] == ["d.csv"]
    assert len(lake.find(since=before)) == 4
    assert lake.find(until=before) == []
    assert [e.path for e in lake.ls("events/")] == [
        "events/a.csv",
        "events/b.csv",
        "events/c.jsonl",
    ]


def test_promote_puts_entries_in_another_zone_too(lake, landing):
    entries = lake.ingest(landing / "events").added
    lake.promote(entries[:1], "curated")
    assert lake.find(zone="curated") == entries[:1]
    assert len(lake.find(zone="raw")) == 3


def test_retention_drops_old_entries_but_keeps_what_lineage_reads(lake, landing):
    entries = lake.ingest(landing / "events").added
    with lake.store.run("Train") as run:
        run.input(lake.store.get_artifacts(ids=[entries[0].id])[0])
    cutoff = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=1)
    dry = lake.retain(cutoff, dry_run=True)
    assert {e.id for e in dry.dropped} == {e.id for e in entries[1:]}
    assert len(lake.find()) == 3
    done = lake.retain(cutoff, gc=True)
    assert [e.id for e in done.kept_for_lineage] == [entries[0].id]
    assert [e.path for e in lake.find()] == [entries[0].path]
    states = {a.id: a.state for a in lake.store.get_artifacts(ids=[e.id for e in entries])}
    assert states[entries[1].id] == ArtifactState.DELETED
    assert done.gc is not None and done.gc.removed >= 2
    assert Repository().objects.has(entries[0].digest)
    assert not Repository().objects.has(entries[1].digest)


def test_ingestion_stores_only_the_files_so_gc_removes_nothing(lake, landing):
    # a folder, a file and a glob: the object store holds their files' content and nothing
    # that no artifact references (issue 14: each folder ingest left its listing behind)
    from datajourney.versioning import gc

    lake.ingest(landing)
    lake.ingest(landing / "notes.txt", prefix="single")
    lake.ingest(str(landing / "events" / "*.csv"))
    digests = {e.digest for e in lake.find(all_versions=True)}
    collected = gc(store=lake.store, objects=lake.repo)
    assert (collected.removed, collected.kept) == (0, len(digests))
    assert all(lake.repo.objects.has(d) for d in digests)


def test_glob_ingestion_names_files_under_the_fixed_part(lake, landing):
    added = lake.ingest(str(landing / "events" / "*.csv")).added
    assert sorted(e.path for e in added) == ["events/a.csv", "events/b.csv"]


def test_bad_calls_raise_one_clear_error_and_record_nothing(lake, work):
    with pytest.raises(LakeError, match="no file matches"):
        lake.ingest(str(work / "nothing" / "*.csv"))
    with pytest.raises(Exception, match="no such file or folder"):
        lake.ingest(work / "missing.csv")
    with pytest.raises(ValueError, match="tag"):
        lake.ingest(work, tags=["a,b"])
    with pytest.raises(EntryNotFoundError):
        lake.entry("nowhere.csv")
    with pytest.raises(EntryNotFoundError):
        lake.read("nowhere/*.csv")
    assert lake.store.get_executions() == []


def test_the_authorize_seam_is_asked_before_every_operation(work, landing):
    asked = []

    def authorize(action, resource):
        asked.append((action, resource))
        if action == "lake.read":
            raise PermissionError(f"{action} on {resource} refused")

    with Lake(authorize=authorize) as lake:
        lake.ingest(landing / "events")
        with pytest.raises(PermissionError, match="refused"):
            lake.read("events/a.csv")
    assert ("lake.ingest", "zone:raw") in asked


def test_entry_by_id_and_path(lake, landing):
    added = lake.ingest(landing / "events").added
    assert lake.entry(added[0].id) == added[0]
    assert lake.entry(added[0].path) == added[0]


def test_an_entry_is_restored_from_its_digest_and_by_restore_inputs(lake, landing, work):
    from datajourney.versioning import LocalChangesError, restore

    [entry] = [e for e in lake.ingest(landing).added if e.path.endswith("notes.txt")]
    original = (landing / "notes.txt").read_bytes()
    target = restore(entry.digest, work / "back" / "notes.txt")
    assert target.read_bytes() == original
    [artifact] = lake.store.get_artifacts(ids=[entry.id])
    with lake.store.run("ReadNotes") as run:
        run.input(artifact)
    (landing / "notes.txt").write_text("edited later")
    with pytest.raises(LocalChangesError, match=r"notes\.txt"):  # never overwrites an edit
        lake.store.restore_inputs(run.execution.id)
    (landing / "notes.txt").unlink()
    assert lake.store.restore_inputs(run.execution.id) == {entry.id: landing / "notes.txt"}
    assert (landing / "notes.txt").read_bytes() == original
