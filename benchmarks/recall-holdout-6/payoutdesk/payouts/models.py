from decimal import Decimal

from django.db import models

from .managers import LedgerQuerySet, PayoutQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}


class Balance(models.Model):
    seller = models.OneToOneField("sellers.Seller", on_delete=models.PROTECT, related_name="balance")
    currency = models.CharField(max_length=3, default="EUR")
    available = models.DecimalField(default=Decimal("0.00"), **MONEY)
    pending = models.DecimalField(default=Decimal("0.00"), **MONEY)
    held = models.DecimalField(default=Decimal("0.00"), **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(check=models.Q(available__gte=0), name="balance_available_gte_0")]


class Payout(models.Model):
    class Status(models.TextChoices):
        AWAITING_CONFIRMATION = "confirm"
        REVIEW = "review"
        APPROVED = "approved"
        SUBMITTED = "submitted"
        PAID = "paid"
        FAILED = "failed"
        CANCELLED = "cancelled"

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="payouts")
    bank_account = models.ForeignKey("sellers.BankAccount", on_delete=models.PROTECT, related_name="payouts")
    reference = models.CharField(max_length=32, unique=True)
    amount = models.DecimalField(**MONEY)
    fee = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    instant = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    confirmation_code_hash = models.CharField(max_length=64, blank=True)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0)
    psp_transfer_id = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    approved_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    objects = PayoutQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "idempotency_key"], name="payout_idempotency_key"),
        ]
        indexes = [models.Index(fields=["seller", "-created_at"])]

    def summary(self) -> dict:
        return {
            "id": self.id,
            "reference": self.reference,
            "amount": f"{self.amount:.2f}",
            "fee": f"{self.fee:.2f}",
            "currency": self.currency,
            "instant": self.instant,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
        }


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        SALE = "sale"
        PAYOUT = "payout"
        FEE = "fee"
        REVERSAL = "reversal"
        HOLD = "hold"
        RELEASE = "release"
        ADJUSTMENT = "adjustment"

    seller = models.ForeignKey("sellers.Seller", on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    payout = models.ForeignKey(Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    external_ref = models.CharField(max_length=64, blank=True)
    memo = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["seller", "created_at"])]

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "amount": f"{self.amount:.2f}",
            "currency": self.currency,
            "payout_id": self.payout_id,
            "external_ref": self.external_ref,
            "memo": self.memo,
            "created_at": self.created_at.isoformat(),
        }
