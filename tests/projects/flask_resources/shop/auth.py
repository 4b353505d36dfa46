from functools import wraps

from flask import abort, g, jsonify, request


def token_required(view):
    @wraps(view)
    def decorated(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or not g.token_store.valid(header[7:]):
            return jsonify({"error": "unauthorised"}), 401
        return view(*args, **kwargs)
    return decorated


def cached(view):
    """Named for caching, but it refuses anonymous callers first."""
    @wraps(view)
    def decorated(*args, **kwargs):
        if g.get("user") is None:
            abort(403)
        return view(*args, **kwargs)
    return decorated


def login_required(view):
    """A leftover stub: the name promises a check the body never makes."""
    @wraps(view)
    def decorated(*args, **kwargs):
        return view(*args, **kwargs)
    return decorated
