"""Payout fees. Standard payouts pay the flat rate; instant payouts the premium."""
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")
MIN_FEE = Decimal("0.25")


def standard_fee(amount: Decimal) -> Decimal:
    fee = (amount * settings.PAYOUT_FEE_RATE).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(fee, MIN_FEE)


def instant_fee(amount: Decimal) -> Decimal:
    fee = float(amount) * float(settings.INSTANT_PAYOUT_FEE_RATE) + 0.30
    return Decimal(round(fee, 2))


def fee_for(amount: Decimal, instant: bool) -> Decimal:
    return instant_fee(amount) if instant else standard_fee(amount)
