"""The datajourney server: a REST API and a web UI over the whole journey (``datajourney serve``).

``create_app(store)`` builds the FastAPI application; ``datajourney.server.app`` documents the
URL layout and the contract between the API and the UI routers.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
