from django.conf import settings
from django.db import models

from accounts.models import Account


class Warehouse(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="warehouses")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=120)
    address = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        unique_together = [("account", "code")]


class Product(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="products")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="products")
    sku = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=200)
    quantity = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    reorder_level = models.IntegerField(default=0)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    cost_price = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("warehouse", "sku")]

    @property
    def available(self):
        return self.quantity - self.reserved


class Order(models.Model):
    STATUS_OPEN = "open"
    STATUS_ALLOCATED = "allocated"
    STATUS_BOOKING = "booking"
    STATUS_SHIPPED = "shipped"
    STATUS_DELIVERED = "delivered"
    STATUS_CANCELLED = "cancelled"
    STATUS_CHOICES = [(s, s) for s in (STATUS_OPEN, STATUS_ALLOCATED, STATUS_BOOKING, STATUS_SHIPPED, STATUS_DELIVERED, STATUS_CANCELLED)]

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="orders")
    reference = models.CharField(max_length=40, unique=True)
    customer_name = models.CharField(max_length=200)
    ship_to = models.TextField()
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=STATUS_OPEN, db_index=True)
    discount_pct = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)


class StockMovement(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField()
    reason = models.CharField(max_length=40)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class Transfer(models.Model):
    source = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="transfers_out")
    destination = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="transfers_in")
    quantity = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Shipment(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="shipment")
    carrier_ref = models.CharField(max_length=64, unique=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=32, default="booked", db_index=True)
    label_file = models.CharField(max_length=255, blank=True)
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
