import hashlib
import json
import logging
import secrets

from django.contrib.auth import authenticate, login, logout
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from inventory.decorators import json_login_required, rate_limited, role_required

from .models import ApiToken, Profile

logger = logging.getLogger(__name__)


@require_POST
@rate_limited("login", limit=5, window=300)
def login_view(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid json"}, status=400)

    user = authenticate(request, username=data.get("username", ""), password=data.get("password", ""))
    if user is None or not user.is_active:
        logger.info("failed login for username=%r", data.get("username"))
        return JsonResponse({"error": "invalid credentials"}, status=401)

    login(request, user)
    return JsonResponse({"id": user.pk, "username": user.username})


@require_POST
@json_login_required
def logout_view(request):
    logout(request)
    return JsonResponse({"ok": True})


@json_login_required
def team_members(request):
    profiles = (
        Profile.objects.filter(account=request.user.profile.account)
        .select_related("user")
        .order_by("user__username")
    )
    members = []
    for profile in profiles:
        members.append(
            {
                "id": profile.user.pk,
                "username": profile.user.username,
                "name": profile.user.get_full_name(),
                "role": profile.role,
            }
        )
    return JsonResponse({"members": members})


@require_POST
@json_login_required
@role_required(Profile.ROLE_MANAGER)
def create_api_token(request):
    data = json.loads(request.body or b"{}")
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        account=request.user.profile.account,
        user=request.user,
        name=data.get("name", "integration")[:100],
        token_hash=hashlib.sha256(raw.encode()).hexdigest(),
        prefix=raw[:8],
    )
    # Shown exactly once; only the hash is stored.
    return JsonResponse({"id": token.pk, "token": raw}, status=201)
