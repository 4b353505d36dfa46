"""Bearer API tokens for seller integrations; the dashboards use the session."""
import logging

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.utils import timezone

from .models import ApiToken

log = logging.getLogger(__name__)


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = ApiToken.objects.resolve(header[7:].strip())
            if token is None or not token.user.is_active:
                log.info("rejected api token with prefix %s", header[7:17])
                return JsonResponse({"error": "invalid_token"}, status=401)
            request.user = token.user
            request.api_token = token
            # API clients do not carry a CSRF token; they are not cookie-authenticated
            request._dont_enforce_csrf_checks = True
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        elif not hasattr(request, "user"):
            request.user = AnonymousUser()
        return self.get_response(request)
