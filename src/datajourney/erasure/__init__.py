"""Erasure: a data subject's rows found through the subject index and the lineage, removed
from every layer (lake, warehouse and its history, snapshots, training sets, online store),
the models and training sets made from them marked, and a receipt recorded.

    from datajourney import erasure
    erasure.configure(store, key_columns=["user_id"])
    plan = erasure.erase_subject(store, 42)              # a dry run: what would be removed
    done = erasure.erase_subject(store, 42, dry_run=False, reason="GDPR request #17")
    done.receipt                                         # the ErasureReceipt artifact

See docs/governance.md.
"""

from __future__ import annotations

from typing import Any

from ..metadata.store import MetadataStore
from .config import ErasureConfig, configure, load_config
from .execute import ErasureIncompleteError, resume_erasure
from .index import IndexReport, index_subjects
from .lock import ErasureBusyError
from .plan import (
    NEEDS_RETRAINING,
    RECEIPT_TYPE,
    ErasurePlan,
    Step,
    erasures,
    load_plan,
    make_plan,
)


def erase_subject(
    store: MetadataStore,
    key: Any,
    *,
    dry_run: bool = True,
    reason: str = "",
    requested_by: str | None = None,
) -> ErasurePlan:
    """Find every data set version holding the subject ``key``, and what derives from them.

    With ``dry_run`` (the default) only the plan is returned and nothing is written, not even
    the subject index (files it does not hold yet are read in memory), so a store opened
    read-only will do; ``plan.execute()`` plans again and erases. Otherwise the plan is
    persisted and carried out: rows removed from warehouse tables (a new version, and the
    history rewritten), lake objects and snapshots, training sets and other files under the
    store's folders; online entries deleted; training sets and models marked
    ``needs_retraining``; SQLite files vacuumed; and an ``ErasureReceipt`` artifact recorded.
    A crash leaves a resumable erasure (``resume_erasure``)."""
    from ..access import current_principal

    who = requested_by or current_principal()
    plan = make_plan(store, key, reason=reason, requested_by=who, dry_run=dry_run)
    return plan if dry_run else plan.execute()


__all__ = [
    "NEEDS_RETRAINING",
    "RECEIPT_TYPE",
    "ErasureBusyError",
    "ErasureConfig",
    "ErasureIncompleteError",
    "ErasurePlan",
    "IndexReport",
    "Step",
    "configure",
    "erase_subject",
    "erasures",
    "index_subjects",
    "load_config",
    "load_plan",
    "resume_erasure",
]
