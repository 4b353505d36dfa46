"""Reach through a module-level dispatch table (analysis/dispatch_tables.py): a handler that a view
runs by key (`HANDLERS[kind](...)`, `HANDLERS.get(kind)(...)`, `handler = HANDLERS.get(kind)`)
runs per request, for every concern; a table nothing calls through, a dict of non-functions and a
local table of the same name reach nothing."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

HANDLERS = """
    import requests


    def on_paid(event):
        requests.post("https://erp.example.com/paid", json=event)


    def on_refunded(event):
        requests.post("https://erp.example.com/refunded", json=event)


    def on_disputed(event):
        requests.post("https://erp.example.com/disputed", json=event)


    def on_unused(event):
        requests.post("https://erp.example.com/unused", json=event)
    """

VIEWS = """
    from flask import Flask, request

    from shop.handlers import on_disputed, on_paid, on_refunded, on_unused

    app = Flask(__name__)

    EVENTS = {"paid": on_paid, "refunded": on_refunded}
    LATER = {"disputed": on_disputed}
    NEVER = {"unused": on_unused}
    LABELS = {"paid": "Paid", "refunded": "Refunded"}


    @app.post("/webhook")
    def webhook():
        event = request.get_json()
        EVENTS[event["type"]](event)
        handler = LATER.get(event["type"])
        if handler:
            handler(event)
        return {"ok": True}


    @app.get("/labels")
    def labels():
        NEVER = {"unused": print}
        NEVER["unused"]("x")
        return {"label": LABELS.get(request.args["k"], "")}
    """


def _reach(tmp_path: Path, files: dict[str, str]) -> dict[str, str]:
    """The URL each missing-timeout finding in shop/handlers.py posts to -> its reach."""
    for rel, text in {"shop/__init__.py": "", **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))
    lines = dedent(HANDLERS).lstrip("\n").splitlines()
    return {lines[f.location.start_line - 1].split("example.com/")[1].split('"')[0]: f.reach.split(" ")[0]
            for f in report.findings if f.location.path == "shop/handlers.py"}


def test_a_handler_a_view_runs_through_a_table_is_on_a_request_path(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/handlers.py": HANDLERS, "shop/views.py": VIEWS})
    assert reach["paid"] == "request"  # EVENTS[event["type"]](event)
    assert reach["refunded"] == "request"
    assert reach["disputed"] == "request"  # handler = LATER.get(...); handler(event)


def test_a_table_nothing_calls_through_reaches_nothing(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/handlers.py": HANDLERS, "shop/views.py": VIEWS})
    # NEVER is only shadowed by a local of the same name in /labels: the module's table is never called
    assert reach["unused"] != "request"


def test_without_the_view_the_handlers_are_not_on_a_request_path(tmp_path: Path) -> None:
    reach = _reach(tmp_path, {"shop/handlers.py": HANDLERS})
    assert "request" not in reach.values()


def test_the_request_path_view_steps_through_the_table_too() -> None:
    from servicelens.analysis.python_file import analyze_python
    from servicelens.sources.parsing import ParserPool
    from servicelens.taint.models import load_models

    facts = analyze_python("shop/views.py", dedent(VIEWS), ParserPool(), load_models(), frozenset())
    steps = {(step.caller, step.callee) for step in facts.paths.steps}
    assert {("shop.views.webhook", f"shop.handlers.on_{kind}") for kind in ("paid", "refunded", "disputed")} <= steps
    assert not any(callee.endswith("on_unused") for _, callee in steps)
    assert dict(facts.table_calls) == {"webhook": ("shop.handlers.on_paid", "shop.handlers.on_refunded",
                                                   "shop.handlers.on_disputed")}


LOOKUPS = """
    import sqlite3

    from flask import request


    def by_reference(kind):
        db = sqlite3.connect("orders.db")
        return db.execute(f"SELECT * FROM orders WHERE ref = '{request.args['ref']}'").fetchall()
    """

FINDER = """
    from flask import Flask, request

    from shop.lookups import by_reference

    app = Flask(__name__)
    LOOKUPS = {"reference": by_reference}


    @app.get("/orders/find")
    def find():
        kind = request.args.get("by", "reference")
        return {"rows": LOOKUPS[kind](kind)}
    """


def _injection_reach(tmp_path: Path, files: dict[str, str]) -> list[str]:
    for rel, text in {"shop/__init__.py": "", **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({"sql-injection"}), use_cache=False, profile="extended"))
    return [f.reach.split(" ")[0] for f in report.findings if f.location.path == "shop/lookups.py"]


def test_every_concern_sees_the_table_reach_an_injection_too(tmp_path: Path) -> None:
    assert _injection_reach(tmp_path / "with", {"shop/lookups.py": LOOKUPS, "shop/views.py": FINDER}) == ["request"]
    assert _injection_reach(tmp_path / "without", {"shop/lookups.py": LOOKUPS}) == [""]
