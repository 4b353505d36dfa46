"""Reach through method calls on ORM-loaded model instances (analysis/instance_calls.py): a model
method that only a management command calls, on an instance the ORM handed back, runs in that
command; the same method a view also calls runs on a request path; an unrelated class with a
method of the same name, a relation the model does not declare, and a receiver chosen at run time
draw no edge."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.analysis.instance_calls import InstanceCall, Relation, instance_callees
from servicelens.api import review
from servicelens.config.settings import Settings

MODELS = """
    import requests
    from django.db import models


    class Customer(models.Model):
        email = models.CharField(max_length=100)

        def notify(self):
            requests.post("https://mail.example.com/send", json={"to": self.email})


    class Order(models.Model):
        buyer = models.ForeignKey("shop.Customer", on_delete=models.CASCADE)
        total = models.IntegerField()

        def sync(self):
            requests.post("https://erp.example.com/orders", json={"id": self.pk})

        def refresh_rates(self):
            requests.get("https://rates.example.com/")

        def archive(self):
            requests.post("https://archive.example.com/")

        def settle(self):
            requests.post("https://pay.example.com/settle")


    class Ledger:
        def sync(self):
            requests.post("https://ledger.example.com/")

        def settle(self):
            requests.post("https://ledger.example.com/settle")
    """

COMMAND = """
    from django.core.management.base import BaseCommand

    from shop.models import Order


    class Command(BaseCommand):
        def handle(self, *args, **options):
            x = Order.objects.get(pk=options["pk"])
            x.sync()
            for row in Order.objects.filter(total__gt=0).order_by("pk"):
                row.refresh_rates()
            pair, _ = Order.objects.get_or_create(total=0)
            pair.buyer.notify()
    """

VIEWS = """
    from django.http import JsonResponse

    from shop.models import Order


    def sync_order(request, pk):
        y = Order.objects.filter(pk=pk).first()
        y.sync()
        return JsonResponse({"ok": True})
    """

URLS = """
    from django.urls import path

    from shop import views

    urlpatterns = [path("orders/<int:pk>/sync", views.sync_order)]
    """

DYNAMIC = """
    from django.core.management.base import BaseCommand

    from shop.models import Ledger, Order

    HANDLERS = {"ledger": Ledger}


    def pick(kind):
        return HANDLERS[kind]()


    class Command(BaseCommand):
        def handle(self, *args, **options):
            z = Order.objects.get(pk=1)
            if options["kind"]:
                z = pick(options["kind"])
            z.settle()
            w = Order.objects.get(pk=2)
            w.helper.archive()
    """


def _reach(tmp_path: Path, files: dict[str, str]) -> dict[int, str]:
    """Line in shop/models.py -> the reach of its missing-timeout finding."""
    base = {"shop/__init__.py": "", "shop/management/__init__.py": "", "shop/management/commands/__init__.py": "",
            "shop/models.py": MODELS}
    for rel, text in {**base, **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))
    return {f.location.start_line: f.reach.split(" ")[0] for f in report.findings
            if f.location.path == "shop/models.py"}


def _line(text: str) -> int:
    """The line of `text` in the models file as written."""
    return next(i for i, line in enumerate(dedent(MODELS).lstrip("\n").splitlines(), 1) if text in line)


def test_a_model_method_a_command_calls_on_an_orm_instance_runs_in_the_command(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/management/commands/nightly.py": COMMAND})
    assert reach[_line("erp.example.com")] == "command"  # x = Order.objects.get(...); x.sync()
    assert reach[_line("rates.example.com")] == "command"  # for row in Order.objects.filter(...)
    assert reach[_line("mail.example.com")] == "command"  # pair.buyer.notify(): ForeignKey("shop.Customer")


def test_the_same_method_a_view_also_calls_is_on_a_request_path(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/management/commands/nightly.py": COMMAND, "shop/views.py": VIEWS,
                              "shop/urls.py": URLS})
    assert reach[_line("erp.example.com")] == "request"  # Order.objects.filter(...).first() in the view
    assert reach[_line("rates.example.com")] == "command"


def test_an_unrelated_class_with_a_same_named_method_is_not_linked(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/management/commands/nightly.py": COMMAND, "shop/views.py": VIEWS,
                              "shop/urls.py": URLS})
    assert reach[_line("ledger.example.com/\"")] == ""  # Ledger.sync: nothing calls it


def test_a_receiver_chosen_at_run_time_or_an_undeclared_relation_stays_unknown(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/management/commands/nightly.py": DYNAMIC})
    assert reach[_line("pay.example.com/settle")] == ""  # z is an Order or whatever pick() made
    assert reach[_line("ledger.example.com/settle")] == ""
    assert reach[_line("archive.example.com")] == ""  # `helper` is no relation field of Order


SQLALCHEMY_MODELS = """
    import requests
    from sqlalchemy import ForeignKey, Integer
    from sqlalchemy.orm import declarative_base, mapped_column, relationship

    Base = declarative_base()


    class Owner(Base):
        __tablename__ = "owners"
        id = mapped_column(Integer, primary_key=True)

        def ping(self):
            requests.get("https://owner.example.com/")


    class Device(Base):
        __tablename__ = "devices"
        id = mapped_column(Integer, primary_key=True)
        owner_id = mapped_column(ForeignKey("owners.id"))
        owner = relationship("Owner")
        peers = relationship("Device")

        def poll(self):
            requests.get("https://device.example.com/")

        def reboot(self):
            requests.post("https://device.example.com/reboot")

        def probe(self):
            requests.get("https://device.example.com/probe")
    """

SQLALCHEMY_SCRIPT = """
    from sqlalchemy import select

    from app.db import session
    from app.models import Device


    def poll_all():
        for d in session.query(Device).filter(Device.id > 0):
            d.poll()
        one = session.get(Device, 1)
        one.owner.ping()
        first = session.scalars(select(Device)).first()
        first.reboot()
        other = session.query(Device).first()
        other.peers.probe()


    if __name__ == "__main__":
        poll_all()
    """


def test_sqlalchemy_queries_and_to_one_relationships_carry_a_scripts_reach(tmp_path: Path) -> None:
    files = {"app/__init__.py": "", "app/db.py": "session = None\n", "app/models.py": SQLALCHEMY_MODELS,
             "app/poll.py": SQLALCHEMY_SCRIPT}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))
    lines = dedent(SQLALCHEMY_MODELS).lstrip("\n").splitlines()
    reach = {lines[f.location.start_line - 1].strip(): f.reach.split(" ")[0] for f in report.findings
             if f.location.path == "app/models.py"}
    assert reach['requests.get("https://device.example.com/")'] == "script"  # session.query(Device) iterated
    assert reach['requests.get("https://owner.example.com/")'] == "script"  # owner_id column: to-one
    assert reach['requests.post("https://device.example.com/reboot")'] == "script"  # scalars(select(...))
    assert reach['requests.get("https://device.example.com/probe")'] == ""  # `peers` may be a list of rows


def test_a_relation_named_by_a_string_is_resolved_only_when_one_class_has_that_name() -> None:
    call = InstanceCall("run", "a.models.Order", ("buyer",), "notify")
    relation = Relation("a.models.Order", "buyer", "Customer", True)
    bases = {"a.models.Order": ("django.db.models.Model",), "a.models.Customer": ("django.db.models.Model",)}
    assert instance_callees([("a.jobs", call)], [relation], bases) == {"a.jobs.run": ("a.models.Customer.notify",)}
    twice = {**bases, "b.models.Customer": ("django.db.models.Model",)}
    assert instance_callees([("a.jobs", call)], [relation], twice) == {}


CLIENTS = """
    import requests


    class ErpClient:
        def push(self):
            requests.post("https://erp.example.com/push")

        def pull(self):
            requests.get("https://erp.example.com/pull")


    erp = ErpClient()
    spare = ErpClient()
    spare = None
    """

NIGHTLY_CLIENTS = """
    from django.core.management.base import BaseCommand

    from shop import clients
    from shop.clients import erp


    class Command(BaseCommand):
        def handle(self, *args, **options):
            erp.push()
            clients.spare.pull()
    """


def test_a_module_level_instance_used_from_another_module_carries_the_callers_reach(tmp_path: Path) -> None:
    files = {"shop/__init__.py": "", "shop/management/__init__.py": "", "shop/management/commands/__init__.py": "",
             "shop/clients.py": CLIENTS, "shop/management/commands/nightly.py": NIGHTLY_CLIENTS}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))
    lines = dedent(CLIENTS).lstrip("\n").splitlines()
    reach = {lines[f.location.start_line - 1].strip(): f.reach.split(" ")[0] for f in report.findings
             if f.location.path == "shop/clients.py"}
    assert reach['requests.post("https://erp.example.com/push")'] == "command"  # erp = ErpClient(), bound once
    assert reach['requests.get("https://erp.example.com/pull")'] == ""  # spare is rebound: not typed


SERVICES = """
    from shop.models import Ledger, Order


    def load_order(pk):
        return Order.objects.select_related("buyer").get(pk=pk)


    def load_either(pk):
        if pk:
            return Order.objects.get(pk=pk)
        return Ledger()
    """

NIGHTLY_SERVICES = """
    from django.core.management.base import BaseCommand

    from shop import services


    class Command(BaseCommand):
        def handle(self, *args, **options):
            found = services.load_order(options["pk"])
            found.archive()
            services.load_either(options["pk"]).settle()
    """


def test_a_project_function_returning_one_models_instance_types_its_result(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/services.py": SERVICES, "shop/management/commands/nightly.py": NIGHTLY_SERVICES})
    assert reach[_line("archive.example.com")] == "command"  # found = services.load_order(pk)
    assert reach[_line("pay.example.com/settle")] == ""  # load_either may return a Ledger: Order.settle not linked
