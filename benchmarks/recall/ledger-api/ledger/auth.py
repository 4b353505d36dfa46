"""Bearer-token authentication for the ledger API."""
import functools
import logging
import time

import jwt
from flask import abort, current_app, g, request

log = logging.getLogger(__name__)


def issue_token(user):
    now = int(time.time())
    claims = {
        "sub": str(user.id),
        "iss": current_app.config["JWT_ISSUER"],
        "iat": now,
        "exp": now + current_app.config["JWT_TTL_SECONDS"],
        "adm": bool(user.is_admin),
    }
    return jwt.encode(claims, current_app.config["JWT_SECRET"], algorithm="HS256")


def _load_claims():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        abort(401)
    try:
        return jwt.decode(
            token,
            current_app.config["JWT_SECRET"],
            algorithms=["HS256"],
            issuer=current_app.config["JWT_ISSUER"],
            options={"require": ["sub", "exp", "iss"]},
        )
    except jwt.PyJWTError as exc:
        log.info("bearer token rejected: %s", exc.__class__.__name__)
        abort(401)


def ledger_session_required(fn):
    """Require a valid ledger bearer token and expose the caller on ``g``."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        claims = _load_claims()
        g.user_id = int(claims["sub"])
        g.is_admin = bool(claims.get("adm", False))
        return fn(*args, **kwargs)

    return wrapper


def ensure_ledger_admin():
    """Abort unless the request carries a token for a ledger administrator."""
    claims = _load_claims()
    if not claims.get("adm"):
        abort(403)
    g.user_id = int(claims["sub"])
    g.is_admin = True
