import logging

from django.core.management.base import BaseCommand
from django.utils import timezone

from grants.models import Disbursement
from grants.payments import PayoutError, payouts_client

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send payouts for disbursements scheduled on or before today (run daily by cron)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--limit", type=int, default=200)

    def handle(self, *args, dry_run=False, limit=200, **options):
        client = payouts_client()
        due = (
            Disbursement.objects.filter(status=Disbursement.Status.SCHEDULED, scheduled_for__lte=timezone.localdate())
            .select_related("award__application__organization")
            .order_by("scheduled_for")[:limit]
        )
        sent = failed = 0
        for disbursement in due:
            org = disbursement.award.application.organization
            if dry_run:
                self.stdout.write(f"would pay {disbursement.amount} to {org.name}")
                continue
            try:
                payout = client.create_payout(
                    amount=disbursement.amount,
                    account_name=org.bank_account_name,
                    account_number=org.bank_account_number,
                    routing_number=org.bank_routing_number,
                    reference=f"GRANT-{disbursement.award.application_id}",
                    idempotency_key=f"disbursement-{disbursement.pk}",
                )
            except PayoutError as exc:
                failed += 1
                log.error("payout for disbursement %s failed: %s", disbursement.pk, exc)
                Disbursement.objects.filter(pk=disbursement.pk).update(status=Disbursement.Status.FAILED)
                continue
            Disbursement.objects.filter(pk=disbursement.pk).update(
                status=Disbursement.Status.SENT, payout_id=payout["id"]
            )
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"sent={sent} failed={failed}"))
