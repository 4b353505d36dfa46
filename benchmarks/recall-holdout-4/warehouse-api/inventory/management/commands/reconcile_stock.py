from django.core.management.base import BaseCommand
from django.db.models import Sum

from accounts.models import Account
from inventory.models import Product


class Command(BaseCommand):
    help = "Compare product quantities against the movement ledger and optionally fix them."

    def add_arguments(self, parser):
        parser.add_argument("account_slug")
        parser.add_argument("--fix", action="store_true")

    def handle(self, *args, account_slug, fix, **options):
        account = Account.objects.get(slug=account_slug)
        products = Product.objects.filter(account=account).annotate(ledger=Sum("movements__delta"))
        mismatches = 0
        for product in products:
            ledger = product.ledger or 0
            if ledger == product.quantity:
                continue
            mismatches += 1
            self.stdout.write(f"{product.sku}@{product.warehouse_id}: quantity={product.quantity} ledger={ledger}")
            if fix:
                Product.objects.filter(pk=product.pk).update(quantity=ledger)
        self.stdout.write(self.style.SUCCESS(f"{mismatches} mismatches"))
