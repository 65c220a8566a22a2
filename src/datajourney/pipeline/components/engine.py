"""Where a standard component's data work runs: in this process, or on a Dask cluster.

The components that read data (``CsvExampleGen``, ``StatisticsGen``) take a ``dask_scheduler``
parameter: ``None`` (in this process), a scheduler address (``"tcp://host:8786"``, connected for
the run), or ``"current"`` (the ``dask.distributed`` client already started in this process).
Their output artifacts record the engine and the number of partitions, so the lineage tells how
each artifact was computed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from datajourney.metadata.model import Artifact

#: ``dask_scheduler`` value that uses the client already started in this process.
CURRENT = "current"


@contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """The ``dask.distributed`` client that ``scheduler`` names (None: no Dask, yields None)."""
    if scheduler is None:
        yield None
        return
    try:
        import distributed
    except ImportError:
        raise ImportError(
            f"dask_scheduler={scheduler!r} needs Dask: pip install datajourney[dask]"
        ) from None
    if scheduler == CURRENT:
        try:
            yield distributed.default_client()
        except ValueError:
            raise ValueError(
                "dask_scheduler='current' but no dask.distributed Client is started"
            ) from None
        return
    if not isinstance(scheduler, str) or "://" not in scheduler:
        raise ValueError(
            f"dask_scheduler must be a scheduler address such as 'tcp://host:8786' or "
            f"{CURRENT!r}, got {scheduler!r}"
        )
    with distributed.Client(scheduler, set_as_default=False) as client:
        yield client


def record_engine(artifact: Artifact, client: Any, partitions: dict[str, int]) -> None:
    """Record on ``artifact`` how it was computed: ``engine`` ("dask" or "local"), the Dask
    ``dask_scheduler`` address, ``partitions`` (in all) and ``split_partitions`` (per split)."""
    properties = artifact.custom_properties
    properties["engine"] = "dask" if client is not None else "local"
    if client is not None:
        properties["dask_scheduler"] = str(client.scheduler.address)
    properties["partitions"] = sum(partitions.values())
    properties["split_partitions"] = json.dumps(partitions)
