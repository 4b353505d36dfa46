import logging
from decimal import ROUND_HALF_UP, Decimal

from redis import Redis
from rq import Queue

from . import repo

log = logging.getLogger(__name__)

CENT = Decimal("0.01")


class ValidationError(Exception):
    pass


def quote_fee(merchant: dict, amount: str) -> dict:
    value = Decimal(amount)
    if value <= 0:
        raise ValidationError("amount must be positive")
    fee = (value * merchant["fee_bps"] / Decimal(10000)).quantize(CENT, rounding=ROUND_HALF_UP)
    return {"amount": str(value.quantize(CENT)), "fee": str(fee), "total": str(value + fee)}


def create_payout(merchant: dict, payload: dict, queue: Queue) -> int:
    beneficiary_id = int(payload["beneficiary_id"])
    currency = payload.get("currency", "EUR").upper()
    amount = float(payload["amount"])
    if amount <= 0:
        raise ValidationError("amount must be positive")
    fee = round(amount * merchant["fee_bps"] / 10000, 2)
    if amount > float(merchant["daily_limit"]):
        raise ValidationError("amount exceeds daily limit")

    repo.debit_balance(merchant["id"], currency, amount + fee)
    payout_id = repo.insert_payout(
        {
            "merchant_id": merchant["id"],
            "beneficiary_id": beneficiary_id,
            "merchant_ref": payload["merchant_ref"],
            "amount": amount,
            "fee": fee,
            "currency": currency,
        }
    )
    repo.insert_ledger(merchant["id"], payout_id, -(amount + fee), currency, "payout")
    queue.enqueue("payouts.tasks.process_payout", payout_id, job_timeout=120)
    log.info(
        "payout %s queued for merchant %s: %s %s to beneficiary %s",
        payout_id, merchant["id"], amount, currency, beneficiary_id,
    )
    return payout_id


def payout_queue(redis_url: str) -> Queue:
    return Queue("payouts", connection=Redis.from_url(redis_url, socket_timeout=5))
