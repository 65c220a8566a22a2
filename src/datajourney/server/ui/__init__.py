"""The web UI: server-rendered pages, each with a JSON twin at the same URL plus ``.json``.

Exports ``router`` (an ``APIRouter``) that ``create_app`` includes at the root of the site.
The scripts and styles are files of this package (``static/``), served at ``/static/``: no CDN,
nothing fetched from elsewhere, so the UI works with no network.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from datajourney.metadata.errors import NotFoundError

from . import pages, pages_access, pages_files, pages_storage
from .render import STATIC

router = APIRouter()

_MEDIA = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
_FILES = {p.name: p for p in STATIC.iterdir() if p.suffix in _MEDIA}


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> FileResponse:
    """A script or style of the UI (cached by the browser for an hour)."""
    path = _FILES.get(name)
    if path is None:
        raise NotFoundError(f"no static file {name!r}")
    return FileResponse(
        path, media_type=_MEDIA[path.suffix], headers={"Cache-Control": "max-age=3600"}
    )


router.include_router(pages.router)
router.include_router(pages_files.router)
router.include_router(pages_storage.router)
router.include_router(pages_access.router)

__all__ = ["router"]
