from django.conf import settings
from django.db import models


class Account(models.Model):
    """A customer company whose stock we hold (tenant)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Profile(models.Model):
    ROLE_VIEWER = "viewer"
    ROLE_OPERATOR = "operator"
    ROLE_MANAGER = "manager"
    ROLE_CHOICES = [
        (ROLE_VIEWER, "Viewer"),
        (ROLE_OPERATOR, "Operator"),
        (ROLE_MANAGER, "Manager"),
    ]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default=ROLE_VIEWER)
    phone = models.CharField(max_length=40, blank=True)

    def has_role(self, role):
        order = [self.ROLE_VIEWER, self.ROLE_OPERATOR, self.ROLE_MANAGER]
        return order.index(self.role) >= order.index(role)


class ApiToken(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
