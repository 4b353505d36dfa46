"""Local demo data: `manage.py seed_demo --sellers 20`. Refuses to run with DEBUG off."""
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, Role
from payouts.models import Balance, LedgerEntry
from sellers.models import BankAccount, Seller

ADJECTIVES = ["Blue", "Quiet", "Rapid", "Golden", "Little", "Northern", "Honest", "Clever"]
NOUNS = ["Fox", "Kettle", "Loom", "Harbor", "Atlas", "Garden", "Anvil", "Lantern"]
COUNTRIES = ["DE", "FR", "NL", "IE", "ES", "GB"]


class Command(BaseCommand):
    help = "Create demo sellers, members, bank accounts and balances."

    def add_arguments(self, parser):
        parser.add_argument("--sellers", type=int, default=10)
        parser.add_argument("--seed", type=int, default=7)

    @transaction.atomic
    def handle(self, *args, sellers: int, seed: int, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on")
        rng = random.Random(seed)
        for n in range(sellers):
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {n}"
            country = rng.choice(COUNTRIES)
            seller = Seller.objects.create(
                slug=f"demo-{n}", display_name=name, legal_name=f"{name} Ltd", tax_id=f"DEMO{n:06d}",
                contact_email=f"seller{n}@demo.invalid", country=country, status=Seller.Status.ACTIVE,
                risk_score=rng.randrange(0, 100),
            )
            BankAccount.objects.create(
                seller=seller, holder_name=f"{name} Ltd", iban=f"{country}00DEMO{n:014d}", currency="EUR",
                is_default=True, verified_at=timezone.now(),
            )
            amount = Decimal(rng.randrange(1_000, 500_000)) / 100
            Balance.objects.create(seller=seller, available=amount)
            LedgerEntry.objects.create(seller=seller, kind=LedgerEntry.Kind.SALE, amount=amount, currency="EUR",
                                       memo="demo sales")
            user = User.objects.create_user(f"seller{n}", password="demo-password-1")
            Profile.objects.create(user=user, role=Role.SELLER, seller=seller)
        ops = User.objects.create_user("ops", password="demo-password-1")
        Profile.objects.create(user=ops, role=Role.OPS)
        self.stdout.write(self.style.SUCCESS(f"created {sellers} sellers"))
