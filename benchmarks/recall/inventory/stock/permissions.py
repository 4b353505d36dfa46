from rest_framework.permissions import SAFE_METHODS, BasePermission


def user_org(request):
    return request.user.profile.organization


class IsOrgManagerOrReadOnly(BasePermission):
    """Members may read; only the organisation's managers may change anything."""

    def has_permission(self, request, view):
        profile = getattr(request.user, "profile", None)
        if profile is None:
            return False
        return request.method in SAFE_METHODS or profile.role == "manager"

    def has_object_permission(self, request, view, obj):
        return obj.organization_id == request.user.profile.organization_id


class IsOrgClerk(BasePermission):
    """Clerks and managers may move stock."""

    def has_permission(self, request, view):
        profile = getattr(request.user, "profile", None)
        return profile is not None and profile.role in ("clerk", "manager")
