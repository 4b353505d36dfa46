import functools
import logging

from flask import g
from werkzeug.exceptions import Forbidden, Unauthorized

from lunchline.auth import Principal
from lunchline.db import session
from lunchline.models import Terminal

log = logging.getLogger(__name__)


def require_role(*roles):
    allowed = {r.value if hasattr(r, "value") else r for r in roles}

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            principal = getattr(g, "principal", None)
            if principal is None:
                raise Unauthorized()
            if principal.role not in allowed:
                log.info("user %s with role %s denied %s", principal.user_id, principal.role, fn.__name__)
                raise Forbidden("insufficient role")
            return fn(*args, **kwargs)
        return wrapper
    return decorator


def require_school_staff(fn):

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        principal = getattr(g, "principal", None)
        if principal is None:
            raise Unauthorized()
        if principal.role == "admin":
            return fn(*args, **kwargs)
        if principal.role != "staff" or principal.school_id != kwargs.get("school_id"):
            raise Forbidden("not staff of this school")
        return fn(*args, **kwargs)
    return wrapper


def kiosk_key_info(api_key, required_scopes=None):
    prefix, _, secret = api_key.partition(".")
    terminal = session.query(Terminal).filter_by(key_prefix=prefix, active=True).one_or_none()
    if terminal is None or terminal.secret != secret:
        return None
    g.principal = Principal(user_id=0, role="kiosk", school_id=terminal.school_id, terminal_id=terminal.id)
    return {"sub": f"terminal:{terminal.id}", "school_id": terminal.school_id}
