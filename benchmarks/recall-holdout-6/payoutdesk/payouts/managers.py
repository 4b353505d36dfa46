from django.db import models


class PayoutQuerySet(models.QuerySet):
    def for_seller(self, seller):
        return self.filter(seller=seller)

    def open(self):
        return self.exclude(status__in=["paid", "failed", "cancelled"])

    def awaiting_review(self):
        return self.filter(status="review").order_by("created_at")


class LedgerQuerySet(models.QuerySet):
    def for_seller(self, seller):
        return self.filter(seller=seller)

    def between(self, start, end):
        return self.filter(created_at__gte=start, created_at__lt=end)
