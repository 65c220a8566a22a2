"""Which process runs an execution, and whether it still exists.

A run recorded by ``store.run(...)`` or a pipeline component records where it runs as custom
properties of its execution: ``host`` (the machine's name), ``pid`` (the process id) and, on
Linux, ``process_start`` (the process's start time in clock ticks since boot, which tells a
reused pid apart). A RUNNING execution whose process is gone (on this host: no such process, a
zombie, or another process that has taken its pid since) was killed before it could record its
end. ``abandoned_runs`` finds those; ``mark_abandoned_runs`` records them FAILED, with the custom
property ``abandoned`` set and the reason in ``error`` (ML Metadata's execution states have no
ABANDONED; FAILED is what a run that did not complete is). A run recorded on another host, or
on a system where processes cannot be probed safely (Windows), is never judged gone.
"""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING

from .model import Execution, ExecutionState

if TYPE_CHECKING:
    from .store import MetadataStore

HOST, PID, PROCESS_START, ABANDONED = "host", "pid", "process_start", "abandoned"
PROCESS_PROPERTIES = frozenset({HOST, PID, PROCESS_START})


def process_record() -> dict[str, str | int]:
    """This process's ``host``, ``pid`` (and ``process_start`` where known), as custom
    properties of an execution it runs."""
    record: dict[str, str | int] = {HOST: socket.gethostname(), PID: os.getpid()}
    status = _proc_status(os.getpid())
    if status is not None:
        record[PROCESS_START] = status[1]
    return record


def process_gone(execution: Execution) -> bool:
    """Whether ``execution`` is RUNNING and the process recorded as running it, on this host,
    no longer exists."""
    props = execution.custom_properties
    pid = props.get(PID)
    if (
        execution.last_known_state != ExecutionState.RUNNING
        or props.get(HOST) != socket.gethostname()
        or not isinstance(pid, int)
        or isinstance(pid, bool)
        or os.name != "posix"  # Windows' os.kill(pid, 0) would terminate the process
    ):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process: it exists
        pass
    status = _proc_status(pid)
    if status is None:
        return False
    state, started = status
    return state == "Z" or props.get(PROCESS_START, started) != started


def abandoned_runs(store: MetadataStore) -> list[Execution]:
    """The RUNNING executions whose process is gone (see ``process_gone``), oldest first."""
    running = store.get_executions(filter_query="last_known_state = RUNNING")
    return [execution for execution in running if process_gone(execution)]


def mark_abandoned_runs(store: MetadataStore, dry_run: bool = False) -> list[Execution]:
    """Record every abandoned run FAILED (``abandoned`` set, the reason in ``error``), in one
    write; the executions marked (with ``dry_run``: that would be, as they are now)."""
    found = abandoned_runs(store)
    if dry_run or not found:
        return found
    for execution in found:
        props = execution.custom_properties
        execution.last_known_state = ExecutionState.FAILED
        props[ABANDONED] = True
        props["error"] = (
            f"abandoned: process {props[PID]} on {props[HOST]} ended without recording the"
            " end of the run (killed?)"
        )
    store.put(found)
    return found


def _proc_status(pid: int) -> tuple[str, int] | None:
    """A process's state letter and start time (clock ticks since boot), from Linux's
    ``/proc``; None elsewhere or if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (command name) "
    return fields[0], int(fields[19])
