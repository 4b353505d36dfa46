from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsOrganizer(BasePermission):
    """The caller has an organiser account."""

    message = "Organiser account required."

    def has_permission(self, request, view):
        profile = getattr(request.user, "profile", None)
        return bool(request.user.is_authenticated and profile and profile.is_organizer)


class IsEventOrganizer(BasePermission):
    """Object-level: only the event's organiser may change it."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        event = getattr(obj, "event", obj)
        return event.organizer_id == request.user.id


class ReadOnlyOrEventOrganizer(IsEventOrganizer):
    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return super().has_object_permission(request, view, obj)


class IsDoorStaff(BasePermission):
    """Scanner accounts belong to the 'door-staff' group."""

    def has_permission(self, request, view):
        return bool(
            request.user.is_authenticated and request.user.groups.filter(name="door-staff").exists()
        )
