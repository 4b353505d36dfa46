import hashlib
import secrets

from sqlalchemy import select

from ..models import ApiKey

KEY_PREFIX = "pd_"


def generate_api_key():
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    return raw, hash_api_key(raw)


def hash_api_key(raw_key):
    # Keys are 256-bit random values; a plain digest is enough to look them up.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def account_for_api_key(session, raw_key):
    if not raw_key.startswith(KEY_PREFIX):
        return None
    row = session.execute(
        select(ApiKey.account_id).where(ApiKey.key_hash == hash_api_key(raw_key), ApiKey.revoked.is_(False))
    ).first()
    return row.account_id if row else None
