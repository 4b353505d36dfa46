"""`may_call` keeps every call whose qualified name can be a wanted one, whatever its spelling,
so a rule that asks `call_name` of those calls only decides exactly as before."""
from __future__ import annotations

from servicelens import ir
from servicelens.lang.python import lower_module
from servicelens.rules.python._common import call_name, flask_app_site, may_call
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models
from servicelens.taint.scope import ModuleScope


def _scope(source: str) -> tuple[ir.Module, ModuleScope]:
    lines = tuple(source.splitlines())
    module = lower_module(ParserPool().parse("python", source.encode()).root_node, "app/site.py", lines)
    imports = {imp.local: imp.target for imp in module.imports}
    functions = frozenset(f.qualname for f in module.functions)
    return module, ModuleScope(module, load_models("python", ()), imports, functions,
                               frozenset(c.qualname for c in module.classes), {}, {})


_SOURCE = (
    "import flask\n"
    "import flask_login as fl\n"
    "from flask import Flask as Site\n"
    "from flask_login import login_user as sign_in\n"
    "def build():\n"
    "    app = Site(__name__)\n"
    "    other = flask.Flask('x')\n"
    "    sign_in(user)\n"
    "    fl.login_user(user)\n"
    "    helper(user)\n"
    "    return app\n"
)


def test_every_call_that_qualifies_to_a_wanted_name_is_kept() -> None:
    module, scope = _scope(_SOURCE)
    build = module.functions[0]
    calls = {ir.dotted_name(n.func): n for s in ir.walk_stmts(build.body) for e in ir.stmt_exprs(s)
             for n in ir.walk_expr(e) if isinstance(n, ir.Call)}
    wanted = frozenset({"flask_login.login_user"})
    kept = may_call(module, scope, wanted)
    matching = {name for name, call in calls.items() if call_name(call, scope, build) in wanted}
    assert matching == {"sign_in", "fl.login_user"}  # a bare alias and a module alias
    assert all(id(calls[name]) in kept for name in matching)
    assert id(calls["helper"]) not in kept


def test_an_aliased_flask_app_is_still_found() -> None:
    module, scope = _scope(_SOURCE)
    site = flask_app_site(module, scope)
    assert site is not None and site.name == "app" and site.line == 6
    module, scope = _scope("def build():\n    app = make(__name__)\n    return app\n")
    assert flask_app_site(module, scope) is None
