from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsBookingOwnerOrAgent(BasePermission):
    """Travellers see their own bookings; agents see their agency's bookings."""

    def has_object_permission(self, request, view, obj):
        user = request.user
        if obj.user_id == user.id:
            return True
        return user.is_agent and obj.agency_id is not None and obj.agency_id == user.agency_id


class IsAgent(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_agent)


class IsAgencyStaff(BasePermission):
    """Agency admins manage their agency's price rules; agents may read them."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        user = request.user
        if obj.agency_id != user.agency_id:
            return False
        if request.method in SAFE_METHODS:
            return user.is_agent
        return user.role == user.Role.AGENCY_ADMIN
