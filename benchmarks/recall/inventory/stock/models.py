from django.conf import settings
from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    reporting_schema = models.CharField(
        max_length=63,
        help_text="Postgres schema holding this tenant's reporting views; set at provisioning.",
    )

    def __str__(self):
        return self.name


class Profile(models.Model):
    ROLE_CHOICES = [("viewer", "Viewer"), ("clerk", "Clerk"), ("manager", "Manager")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default="viewer")


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    email = models.EmailField()
    code = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=16, choices=Profile.ROLE_CHOICES, default="viewer")
    accepted_at = models.DateTimeField(null=True, blank=True)


class Warehouse(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="warehouses")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)

    class Meta:
        unique_together = [("organization", "code")]


class Supplier(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    external_id = models.CharField(max_length=64)


class Product(models.Model):
    UNIT_CHOICES = [("pcs", "pieces"), ("kg", "kilograms"), ("m", "metres"), ("l", "litres")]

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL)
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=64, db_index=True)
    unit = models.CharField(max_length=4, choices=UNIT_CHOICES, default="pcs")
    unit_cost = models.DecimalField(max_digits=12, decimal_places=4)
    reorder_level = models.DecimalField(max_digits=12, decimal_places=3, default=0)

    class Meta:
        unique_together = [("organization", "sku")]


class StockItem(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_items")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="stock_items")
    quantity = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("product", "warehouse")]


class StockMovement(models.Model):
    KIND_CHOICES = [
        ("receipt", "Receipt"),
        ("reservation", "Reservation"),
        ("release", "Release"),
        ("transfer_out", "Transfer out"),
        ("transfer_in", "Transfer in"),
        ("shipment", "Shipment"),
    ]

    stock_item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    amount = models.FloatField(help_text="Quantity moved, in the product's unit of measure.")
    unit_cost = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stock_item", "reference"],
                condition=models.Q(kind="shipment"),
                name="uniq_shipment_reference",
            )
        ]


class PurchaseOrder(models.Model):
    STATUS_CHOICES = [
        ("draft", "Draft"),
        ("submitted", "Submitted"),
        ("approved", "Approved"),
        ("received", "Received"),
    ]

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default="draft")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchase_orders"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)


class PartnerKey(models.Model):
    """API key issued to a fulfilment partner; only the SHA-256 of the key is stored."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
