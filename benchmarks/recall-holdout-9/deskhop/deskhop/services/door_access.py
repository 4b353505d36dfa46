from __future__ import annotations

import hashlib
import random
import secrets


def new_door_code() -> str:
    return f"{random.randint(0, 999999):06d}"


def new_invite_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
