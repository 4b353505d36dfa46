from decimal import Decimal

from django.conf import settings
from django.db import models


class Supplier(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class Departure(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="departures")
    code = models.CharField(max_length=40)
    origin = models.CharField(max_length=3)
    destination = models.CharField(max_length=3)
    departs_at = models.DateTimeField()
    seats_total = models.PositiveIntegerField()
    seats_left = models.PositiveIntegerField()
    base_fare = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["origin", "destination", "departs_at"])]
        constraints = [models.UniqueConstraint(fields=["supplier", "code"], name="uniq_departure_code")]


class PriceRule(models.Model):
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.CASCADE)
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    active = models.BooleanField(default=True)


class Booking(models.Model):
    class Status(models.TextChoices):
        HELD = "held"
        CONFIRMED = "confirmed"
        CANCELLED = "cancelled"

    reference = models.CharField(max_length=12, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT)
    departure = models.ForeignKey(Departure, on_delete=models.PROTECT, related_name="bookings")
    passengers = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    supplier_ref = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["agency", "-created_at"]),
        ]


class Traveller(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="travellers")
    full_name = models.CharField(max_length=120)
    passport_number = models.CharField(max_length=20)
    date_of_birth = models.DateField()


class Voucher(models.Model):
    code = models.CharField(max_length=16, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    issued_for = models.ForeignKey(Booking, null=True, on_delete=models.SET_NULL, related_name="vouchers")
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
