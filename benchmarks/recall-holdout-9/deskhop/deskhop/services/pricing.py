from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

CREDIT_PRICE_EUR = 0.35
CREDIT_PRICE = Decimal("0.35")
VAT_RATE = Decimal("0.21")
CENT = Decimal("0.01")


def booking_credits(hourly_credits: int, starts_at: datetime, ends_at: datetime) -> int:
    minutes = (ends_at - starts_at).total_seconds() / 60
    return math.ceil(minutes / 30) * math.ceil(hourly_credits / 2)


def quote(credits: int) -> tuple[Decimal, Decimal]:
    net = (CREDIT_PRICE * credits).quantize(CENT, rounding=ROUND_HALF_UP)
    vat = (net * VAT_RATE).quantize(CENT, rounding=ROUND_HALF_UP)
    return net, vat


def topup_amount_cents(credits: int) -> int:
    gross = credits * CREDIT_PRICE_EUR * 1.21
    return int(gross * 100)
