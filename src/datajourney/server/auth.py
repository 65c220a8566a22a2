"""Bearer tokens: stored hashed in a token file, checked on every request.

A token file has one line per token: ``sha256:<hex digest of the token> <principal name>``
(``#`` starts a comment). ``new_token(path, name)`` appends a fresh random token's line and
returns the token itself, which is shown once and stored nowhere in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from pathlib import Path

from datajourney.metadata.errors import InvalidArgumentError

PREFIX = "sha256:"


def token_hash(token: str) -> str:
    """The hex SHA-256 digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def load_token_file(path: str | Path) -> dict[str, str]:
    """Token hash -> principal name, from a token file; InvalidArgumentError naming the line
    when one is malformed, or when the file holds no token."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise InvalidArgumentError(f"token file {path}: {error.strerror or error}") from None
    found: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        digest, _, name = line.partition(" ")
        digest = digest.removeprefix(PREFIX).lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InvalidArgumentError(
                f"token file {path} line {number}: expected 'sha256:<64 hex digits> [name]'"
            )
        found[digest] = name.strip() or f"token-{digest[:8]}"
    if not found:
        raise InvalidArgumentError(f"token file {path} holds no token")
    return found


def new_token(path: str | Path, name: str) -> str:
    """Add a new random token for principal ``name`` to the token file (created if missing,
    readable by its owner only); the token, to hand to the client."""
    if not name or any(c.isspace() for c in name):
        raise InvalidArgumentError(f"token name {name!r}: give one word, e.g. 'ci' or 'alice'")
    token = secrets.token_urlsafe(32)
    path = Path(path)
    with path.open("a") as out:
        out.write(f"{PREFIX}{token_hash(token)} {name}\n")
    path.chmod(0o600)
    return token


def principal_for(authorization: str | None, hashes: Mapping[str, str]) -> str | None:
    """The principal name of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    digest = token_hash(token.strip())
    for stored, name in hashes.items():
        if hmac.compare_digest(stored, digest):
            return name
    return None
