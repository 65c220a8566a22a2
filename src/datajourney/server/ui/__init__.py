"""The web UI: server-rendered pages, each with a JSON twin at the same URL plus ``.json``.

Exports ``router`` (an ``APIRouter``) that ``create_app`` includes at the root of the site.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
