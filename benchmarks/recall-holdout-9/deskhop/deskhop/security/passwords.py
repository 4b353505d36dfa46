from __future__ import annotations

import anyio
import bcrypt


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hash, password)


def check_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode(), password_hash.encode())


async def check_password_async(password: str, password_hash: str) -> bool:
    return await anyio.to_thread.run_sync(check_password, password, password_hash)
