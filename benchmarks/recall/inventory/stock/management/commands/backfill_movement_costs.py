"""One-off backfill for StockMovement.unit_cost, added in release 2024.06."""
from django.core.management.base import BaseCommand

from stock.models import StockMovement


class Command(BaseCommand):
    help = "Fill unit_cost on historical stock movements from the product's current cost."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        pending = StockMovement.objects.filter(unit_cost__isnull=True).order_by("id")
        filled = 0
        for movement in pending.iterator(chunk_size=1000):
            movement.unit_cost = movement.stock_item.product.unit_cost
            if not options["dry_run"]:
                movement.save(update_fields=["unit_cost"])
            filled += 1
        self.stdout.write(self.style.SUCCESS(f"{filled} movements backfilled"))
