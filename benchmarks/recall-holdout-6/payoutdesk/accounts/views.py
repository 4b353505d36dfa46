import logging

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import ensure_csrf_cookie

from core.http import parse_json
from core.views import JsonView

from .decorators import LoginRequiredJsonMixin
from .models import ApiToken

log = logging.getLogger(__name__)


def _attempts_key(request, username: str) -> str:
    return f"login-attempts:{request.META.get('REMOTE_ADDR')}:{username.lower()}"


@method_decorator(ensure_csrf_cookie, name="get")
class SessionView(JsonView):
    """Login for the ops and seller dashboards (cookie session)."""

    def get(self, request):
        if not request.user.is_authenticated:
            return JsonResponse({"authenticated": False})
        profile = getattr(request.user, "profile", None)
        return JsonResponse({
            "authenticated": True,
            "username": request.user.get_username(),
            "role": profile.role if profile else None,
            "seller_id": profile.seller_id if profile else None,
        })

    def post(self, request):
        body = parse_json(request)
        username = str(body.get("username", ""))
        key = _attempts_key(request, username)
        attempts = cache.get(key, 0)
        if attempts >= settings.LOGIN_MAX_ATTEMPTS:
            return JsonResponse({"error": "too_many_attempts"}, status=429)
        user = authenticate(request, username=username, password=str(body.get("password", "")))
        if user is None:
            cache.set(key, attempts + 1, settings.LOGIN_LOCKOUT_SECONDS)
            return JsonResponse({"error": "invalid_credentials"}, status=401)
        cache.delete(key)
        login(request, user)
        next_url = body.get("next") or "/"
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            next_url = "/"
        return JsonResponse({"ok": True, "next": next_url})

    def delete(self, request):
        logout(request)
        return JsonResponse({"ok": True})


class ApiTokenView(LoginRequiredJsonMixin, JsonView):
    def get(self, request):
        tokens = request.user.api_tokens.filter(revoked=False).order_by("-created_at")[:50]
        return JsonResponse({"tokens": [
            {"id": t.id, "label": t.label, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}
            for t in tokens
        ]})

    def post(self, request):
        body = parse_json(request)
        label = str(body.get("label", "integration"))[:64]
        token, raw = ApiToken.objects.issue(request.user, label)
        log.info("user %s issued api token %s", request.user.pk, token.prefix)
        return JsonResponse({"id": token.id, "token": raw, "prefix": token.prefix}, status=201)


class ApiTokenRevokeView(LoginRequiredJsonMixin, JsonView):
    def post(self, request, token_id: int):
        updated = request.user.api_tokens.filter(pk=token_id).update(revoked=True)
        if not updated:
            return JsonResponse({"error": "not_found"}, status=404)
        return JsonResponse({"ok": True})
