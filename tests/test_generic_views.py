"""Django views answering only through a project base's generic base (endpoints/generic_views.py)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_MODELS = """
    from django.db import models


    class Order(models.Model):
        status = models.CharField(max_length=20)
    """
_BASE = """
    from django import forms
    from django.contrib.auth.mixins import LoginRequiredMixin
    from django.views.generic import CreateView, ListView, View


    class ShopListView(LoginRequiredMixin, ListView):
        paginate_by = 25


    class ShopCreateView(LoginRequiredMixin, CreateView):
        fields = "__all__"


    class ExportView(View):
        def get(self, request):
            return None


    class ShopForm(forms.ModelForm):
        pass
    """


def _endpoints(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, str]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.handler.split(".", 2)[-1]) for s in report.overview.services for e in s.endpoints}


def test_views_bound_in_urls_answer_through_their_project_bases_generic_base(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "shop/__init__.py": "", "shop/models.py": _MODELS, "shop/base.py": _BASE,
        "shop/views.py": """
            from .base import ExportView, ShopCreateView, ShopListView
            from .models import Order


            class OrderList(ShopListView):
                model = Order

                def get_queryset(self):
                    return Order.objects.filter(status=self.request.GET.get("status", "open"))


            class OrderAdd(ShopCreateView):
                model = Order


            class OrderExport(ExportView):
                model = Order
            """,
        "shop/urls.py": """
            from django.urls import path
            from . import views

            urlpatterns = [
                path("orders/", views.OrderList.as_view()),
                path("orders/add/", views.OrderAdd.as_view()),
                path("orders/export/", views.OrderExport.as_view()),
            ]
            """,
    })
    assert {("GET", "OrderList.get"), ("GET", "OrderAdd.get"), ("POST", "OrderAdd.post")} <= found
    # a base's own `get` answers for its subclass already: no second, inherited route
    assert not any(handler.startswith("OrderExport.") for _, handler in found)


def test_unbound_subclasses_and_non_view_classes_are_not_endpoints(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "shop/__init__.py": "", "shop/models.py": _MODELS, "shop/base.py": _BASE,
        "shop/views.py": """
            from .base import ShopForm, ShopListView
            from .models import Order


            class ArchivedOrders(ShopListView):
                model = Order


            class OrderForm(ShopForm):
                pass


            def orders(request):
                return None
            """,
        "shop/urls.py": """
            from django.urls import path
            from . import views

            urlpatterns = [path("orders/", views.orders)]
            """,
    })
    assert not any(handler.startswith(("ArchivedOrders.", "OrderForm.", "ShopListView.")) for _, handler in found)
