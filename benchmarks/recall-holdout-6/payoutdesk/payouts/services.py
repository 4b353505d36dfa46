"""Payout lifecycle: request, confirm, review, submit, settle or fail."""
import hashlib
import hmac
import logging
import random
import secrets
from decimal import Decimal

import django_rq
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.http import BadRequest
from sellers.models import BankAccount, Seller

from .fees import fee_for
from .models import Balance, LedgerEntry, Payout

log = logging.getLogger(__name__)

MAX_CONFIRMATION_ATTEMPTS = 5
REVIEW_RISK_SCORE = 70


def _reference() -> str:
    return "PO" + secrets.token_hex(6).upper()


def _hash_code(payout_id: int, code: str) -> str:
    return hashlib.sha256(f"{payout_id}:{code}:{settings.SECRET_KEY}".encode()).hexdigest()


def issue_confirmation_code(payout: Payout) -> str:
    code = f"{random.randint(0, 999999):06d}"
    payout.confirmation_code_hash = _hash_code(payout.id, code)
    payout.confirmation_attempts = 0
    payout.save(update_fields=["confirmation_code_hash", "confirmation_attempts"])
    return code


def request_payout(seller: Seller, *, amount: Decimal, bank_account_id: int, instant: bool,
                   idempotency_key: str | None, actor=None) -> tuple[Payout, bool]:
    if amount < settings.PAYOUT_MIN_AMOUNT:
        raise BadRequest(f"minimum payout is {settings.PAYOUT_MIN_AMOUNT}")
    if seller.status != Seller.Status.ACTIVE:
        raise BadRequest("seller is not active", status=409)
    account = BankAccount.objects.filter(pk=bank_account_id, seller=seller, verified_at__isnull=False).first()
    if account is None:
        raise BadRequest("unknown or unverified bank account")

    fee = fee_for(amount, instant)
    code = None
    with transaction.atomic():
        if idempotency_key:
            existing = Payout.objects.filter(seller=seller, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        balance = Balance.objects.select_for_update().get(seller=seller)
        if balance.available < amount + fee:
            raise BadRequest("insufficient available balance", status=409)
        balance.available -= amount + fee
        balance.pending += amount
        balance.save(update_fields=["available", "pending", "updated_at"])

        needs_review = seller.risk_score >= REVIEW_RISK_SCORE
        payout = Payout.objects.create(
            seller=seller,
            bank_account=account,
            reference=_reference(),
            amount=amount,
            fee=fee,
            currency=account.currency,
            instant=instant,
            status=Payout.Status.REVIEW if needs_review else Payout.Status.APPROVED,
            idempotency_key=idempotency_key,
        )
        LedgerEntry.objects.bulk_create([
            LedgerEntry(seller=seller, kind=LedgerEntry.Kind.PAYOUT, amount=-amount, currency=payout.currency,
                        payout=payout, created_by=actor),
            LedgerEntry(seller=seller, kind=LedgerEntry.Kind.FEE, amount=-fee, currency=payout.currency,
                        payout=payout, created_by=actor),
        ])
        if amount >= settings.PAYOUT_CONFIRMATION_THRESHOLD:
            payout.status = Payout.Status.AWAITING_CONFIRMATION
            payout.save(update_fields=["status"])
            code = issue_confirmation_code(payout)

    if code is not None:
        django_rq.enqueue("payouts.jobs.send_confirmation_code", payout.id, code)
    elif payout.status == Payout.Status.APPROVED:
        transaction.on_commit(lambda: django_rq.get_queue("payouts").enqueue("payouts.jobs.submit_payout", payout.id))
    return payout, True


def confirm_payout(payout: Payout, code: str) -> Payout:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("seller").get(pk=payout.pk)
        if payout.status != Payout.Status.AWAITING_CONFIRMATION:
            raise BadRequest("payout is not awaiting confirmation", status=409)
        if payout.confirmation_attempts >= MAX_CONFIRMATION_ATTEMPTS:
            raise BadRequest("too many attempts; request a new payout", status=429)
        payout.confirmation_attempts += 1
        ok = hmac.compare_digest(payout.confirmation_code_hash, _hash_code(payout.id, code))
        if ok:
            needs_review = payout.seller.risk_score >= REVIEW_RISK_SCORE
            payout.status = Payout.Status.REVIEW if needs_review else Payout.Status.APPROVED
            payout.confirmation_code_hash = ""
        payout.save(update_fields=["status", "confirmation_attempts", "confirmation_code_hash"])
    if not ok:
        raise BadRequest("wrong confirmation code", status=403)
    if payout.status == Payout.Status.APPROVED:
        django_rq.get_queue("payouts").enqueue("payouts.jobs.submit_payout", payout.id)
    return payout


def approve_payout(payout_id: int, reviewer) -> Payout:
    updated = Payout.objects.filter(pk=payout_id, status=Payout.Status.REVIEW).update(
        status=Payout.Status.APPROVED, approved_by=reviewer
    )
    if not updated:
        raise BadRequest("payout is not in review", status=409)
    django_rq.get_queue("payouts").enqueue("payouts.jobs.submit_payout", payout_id)
    return Payout.objects.get(pk=payout_id)


def adjust_balance(seller: Seller, amount: Decimal, memo: str, actor) -> Balance:
    with transaction.atomic():
        balance = Balance.objects.select_for_update().get(seller=seller)
        if balance.available + amount < 0:
            raise BadRequest("adjustment would make the balance negative", status=409)
        balance.available += amount
        balance.save(update_fields=["available", "updated_at"])
        LedgerEntry.objects.create(seller=seller, kind=LedgerEntry.Kind.ADJUSTMENT, amount=amount,
                                   currency=balance.currency, memo=memo[:200], created_by=actor)
    log.info("balance of seller %s adjusted by %s by user %s", seller.pk, amount, actor.pk)
    return balance


def hold_funds(seller_id: int, amount: Decimal, dispute_id: str) -> Decimal:
    if LedgerEntry.objects.filter(kind=LedgerEntry.Kind.HOLD, external_ref=dispute_id).exists():
        return Decimal("0.00")
    with transaction.atomic():
        balance = Balance.objects.get(seller_id=seller_id)
        hold = min(amount, balance.available)
        balance.available -= hold
        balance.held += hold
        balance.save(update_fields=["available", "held", "updated_at"])
        LedgerEntry.objects.create(seller_id=seller_id, kind=LedgerEntry.Kind.HOLD, amount=-hold,
                                   currency=balance.currency, external_ref=dispute_id)
    return hold


def mark_paid(transfer_id: str) -> None:
    payout = Payout.objects.filter(psp_transfer_id=transfer_id).first()
    if payout is None:
        log.warning("paid event for unknown transfer %s", transfer_id)
        return
    updated = Payout.objects.filter(pk=payout.pk, status=Payout.Status.SUBMITTED).update(
        status=Payout.Status.PAID, paid_at=timezone.now()
    )
    if not updated:
        return
    Balance.objects.filter(seller_id=payout.seller_id).update(pending=F("pending") - payout.amount)
    LedgerEntry.objects.filter(payout=payout, kind=LedgerEntry.Kind.PAYOUT).update(
        external_ref=transfer_id, memo="settled"
    )


def mark_failed(transfer_id: str, reason: str) -> None:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(psp_transfer_id=transfer_id)
        payout.status = Payout.Status.FAILED
        payout.failure_reason = reason[:200]
        payout.save(update_fields=["status", "failure_reason"])
        Balance.objects.filter(seller_id=payout.seller_id).update(
            available=F("available") + payout.amount + payout.fee,
            pending=F("pending") - payout.amount,
        )
        LedgerEntry.objects.create(seller_id=payout.seller_id, kind=LedgerEntry.Kind.REVERSAL,
                                   amount=payout.amount + payout.fee, currency=payout.currency, payout=payout,
                                   external_ref=transfer_id, memo=f"transfer failed: {reason}"[:200])


def fail_unsubmitted(payout_id: int, reason: str) -> None:
    """The PSP refused the transfer outright: give the seller the money back."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != Payout.Status.SUBMITTED or payout.psp_transfer_id:
            return
        payout.status = Payout.Status.FAILED
        payout.failure_reason = reason[:200]
        payout.save(update_fields=["status", "failure_reason"])
        Balance.objects.filter(seller_id=payout.seller_id).update(
            available=F("available") + payout.amount + payout.fee,
            pending=F("pending") - payout.amount,
        )
        LedgerEntry.objects.create(seller_id=payout.seller_id, kind=LedgerEntry.Kind.REVERSAL,
                                   amount=payout.amount + payout.fee, currency=payout.currency, payout=payout,
                                   memo=f"rejected by PSP: {reason}"[:200])


def apply_psp_event(event: dict) -> None:
    kind = event["type"]
    data = event["data"]
    if kind == "transfer.paid":
        mark_paid(data["transfer_id"])
    elif kind == "transfer.failed":
        mark_failed(data["transfer_id"], data.get("reason", "unknown"))
    elif kind == "dispute.opened":
        hold_funds(int(data["seller_id"]), Decimal(data["amount"]), data["dispute_id"])
    else:
        log.info("ignoring PSP event type %s", kind)
