from django.db import models


class SellerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Seller.Status.ACTIVE)

    def due_for_payout(self, schedule: str):
        return self.active().filter(payout_schedule=schedule)


class Seller(models.Model):
    class Status(models.TextChoices):
        ONBOARDING = "onboarding"
        ACTIVE = "active"
        FROZEN = "frozen"
        CLOSED = "closed"

    class Schedule(models.TextChoices):
        DAILY = "daily"
        WEEKLY = "weekly"
        MANUAL = "manual"

    slug = models.SlugField(unique=True)
    display_name = models.CharField(max_length=120)
    legal_name = models.CharField(max_length=200)
    tax_id = models.CharField(max_length=32)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ONBOARDING, db_index=True)
    payout_schedule = models.CharField(max_length=8, choices=Schedule.choices, default=Schedule.WEEKLY)
    risk_score = models.PositiveSmallIntegerField(default=0)
    internal_notes = models.TextField(blank=True)
    logo = models.BinaryField(null=True, blank=True)
    logo_content_type = models.CharField(max_length=64, blank=True)
    rating = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SellerQuerySet.as_manager()

    def __str__(self) -> str:
        return self.display_name


class BankAccount(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="bank_accounts")
    holder_name = models.CharField(max_length=140)
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)
    currency = models.CharField(max_length=3)
    is_default = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "currency"], condition=models.Q(is_default=True), name="one_default_per_currency"
            )
        ]

    @property
    def last4(self) -> str:
        return self.iban[-4:]

    def masked(self) -> str:
        return f"{self.iban[:4]} **** {self.last4}"
