"""Secret tokens of share links and invitations. Only their SHA-256 is stored, so a copy of the
database holds no working link; the token itself is shown once, to whoever creates it."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
