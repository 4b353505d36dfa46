"""Role checks for function views and class-based views."""
from functools import wraps

from django.http import JsonResponse


def _profile(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "profile", None)


def require_role(*roles):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            profile = _profile(request.user)
            if profile is None:
                return JsonResponse({"error": "authentication_required"}, status=401)
            if not profile.has_role(*roles):
                return JsonResponse({"error": "forbidden"}, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class LoginRequiredJsonMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "authentication_required"}, status=401)
        return super().dispatch(request, *args, **kwargs)


class RoleRequiredMixin(LoginRequiredJsonMixin):
    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            profile = _profile(request.user)
            if profile is None or not profile.has_role(*self.required_roles):
                return JsonResponse({"error": "forbidden"}, status=403)
        return super().dispatch(request, *args, **kwargs)


class SellerScopedMixin(LoginRequiredJsonMixin):
    """For seller members: `self.seller` is the seller the caller belongs to."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            profile = _profile(request.user)
            if profile is None or profile.seller_id is None:
                return JsonResponse({"error": "no_seller"}, status=403)
            self.seller = profile.seller
        return super().dispatch(request, *args, **kwargs)
