from rest_framework.permissions import BasePermission


def _lab_id_of(obj):
    if hasattr(obj, "lab_id"):
        return obj.lab_id
    if hasattr(obj, "sample"):
        return obj.sample.lab_id
    if hasattr(obj, "parent"):
        return obj.parent.lab_id
    return getattr(obj, "id", None)


class IsLabMember(BasePermission):
    message = "You are not a member of this lab."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and hasattr(request.user, "profile"))

    def has_object_permission(self, request, view, obj):
        return _lab_id_of(obj) == request.user.profile.lab_id


class IsLabManager(IsLabMember):
    message = "Only lab managers can do this."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.profile.is_manager
