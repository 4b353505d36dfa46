"""django-rq jobs. Queue "payouts" runs on the payout workers, "default" on the shared ones."""
import logging

import django_rq
import requests
from django.core.cache import cache
from django.core.mail import send_mail
from django.conf import settings
from django.db import transaction
from rq import Retry

from .clients import PSPError, get_fx_client, get_psp_client
from .models import Payout
from .services import fail_unsubmitted, mark_paid

log = logging.getLogger(__name__)

PSP_SUBMIT_ATTEMPTS = 5
FX_CACHE_SECONDS = 15 * 60


@django_rq.job("payouts")
def submit_payout(payout_id: int) -> None:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("bank_account").get(pk=payout_id)
        if payout.status != Payout.Status.APPROVED:
            log.info("payout %s is %s, not submitting", payout.pk, payout.status)
            return
        payout.status = Payout.Status.SUBMITTED
        payout.save(update_fields=["status"])
        account = payout.bank_account

    psp = get_psp_client()
    transfer = None
    for attempt in range(PSP_SUBMIT_ATTEMPTS):
        try:
            transfer = psp.create_transfer(
                amount=payout.amount,
                currency=payout.currency,
                iban=account.iban,
                holder=account.holder_name,
                reference=payout.reference,
                instant=payout.instant,
            )
            break
        except requests.RequestException as exc:
            log.warning("submit of payout %s failed (attempt %d): %s", payout.pk, attempt + 1, exc)
            continue
        except PSPError as exc:
            log.error("PSP rejected payout %s: %s", payout.pk, exc)
            fail_unsubmitted(payout.pk, str(exc))
            return
    if transfer is None:
        Payout.objects.filter(pk=payout.pk).update(status=Payout.Status.APPROVED)
        raise RuntimeError(f"could not submit payout {payout.pk}")

    Payout.objects.filter(pk=payout.pk).update(psp_transfer_id=transfer["id"])
    django_rq.get_queue("default").enqueue(
        notify_seller, payout.pk, "submitted", retry=Retry(max=3, interval=[30, 120, 600])
    )


def notify_seller(payout_id: int, event: str) -> None:
    payout = Payout.objects.select_related("seller").get(pk=payout_id)
    send_mail(
        subject=f"Payout {payout.reference} {event}",
        message=f"Your payout of {payout.amount:.2f} {payout.currency} is {event}.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[payout.seller.contact_email],
    )


def send_confirmation_code(payout_id: int, code: str) -> None:
    payout = Payout.objects.select_related("seller").get(pk=payout_id)
    send_mail(
        subject="Confirm your payout",
        message=f"Your confirmation code for payout {payout.reference} is {code}. It expires in 15 minutes.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[payout.seller.contact_email],
    )


def refresh_fx_rates() -> dict:
    """Scheduled every 10 minutes by rqscheduler; the dashboard reads the cached rates."""
    fx = get_fx_client()
    rates = {}
    for quote in settings.PAYOUT_CURRENCIES:
        if quote == "EUR":
            continue
        try:
            rates[quote] = str(fx.rate("EUR", quote))
        except requests.RequestException:
            log.exception("fx rate EUR/%s unavailable; keeping the cached value", quote)
            continue
    if rates:
        cache.set_many({f"fx:EUR:{q}": r for q, r in rates.items()}, timeout=FX_CACHE_SECONDS)
    return rates


def reconcile_submitted(limit: int = 200) -> int:
    """Catches transfers whose webhook never arrived."""
    psp = get_psp_client()
    checked = 0
    for payout in Payout.objects.filter(status=Payout.Status.SUBMITTED).order_by("created_at")[:limit]:
        try:
            transfer = psp.get_transfer(payout.psp_transfer_id)
        except (requests.RequestException, PSPError):
            log.exception("could not fetch transfer %s", payout.psp_transfer_id)
            continue
        if transfer["status"] == "paid":
            mark_paid(payout.psp_transfer_id)
        checked += 1
    return checked
