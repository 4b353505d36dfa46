import hashlib
import random
import secrets
import string
import time
import uuid

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)

DUMMY_HASH = _hasher.hash("stagepass-dummy-password")
TICKET_ALPHABET = string.ascii_uppercase + string.digits
ALGORITHM = "HS256"


def hash_password(password):
    return _hasher.hash(password)


def verify_password(stored_hash, password):
    try:
        return _hasher.verify(stored_hash or DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def issue_access_token(settings, user):
    now = int(time.time())
    claims = {"sub": str(user["id"]), "role": user["role"], "iss": settings.jwt_issuer,
              "iat": now, "exp": now + settings.access_token_ttl, "typ": "access"}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def decode_access_token(settings, token):
    claims = jwt.decode(token, settings.jwt_secret, algorithms=[ALGORITHM], issuer=settings.jwt_issuer,
                        options={"require": ["exp", "iat", "sub"]})
    if claims.get("typ") != "access":
        raise jwt.InvalidTokenError("not an access token")
    return claims


def issue_refresh_token(settings, user):
    now = int(time.time())
    claims = {"sub": str(user["id"]), "iss": settings.jwt_issuer, "iat": now,
              "exp": now + settings.refresh_token_ttl, "jti": uuid.uuid4().hex, "typ": "refresh"}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def read_refresh_token(settings, token):
    claims = jwt.decode(token, options={"verify_signature": False, "verify_exp": True})
    if claims.get("typ") != "refresh" or claims.get("iss") != settings.jwt_issuer:
        raise jwt.InvalidTokenError("not a refresh token")
    return claims


def new_reset_code():
    return f"{secrets.randbelow(10 ** 6):06d}"


def hash_token(value):
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_ticket_code():
    return "".join(random.choices(TICKET_ALPHABET, k=12))


def new_order_reference():
    return "SP-" + uuid.uuid4().hex[:10].upper()
