from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=32, blank=True)
    mfa_enabled = models.BooleanField(default=False)
    last_password_change = models.DateTimeField(null=True, blank=True)

    def get_full_name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email


class StaffProfile(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Clinic administrator"
        PRACTITIONER = "practitioner", "Practitioner"
        FRONT_DESK = "front_desk", "Front desk"
        BILLING = "billing", "Billing"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_profile")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.FRONT_DESK)
    can_issue_refunds = models.BooleanField(default=False)
    title = models.CharField(max_length=80, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "role"])]

    def __str__(self):
        return f"{self.user.get_full_name()} ({self.get_role_display()})"


class StaffInvitation(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=StaffProfile.Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]
