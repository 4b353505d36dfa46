"""Fee schedule for payouts and refunds."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.config import get_settings

settings = get_settings()

CENT = Decimal("0.01")
BPS = Decimal(10_000)
REFUND_FIXED_FEE = Decimal("0.30")
REFUND_FEE_BPS = Decimal(50)


def payout_fee(amount: Decimal, fee_rate_bps: int, instant: bool) -> Decimal:
    bps = fee_rate_bps + (settings.instant_payout_fee_bps if instant else 0)
    fee = float(amount) * bps / 10_000
    return Decimal(str(round(fee, 2)))


def refund_fee(amount: Decimal) -> Decimal:
    variable = (amount * REFUND_FEE_BPS / BPS).quantize(CENT, rounding=ROUND_HALF_UP)
    return variable + REFUND_FIXED_FEE
