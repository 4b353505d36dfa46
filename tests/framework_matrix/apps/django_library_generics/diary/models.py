from django.db import models


class Entry(models.Model):
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
