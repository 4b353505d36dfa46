import hashlib
import logging
import time

from django.utils import timezone

from accounts.models import ApiToken

logger = logging.getLogger("warehouse.requests")

SENSITIVE_HEADERS = {"authorization", "cookie", "x-api-key", "x-signature"}


def _safe_headers(request):
    return {
        name: ("***" if name.lower() in SENSITIVE_HEADERS else value)
        for name, value in request.headers.items()
    }


def _describe(request):
    info = {
        "method": request.method,
        "path": request.path,
        "user": getattr(request.user, "pk", None),
        "headers": _safe_headers(request),
    }
    if request.method in ("POST", "PUT", "PATCH") and request.content_type == "application/json":
        info["body"] = request.body[:4096].decode("utf-8", "replace")
    return info


class RequestLogMiddleware:
    """Access log with timing; used by the on-call dashboards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.info("request %s status=%s took=%.1fms", _describe(request), response.status_code, elapsed_ms)
        return response


class ApiTokenMiddleware:
    """Authenticates integrations sending `X-Api-Key`; browsers use the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.headers.get("X-Api-Key")
        if raw and not request.user.is_authenticated:
            digest = hashlib.sha256(raw.encode()).hexdigest()
            token = (
                ApiToken.objects.select_related("user")
                .filter(token_hash=digest, revoked_at__isnull=True)
                .first()
            )
            if token is not None:
                request.user = token.user
                request._dont_enforce_csrf_checks = True
                logger.debug("api token %s used at %s", token.prefix, timezone.now())
        return self.get_response(request)
