"""Our bearer tokens: short-lived HS256 JWTs, plus account API keys for integrations."""
import functools
from datetime import datetime, timedelta, timezone

import jwt
from flask import current_app, g, request
from flask_smorest import abort

from ..db import get_session
from .api_keys import account_for_api_key


def issue_access_token(user):
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(user.id),
        "acct": user.account_id,
        "role": user.role.value,
        "iss": current_app.config["JWT_ISSUER"],
        "iat": now,
        "exp": now + timedelta(seconds=current_app.config["JWT_ACCESS_TTL_SECONDS"]),
    }
    return jwt.encode(claims, current_app.config["JWT_SECRET"], algorithm="HS256")


def decode_access_token(token):
    return jwt.decode(
        token,
        current_app.config["JWT_SECRET"],
        algorithms=["HS256"],
        issuer=current_app.config["JWT_ISSUER"],
        options={"require": ["exp", "sub", "acct", "role"]},
    )


def _bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return token.strip()


def account_required(roles=None):
    """Authenticate the caller and put account_id / user_id / role on flask.g."""

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            api_key = request.headers.get("X-Api-Key")
            if api_key:
                account_id = account_for_api_key(get_session(), api_key)
                if account_id is None:
                    abort(401, message="Invalid API key.")
                g.account_id, g.user_id, g.role = account_id, None, "integration"
            else:
                token = _bearer_token()
                if token is None:
                    abort(401, message="Missing bearer token.")
                try:
                    claims = decode_access_token(token)
                except jwt.PyJWTError:
                    abort(401, message="Invalid or expired token.")
                g.account_id = claims["acct"]
                g.user_id = int(claims["sub"])
                g.role = claims["role"]
            if roles and g.role not in roles:
                abort(403, message="Not allowed for your role.")
            return fn(*args, **kwargs)

        return wrapper

    return decorator
