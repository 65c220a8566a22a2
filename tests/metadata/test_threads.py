"""One SQLite file store shared by many threads (a threaded server's workers)."""

from __future__ import annotations

import threading

import datajourney as dj


def test_sixteen_threads_read_and_write_one_sqlite_file_store(tmp_path):
    with dj.MetadataStore(f"sqlite:///{tmp_path / 's.sqlite'}") as store:
        type_id = store.put_type(dj.ArtifactType("DataSet"))
        failures: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(10):
                    store.put([dj.Artifact(type_id=type_id, uri=f"/{n}/{i}")])
                    store.artifacts("DataSet", limit=5)
            except BaseException as error:  # reported below, with the thread's error
                failures.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert len(store.artifacts("DataSet")) == 160
