import json

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import JsonResponse


class JsonMixin:
    def json(self, payload, status=200):
        return JsonResponse(payload, status=status, safe=isinstance(payload, dict))

    def parse_body(self):
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


class AccountScopedMixin:
    """Requires a logged-in user and scopes `model` to the user's account."""

    model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "authentication required"}, status=401)
        self.account = request.user.profile.account
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.filter(account=self.account)


class ManagerRequiredMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        profile = getattr(self.request.user, "profile", None)
        return profile is not None and profile.role == "manager"
