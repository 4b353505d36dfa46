"""Facts asked only where a file can hold what they look for (issue 14): the text prefilter of the
service-client reading (analysis/service_client_urls.may_request_own_routes) and the index gates of
Tornado spec-list reads (endpoints/handler_tables.table_reads), signature checks
(analysis/signature_checks), registry stores (endpoints/registries: only a storing method, only a
carried value) and generated secrets (rules/python/_generated_secrets: a return judged only in a body
holding a source call, a project call's result read only for a store). A gate may let through a
file that holds nothing; it must never stop one that holds something, so each is checked against
the full reading."""
from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

import pytest

from servicelens.analysis.file_index import build_index
from servicelens.analysis.service_client_urls import may_request_own_routes, own_route_requests
from servicelens.analysis.signature_checks import signature_checks
from servicelens.endpoints.handler_tables import table_reads
from servicelens.endpoints.registries import registry_facts
from servicelens.rules.python._generated_secrets import HERE, OTHER, secret_fields
from servicelens.taint.models import load_models
from servicelens.taint.scope import ModuleScope
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool

_ROOT = Path(__file__).resolve().parents[1]
# every path of two to fifteen segments: a class requesting any path at an address handed in
_ANY_ROUTE = frozenset(("*",) * n for n in range(1, 16))


def _lowered(source: str):
    text = dedent(source)
    module = lower_module(ParserPool().parse("python", text.encode()).root_node, "app/mod.py", tuple(text.splitlines()))
    return module, build_index(module)


@pytest.mark.parametrize("source", [
    'class A:\n    def f(self):\n        return self.http.get(f"{self.base}/v1/models")\n',
    'class A:\n    def f(self):\n        return self.http.post(self.base + "/v1/models")\n',
    'class A:\n    def f(self, host):\n        url = (host\n               + \'/v1/models\')\n        return requests.get(url)\n',
    'class A:\n    def f(self):\n        return self.s.request("GET", f"{self.base}" "/v1/models")\n',
    'class A:\n    def f(self):\n        return self.s.delete(self.base + f"/v1/models/{self.uid}")\n',
])
def test_a_request_at_an_address_handed_in_passes_the_prefilter(source: str) -> None:
    tree = ast.parse(source)
    assert own_route_requests(tree.body[0], _ANY_ROUTE)  # the full reading finds it
    assert may_request_own_routes(source)


@pytest.mark.parametrize("source", [
    'def f(base):\n    return requests.get(f"{base}/v1/models")\n',  # no class
    'class A:\n    def f(self):\n        return self.http.get("https://api.example.com/v1/models")\n',
    'class A:\n    def f(self):\n        return self.cache.get(self.key)\n',
    'class A:\n    def f(self):\n        return logging.info(f"{self.base}/v1/models")\n',  # no request call
])
def test_a_module_that_cannot_hold_one_is_not_read(source: str) -> None:
    assert not may_request_own_routes(source)


def test_the_prefilter_passes_every_project_file_the_full_reading_finds_a_request_in() -> None:
    found = 0
    for path in sorted([*(_ROOT / "tests").rglob("*.py"), *(_ROOT / "examples").rglob("*.py")]):
        text = path.read_text("utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        if any(own_route_requests(n, _ANY_ROUTE) for n in tree.body if isinstance(n, ast.ClassDef)):
            found += 1
            assert may_request_own_routes(text), path
    assert found  # the fixtures hold such clients (tests/test_service_clients.py's among them)


def test_run_time_imports_and_gathered_lists_are_read_only_where_the_index_holds_them() -> None:
    dynamic, _ = _lowered("""
        from importlib import import_module
        def handlers(name):
            return import_module(name).default_handlers
    """)
    assert table_reads(dynamic, (), build_index(dynamic)) == ("*.default_handlers",)
    gathered, _ = _lowered("""
        from notes import handlers
        specs = []
        specs.extend(handlers.default_handlers)
    """)
    assert table_reads(gathered, (), build_index(gathered)) == ("notes.handlers.default_handlers",)
    plain, index = _lowered("""
        import os
        total = os.sep + "x"  # a `+` taking an imported module's attribute is a gathered read
        values = {}
        values.get("a")
    """)
    assert table_reads(plain, (), index) == ("os.sep",)
    nothing, index = _lowered("""
        import os
        sep = os.sep
        total = sep + "x"
        values = {}
        values.get("a")
    """)
    assert table_reads(nothing, (), index) == ()


def test_signature_checks_are_asked_only_of_files_calling_what_can_check_one() -> None:
    checking, index = _lowered("""
        class OrderSerializer(serializers.Serializer):
            def validate(self, attrs):
                signer = recover_message(attrs["message"], signature=attrs["signature"])
                if signer != attrs["owner"]:
                    raise serializers.ValidationError("bad signature")
                return attrs
    """)
    assert signature_checks(checking, {}, index).classes == ("app.mod.OrderSerializer",)
    plain, index = _lowered("""
        class OrderSerializer(serializers.Serializer):
            def validate(self, attrs):
                if attrs["owner"] != self.context["user"]:
                    raise serializers.ValidationError("not yours")
                return attrs
    """)
    assert signature_checks(plain, {}, index).classes == ()


def test_a_view_validates_through_super_only_when_it_calls_its_own_name() -> None:
    view, index = _lowered("""
        class OrderView(generics.CreateAPIView):
            def post(self, request):
                return super().post(request)

        class Other(View):
            def post(self, request):
                return super().get(request)
    """)
    assert signature_checks(view, {}, index).validating == ("OrderView.post",)


def test_registry_stores_are_found_by_every_storing_method_and_only_for_a_carried_value() -> None:
    module, index = _lowered("""
        HANDLERS = {}
        LISTENERS = {}
        OPTIONS = {}

        def register(fn):
            HANDLERS[fn.__name__] = fn
            return fn

        def listen(event, fn):
            entry = (event, fn)
            LISTENERS.setdefault(event, []).append(entry)

        def configure(name, value):
            OPTIONS.update({name: value})

        def logged(fn):
            log.info(fn)  # a call handed the function that stores nothing
            OPTIONS.get(fn.__name__)
            return fn

        def defaults():
            HANDLERS["ping"] = ping  # nothing of a parameter: no store
    """)
    facts = registry_facts(module, {}, index)
    assert facts.stores == (("app.mod.register", "app.mod.HANDLERS"), ("app.mod.listen", "app.mod.LISTENERS"),
                            ("app.mod.configure", "app.mod.OPTIONS"))
    assert facts.lookups == (("app.mod.logged", "app.mod.OPTIONS", ("fn",)),)
    # `logged` hands the function to a call: a decorator that registers through it, storing nothing itself
    assert [(d.name, d.tables) for d in facts.decorators] == [("app.mod.register", ("app.mod.HANDLERS",)),
                                                              ("app.mod.logged", ())]


def test_registry_lookups_follow_the_walk_order_of_every_statement() -> None:
    module, index = _lowered("""
        TABLE = {}

        def dispatch(name, kind):
            if TABLE[kind]:
                handler = TABLE.get(name)
                TABLE[name] = handler  # written, not read
                return handler(TABLE[name + kind])
    """)
    assert registry_facts(module, {}, index).lookups == (
        ("app.mod.dispatch", "app.mod.TABLE", ("kind",)), ("app.mod.dispatch", "app.mod.TABLE", ("name",)),
        ("app.mod.dispatch", "app.mod.TABLE", ("kind", "name")))


def _secrets(source: str):
    module, index = _lowered(source)
    imports = {imp.local: imp.target for imp in module.imports}
    scope = ModuleScope(module, load_models("python", ()), imports, frozenset(f.qualname for f in module.functions),
                        frozenset(c.qualname for c in module.classes), {}, {})
    return secret_fields(module, scope)


def test_a_return_makes_a_generator_only_in_a_body_holding_a_source_call() -> None:
    facts = _secrets("""
        import secrets

        def new_token():
            return secrets.token_urlsafe(32)

        def new_key():
            key = secrets.token_hex(16)
            return key

        def wrapped():
            return new_token()  # a project call's result: decided project-wide, not here

        def plain(user):
            return user.email
    """)
    assert facts.generators == ("app.mod.new_token", "app.mod.new_key")


def test_a_store_reads_what_a_project_call_returned_into_a_local() -> None:
    facts = _secrets("""
        import secrets

        def make_token():
            return secrets.token_urlsafe(32)

        def invite(user):
            token = make_token()
            user.invite_token = token
            user.note = user.name
            Share.objects.create(key=secrets.token_hex(16))
    """)
    assert facts.stored == (("", "invite_token", "app.mod.make_token"), ("", "note", OTHER), ("Share", "key", HERE))
