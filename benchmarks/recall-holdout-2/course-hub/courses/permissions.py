from rest_framework import permissions

INSTRUCTOR_GROUP = "instructors"


def is_instructor(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.groups.filter(name=INSTRUCTOR_GROUP).exists()
    )


class IsInstructorOrReadOnly(permissions.BasePermission):
    """Anyone signed in may read; only instructors may create courses."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_instructor(request.user)


class IsCourseOwnerOrReadOnly(permissions.BasePermission):
    message = "Only the course owner can change this course."

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        course = getattr(obj, "course", obj)
        return course.owner_id == request.user.id or request.user.is_staff


class IsCourseOwner(permissions.BasePermission):
    def has_object_permission(self, request, view, obj):
        course = getattr(obj, "course", obj)
        return course.owner_id == request.user.id or request.user.is_staff
