from django.conf import settings
from django.db import models


class Lab(models.Model):
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=32, unique=True)
    slack_channel = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Profile(models.Model):
    TECHNICIAN = "technician"
    SCIENTIST = "scientist"
    MANAGER = "manager"
    ROLE_CHOICES = [
        (TECHNICIAN, "Technician"),
        (SCIENTIST, "Scientist"),
        (MANAGER, "Lab manager"),
    ]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="profiles")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default=TECHNICIAN)
    phone = models.CharField(max_length=32, blank=True)
    orcid = models.CharField(max_length=19, blank=True)

    @property
    def is_manager(self) -> bool:
        return self.role == self.MANAGER
