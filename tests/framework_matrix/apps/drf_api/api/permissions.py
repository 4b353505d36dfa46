from rest_framework.permissions import BasePermission


class IsInvoiceOwner(BasePermission):
    def has_permission(self, request, view):  # reach: request
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj):  # reach: request
        return obj.owner_id == request.user.id


class NeverUsedPermission(BasePermission):
    def has_permission(self, request, view):  # reach: none
        return False
