"""The REST API, mounted under ``/api``: readable resources, the writes, and the wire protocol
of the HTTP store backend (``/api/store``)."""

from __future__ import annotations

from fastapi import APIRouter

from datajourney import __version__

router = APIRouter()


@router.get("/health", tags=["server"])
async def health() -> dict:
    """The server answers: ``{"status": "ok", "version": ...}``."""
    return {"status": "ok", "version": __version__}


from . import access, reads, wire, writes  # noqa: E402

# Requests try the routes in this order, and each route tried costs a few microseconds: the
# remote store's calls, the most frequent, come first (tried last, each cost 0.15 ms more CPU).
router.include_router(wire.router)
router.include_router(reads.router)
router.include_router(access.router)
router.include_router(writes.router)
