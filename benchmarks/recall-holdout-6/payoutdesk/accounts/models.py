import hashlib
import secrets

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    SELLER = "seller", "Seller"
    OPS = "ops", "Operations"
    FINANCE = "finance", "Finance"
    ADMIN = "admin", "Administrator"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.SELLER)
    seller = models.ForeignKey("sellers.Seller", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="members")

    def has_role(self, *roles: str) -> bool:
        return self.role in roles or self.role == Role.ADMIN


class ApiTokenManager(models.Manager):
    def issue(self, user, label: str) -> tuple["ApiToken", str]:
        raw = "pd_" + secrets.token_urlsafe(32)
        token = self.create(user=user, label=label, prefix=raw[:10], key_hash=ApiToken.hash(raw))
        return token, raw

    def resolve(self, raw: str):
        return (
            self.select_related("user", "user__profile")
            .filter(key_hash=ApiToken.hash(raw), revoked=False)
            .first()
        )


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=64)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()

    @staticmethod
    def hash(raw: str) -> str:
        # tokens are 256-bit random values, so a plain digest is enough here
        return hashlib.sha256(raw.encode()).hexdigest()
