from django.db import models


class Contact(models.Model):
    name = models.CharField(max_length=200)
    archived = models.BooleanField(default=False)


class AuditEntry(models.Model):
    message = models.TextField()
