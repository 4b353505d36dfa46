"""Role checks used on top of flask-jwt-extended.

Every decorator here verifies the JWT itself, so a resource can list only
``roles_required("admin")`` in its ``method_decorators``.
"""
from functools import wraps

from flask import abort
from flask_jwt_extended import current_user, verify_jwt_in_request


def roles_required(*roles):
    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            if current_user is None or not current_user.is_active:
                abort(401)
            if current_user.role not in roles:
                abort(403, description="insufficient role")
            return fn(*args, **kwargs)

        return wrapper

    return decorator


def store_staff_required(fn):
    """The caller must be staff of the store in the URL (``store_id``) or an admin."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request()
        store_id = kwargs.get("store_id")
        if current_user is None or not current_user.is_active:
            abort(401)
        if current_user.role == "admin":
            return fn(*args, **kwargs)
        if current_user.role != "staff" or current_user.store_id != store_id:
            abort(403, description="not staff of this store")
        return fn(*args, **kwargs)

    return wrapper


def active_user_required(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request()
        if current_user is None or not current_user.is_active:
            abort(401)
        return fn(*args, **kwargs)

    return wrapper
