import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse

log = logging.getLogger(__name__)


class CorsMiddleware:
    """CORS for the seller dashboard SPA, limited to the configured origins."""

    allow_headers = "Authorization, Content-Type, Idempotency-Key, X-CSRFToken"
    allow_methods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = frozenset(settings.CORS_ALLOWED_ORIGINS)

    def __call__(self, request):
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and origin:
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
        if origin and origin in self.allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Credentials"] = "true"
            response["Access-Control-Allow-Headers"] = self.allow_headers
            response["Access-Control-Allow-Methods"] = self.allow_methods
        response["Vary"] = "Origin"
        return response


class JsonErrorMiddleware:
    """Turns unhandled exceptions on /api/ into a JSON 500 without internals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        log.exception("unhandled error on %s %s", request.method, request.path)
        return JsonResponse({"error": "internal_error"}, status=500)
