"""The project's own generic views, named like REST framework's: every view of the project uses these."""
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated


class ViewPermissionsMixin:
    def check_object_permissions(self, request, obj):
        return super().check_object_permissions(request, obj)


class ListAPIView(ViewPermissionsMixin, generics.ListAPIView):
    permission_classes = (IsAuthenticated,)


class RetrieveUpdateAPIView(ViewPermissionsMixin, generics.RetrieveUpdateAPIView):
    permission_classes = (IsAuthenticated,)
