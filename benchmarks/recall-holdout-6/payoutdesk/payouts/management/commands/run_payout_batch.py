"""Scheduled payouts: `manage.py run_payout_batch --schedule daily` (cron, 02:00 UTC)."""
import datetime as dt
import logging
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.http import BadRequest
from payouts.models import Balance
from payouts.services import request_payout
from sellers.models import Seller

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Request a payout of the full available balance for every seller on the given schedule."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", choices=["daily", "weekly"], required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, schedule: str, dry_run: bool, **options):
        today = dt.date.today().isoformat()
        requested = skipped = 0
        sellers = Seller.objects.due_for_payout(schedule).order_by("id")
        for seller in sellers.iterator(chunk_size=500):
            account = seller.bank_accounts.filter(is_default=True, verified_at__isnull=False).first()
            balance = Balance.objects.filter(seller=seller).first()
            if account is None or balance is None or balance.available < settings.PAYOUT_MIN_AMOUNT * 2:
                skipped += 1
                continue
            if dry_run:
                self.stdout.write(f"would pay {seller.slug}: {balance.available} {balance.currency}")
                continue
            # leave room for the fee; the service recomputes it under the row lock
            amount = (balance.available * (1 - settings.PAYOUT_FEE_RATE)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            try:
                request_payout(
                    seller,
                    amount=amount,
                    bank_account_id=account.id,
                    instant=False,
                    idempotency_key=f"scheduled-{schedule}-{today}",
                )
                requested += 1
            except BadRequest as exc:
                log.warning("scheduled payout for seller %s skipped: %s", seller.pk, exc)
                skipped += 1
        if requested == 0 and skipped == 0:
            raise CommandError(f"no sellers on the {schedule} schedule")
        self.stdout.write(self.style.SUCCESS(f"requested={requested} skipped={skipped}"))
