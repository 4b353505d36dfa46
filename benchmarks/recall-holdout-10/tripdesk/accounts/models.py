from django.contrib.auth.models import AbstractUser
from django.db import models


class Agency(models.Model):
    name = models.CharField(max_length=120)
    iata_code = models.CharField(max_length=8, unique=True)
    credit_limit = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        TRAVELLER = "traveller"
        AGENT = "agent"
        AGENCY_ADMIN = "agency_admin"

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.TRAVELLER)
    phone = models.CharField(max_length=32, blank=True)
    notification_email = models.EmailField(blank=True)
    loyalty_tier = models.CharField(max_length=16, default="basic")

    @property
    def is_agent(self) -> bool:
        return self.role in (self.Role.AGENT, self.Role.AGENCY_ADMIN)


class PasswordResetToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used = models.BooleanField(default=False)
