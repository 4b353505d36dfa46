"""The project's own queryset methods (frameworks.queryset_methods): which count, and the filter
each carries."""
from __future__ import annotations

from servicelens.frameworks.queryset_methods import queryset_method_entries, queryset_methods

_MANAGERS = '''
from django.db import models


class ShipmentQuerySet(models.QuerySet):
    def for_carrier(self, carrier):
        return self.filter(carrier_id=carrier.id)

    def late(self):
        return self.for_carrier(None).filter(eta__lt=1).order_by("eta")

    def first_late(self):
        return self.late().first()

    def count_late(self):
        return self.late().count()

    def as_rows(self):
        return list(self.all())


class DepotManager(models.Manager):
    def busy(self):
        return super().get_queryset().filter(busy=True)


class SlotQuerySet(models.QuerySet):
    def busy(self):
        return self.filter(taken=True)


class Basket:
    def for_carrier(self, carrier):
        return self.filter(carrier=carrier)
'''


def test_methods_handing_back_rows_of_a_django_queryset_or_manager_count() -> None:
    found = queryset_methods(queryset_method_entries([_MANAGERS]))
    assert found == {"for_carrier": (("carrier",), False, False, ()), "late": (("carrier",), True, False, ())}


_LOADING = '''
from django.db import models
from django.db.models import Prefetch


class TicketQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("reporter").prefetch_related(Prefetch("watchers"), "labels__group")

    def open_with_people(self):
        return self.with_people().filter(open=True)


class InvoiceQuerySet(models.QuerySet):
    def with_people(self):
        return self.select_related("reporter")


class NoteQuerySet(models.QuerySet):
    def with_authors(self):
        return self.prefetch_related("authors__profile", Prefetch("replies"))

    def pinned_with_authors(self):
        return self.with_authors().filter(pinned=True)
'''


def test_what_a_method_loads_travels_with_it_and_a_shared_name_keeps_what_every_definition_loads() -> None:
    found = queryset_methods(queryset_method_entries([_LOADING]))
    assert found["with_people"][3] == ("reporter",)
    assert found["open_with_people"][3] == ("reporter",)  # which `with_people` it chains on is not known by name
    assert found["pinned_with_authors"][3] == ("authors__profile", "replies")


def test_no_entry_without_django() -> None:
    assert queryset_method_entries([_MANAGERS.replace("from django.db import models", "import models")]) == frozenset()
