from django.db import models


class Vehicle(models.Model):
    plate = models.CharField(max_length=16)
