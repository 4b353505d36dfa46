"""Handlers a project's own registry decorator stores in a table that a dispatcher looks up by a
request value (endpoints.registries): endpoints at their registry key, their auth left to the
dispatcher; a table nothing looks up, or a decorator that only records, registers nothing."""
from __future__ import annotations

from pathlib import Path

from tests.test_endpoint_registrations import _endpoints

_TABLE_CLASS = """
    class Actions:
        _table = {}

        @classmethod
        def add(cls, entry):
            if cls._table.get(entry.key):
                raise ValueError(entry.key)
            cls._table[entry.key] = entry

        @classmethod
        def run(cls, key, payload):
            entry = cls._table.get(key)
            return entry.fn(payload) if entry else None
    """

_FACTORY = """
    from shop.table import Actions


    class Entry:
        def __init__(self, key, fn):
            self.key = key
            self.fn = fn


    def action(key, audited=False):
        def wrap(fn):
            handler = fn
            Actions.add(Entry(key=key, fn=handler))
            return fn
        return wrap
    """

_HANDLERS = """
    from shop.registry import action


    @action("orders.list")
    def list_orders(payload):
        return []


    @action("orders.cancel", audited=True)
    def cancel_order(payload):
        return {"cancelled": payload["id"]}


    def helper(payload):
        return payload
    """

_DISPATCH = """
    from flask import Flask, request

    from shop.table import Actions

    app = Flask(__name__)


    @app.route("/rpc/<key>", methods=["POST"])
    def rpc(key):
        return Actions.run(key, request.get_json())
    """


def test_functions_a_registry_factory_hands_to_a_dispatched_table_are_endpoints(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"shop/__init__.py": "", "shop/table.py": _TABLE_CLASS,
                                  "shop/registry.py": _FACTORY, "shop/handlers.py": _HANDLERS,
                                  "shop/app.py": _DISPATCH})
    assert found[("*", "/orders.list")] == ("list_orders", "unknown")
    assert found[("*", "/orders.cancel")] == ("cancel_order", "unknown")
    assert not any(name == "helper" for name, _ in found.values())


def test_a_table_nothing_looks_up_by_a_request_value_serves_nothing(tmp_path: Path) -> None:
    kept_only = _TABLE_CLASS.replace("""
        @classmethod
        def run(cls, key, payload):
            entry = cls._table.get(key)
            return entry.fn(payload) if entry else None
    """, """
        @classmethod
        def names(cls):
            return sorted(cls._table)
    """)
    found = _endpoints(tmp_path, {"shop/__init__.py": "", "shop/table.py": kept_only,
                                  "shop/registry.py": _FACTORY, "shop/handlers.py": _HANDLERS})
    assert not any(path.startswith("/orders.") for _, path in found)


def test_a_bare_decorator_storing_into_a_module_table_registers_by_function_name(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"jobs/__init__.py": "", "jobs/commands.py": """
        COMMANDS = {}


        def command(fn):
            COMMANDS[fn.__name__] = fn
            return fn


        @command
        def restart(args):
            return "ok"


        def dispatch(name, args):
            return COMMANDS[name](args)
        """, "jobs/web.py": """
        from flask import Blueprint, request

        from jobs.commands import dispatch

        bp = Blueprint("jobs", __name__)


        @bp.before_request
        def run_named():
            if request.path.startswith("/jobs/"):
                return dispatch(request.path.rsplit("/", 1)[-1], request.args)
        """})
    assert found[("*", "/restart")] == ("restart", "unknown")


def test_a_table_only_a_command_looks_up_serves_no_request(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"tools/__init__.py": "", "tools/exporters.py": """
        EXPORTERS = {}


        def exporter(kind):
            def wrap(fn):
                EXPORTERS[kind] = fn
                return fn
            return wrap


        @exporter("users")
        def export_users():
            return []
        """, "tools/cli.py": """
        import click

        from tools.exporters import EXPORTERS


        @click.command()
        @click.argument("kind")
        def export(kind):
            click.echo(EXPORTERS[kind]())
        """})
    assert ("*", "/users") not in found


def test_a_decorator_recording_on_the_function_is_no_registry(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"tags/__init__.py": "", "tags/marks.py": """
        LOOKUP = {}


        def tagged(label):
            def wrap(fn):
                fn.label = label
                return fn
            return wrap


        @tagged("slow")
        def rebuild(args):
            return LOOKUP.get(args)
        """})
    assert ("*", "/slow") not in found


def test_a_table_every_caller_looks_up_by_a_written_name_is_an_event_bus(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "shop/__init__.py": "",
        "shop/events.py": """
            LISTENERS = {}


            def on(event):
                def wrap(fn):
                    LISTENERS.setdefault(event, []).append(fn)
                    return fn
                return wrap


            def emit(event, payload):
                for listener in LISTENERS.get(event, []):
                    listener(payload)
            """,
        "shop/listeners.py": """
            from shop.events import on


            @on("order_created")
            def send_receipt(order):
                return order
            """,
        "shop/views.py": """
            from flask import Flask, request

            from shop.events import emit

            app = Flask(__name__)


            @app.route("/orders", methods=["POST"])
            def create_order():
                order = request.get_json()
                emit("order_created", order)
                return order


            @app.route("/events/<name>", methods=["POST"])
            def replay(name):
                emit(name, request.get_json())
                return {}
            """,
    })
    assert ("*", "/order_created") in found  # a caller hands `emit` the request's name

    (tmp_path / "shop" / "views.py").write_text((tmp_path / "shop" / "views.py").read_text()
                                                .replace("emit(name, request.get_json())", "emit('order_created', {})"))
    found = _endpoints(tmp_path, {})
    assert ("*", "/order_created") not in found  # every caller names the event in the code
    assert found[("POST", "/orders")] == ("create_order", "none")
