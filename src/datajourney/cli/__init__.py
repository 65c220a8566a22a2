"""The ``datajourney`` command: every verb is a library call. See ``datajourney --help``."""

from __future__ import annotations

from .app import app, main

__all__ = ["app", "main"]
