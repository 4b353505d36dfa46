"""Seller profile, bank accounts and branding."""
import logging
from urllib.parse import urlsplit

import requests
from django.db import transaction
from django.utils import timezone

from core.http import BadRequest

from .forms import BankAccountForm, SellerProfileForm
from .models import BankAccount, Seller

log = logging.getLogger(__name__)

LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"image/png", "image/jpeg", "image/webp"}


def update_profile(seller: Seller, data: dict) -> Seller:
    form = SellerProfileForm(data)
    if not form.is_valid():
        raise BadRequest(form.errors.as_json())
    changed = [k for k, v in form.cleaned_data.items() if k in data and v not in (None, "")]
    for field in changed:
        setattr(seller, field, form.cleaned_data[field])
    if changed:
        seller.save(update_fields=changed)
    return seller


def add_bank_account(seller: Seller, data: dict, make_default: bool) -> BankAccount:
    form = BankAccountForm(data)
    if not form.is_valid():
        raise BadRequest(form.errors.as_json())
    with transaction.atomic():
        account = form.save(commit=False)
        account.seller = seller
        if make_default:
            seller.bank_accounts.filter(currency=account.currency, is_default=True).update(is_default=False)
            account.is_default = True
        account.save()
    log.info(
        "seller %s added bank account %s (%s, holder %s)",
        seller.pk, account.iban, account.currency, account.holder_name,
    )
    return account


def mark_verified(account: BankAccount) -> None:
    account.verified_at = timezone.now()
    account.save(update_fields=["verified_at"])
    log.info("bank account %s for seller %s verified", account.masked(), account.seller_id)


def import_logo(seller: Seller, url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise BadRequest("logo_url must be an http(s) URL")
    resp = requests.get(url, timeout=(3, 10), stream=True)
    try:
        resp.raise_for_status()
        content_type = resp.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type not in LOGO_TYPES:
            raise BadRequest(f"unsupported logo type {content_type or 'unknown'}")
        content = resp.raw.read(LOGO_MAX_BYTES + 1, decode_content=True)
    finally:
        resp.close()
    if len(content) > LOGO_MAX_BYTES:
        raise BadRequest("logo too large")
    seller.logo = content
    seller.logo_content_type = content_type
    seller.save(update_fields=["logo", "logo_content_type"])


def freeze(seller: Seller, actor, reason: str) -> Seller:
    with transaction.atomic():
        seller = Seller.objects.select_for_update().get(pk=seller.pk)
        seller.status = Seller.Status.FROZEN
        seller.internal_notes = f"{seller.internal_notes}\n[{timezone.now():%Y-%m-%d}] frozen by {actor.pk}: {reason}".strip()
        seller.save(update_fields=["status", "internal_notes"])
    log.info("seller %s frozen by user %s", seller.pk, actor.pk)
    return seller
