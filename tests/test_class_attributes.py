"""analysis.class_attributes: class-level attributes holding an instance, and calls through them."""
from servicelens import runner
from servicelens.taint.resolve import _through_instance

_MODELS = '''
from django.db import models
from shop.managers import OrderManager, OrderQuerySet
from shop.clients import PaymentsClient


class Order(models.Model):
    total = models.DecimalField(max_digits=10, decimal_places=2)
    objects = OrderManager()
    open = OrderQuerySet.as_manager()
    both = OrderManager.from_queryset(OrderQuerySet)()
    retries = 3
    retries += 1


class Checkout:
    payments = PaymentsClient(timeout=5)
'''


def test_attributes_name_the_classes_of_what_they_hold() -> None:
    (facts,) = runner.analyze_batch([runner.FileJob("shop/models.py", _MODELS, "1" * 64)], (), frozenset())
    assert dict(facts.attribute_classes) == {
        "shop.models.Order.objects": ("shop.managers.OrderManager",),
        "shop.models.Order.open": ("shop.managers.OrderQuerySet",),
        "shop.models.Order.both": ("shop.managers.OrderManager", "shop.managers.OrderQuerySet"),
        "shop.models.Order.total": ("django.db.models.DecimalField",),
        "shop.models.Checkout.payments": ("shop.clients.PaymentsClient",),
    }


def test_a_method_called_on_an_attribute_binds_self_and_one_called_on_its_class_does_not() -> None:
    assert _through_instance("shop.models.Order.objects.settle")
    assert _through_instance("shop.service.Checkout.payments.charge")
    assert not _through_instance("shop.managers.OrderManager.settle")
    assert not _through_instance("settle")
