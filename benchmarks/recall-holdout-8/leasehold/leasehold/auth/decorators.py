from functools import wraps

from flask import abort, jsonify, request
from flask_login import current_user


def portal_role(*roles):
    """Restrict a view to users holding one of ``roles``.

    Must be stacked under ``@login_required`` so anonymous users are redirected
    to the login page rather than getting a 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                if request.blueprint == "api":
                    return jsonify(error="forbidden"), 403
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def api_login_required(view):
    """JSON flavour of login_required: 401 instead of a redirect."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return jsonify(error="authentication required"), 401
        return view(*args, **kwargs)

    return wrapped
