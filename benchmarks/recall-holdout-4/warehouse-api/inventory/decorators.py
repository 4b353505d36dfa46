"""Small view decorators shared by the function-based JSON endpoints."""
import functools
import hashlib
import hmac
import json

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse


def json_login_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "authentication required"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def role_required(role):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            profile = getattr(request.user, "profile", None)
            if profile is None or not profile.has_role(role):
                return JsonResponse({"error": "forbidden"}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def json_body(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            request.json = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": "invalid json"}, status=400)
        if not isinstance(request.json, dict):
            return JsonResponse({"error": "expected an object"}, status=400)
        return view(request, *args, **kwargs)

    return wrapper


def hmac_signed(secret_setting, header="HTTP_X_SIGNATURE"):
    """Reject the request unless its body is signed with the shared secret."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            secret = getattr(settings, secret_setting, "")
            provided = request.META.get(header, "")
            expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
            if not secret or not hmac.compare_digest(provided, expected):
                return JsonResponse({"error": "bad signature"}, status=401)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def rate_limited(scope, limit, window):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            ip = request.META.get("REMOTE_ADDR", "unknown")
            key = f"rl:{scope}:{ip}"
            added = cache.add(key, 1, timeout=window)
            count = 1 if added else cache.incr(key)
            if count > limit:
                return JsonResponse({"error": "too many attempts"}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
