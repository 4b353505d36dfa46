from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.accounts.models import StaffProfile


def staff_profile(user):
    """The caller's StaffProfile, or None for portal patients and kiosks."""
    return getattr(user, "staff_profile", None)


class IsClinicMember(BasePermission):
    message = "Only clinic staff can use this endpoint."

    def has_permission(self, request, view):
        return staff_profile(request.user) is not None

    def has_object_permission(self, request, view, obj):
        profile = staff_profile(request.user)
        clinic_id = getattr(obj, "clinic_id", None)
        if clinic_id is None and hasattr(obj, "patient"):
            clinic_id = obj.patient.clinic_id
        return profile is not None and clinic_id == profile.clinic_id


class IsClinicAdmin(IsClinicMember):
    message = "Only clinic administrators can do this."

    def has_permission(self, request, view):
        profile = staff_profile(request.user)
        return profile is not None and profile.role == StaffProfile.Role.ADMIN


class CanIssueRefunds(IsClinicMember):
    def has_permission(self, request, view):
        profile = staff_profile(request.user)
        return profile is not None and (
            profile.can_issue_refunds or profile.role == StaffProfile.Role.ADMIN
        )


class ReadOnlyOrBilling(IsClinicMember):
    def has_permission(self, request, view):
        profile = staff_profile(request.user)
        if profile is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        return profile.role in (StaffProfile.Role.ADMIN, StaffProfile.Role.BILLING)


class IsPortalPatient(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and hasattr(request.user, "patient")
