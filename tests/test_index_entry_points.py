"""Framework facts that take their nodes from the file index answer exactly as without it."""
from __future__ import annotations

from pathlib import Path

import pytest

from servicelens import ir
from servicelens.analysis.file_index import build_index, file_index, share_index, unindexed
from servicelens.endpoints.principals import body_guard, module_principals
from servicelens.endpoints.registrations import registrations
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models
from servicelens.taint.scope import ModuleScope

_AUTH = (
    "from functools import wraps\n"
    "from flask import abort, request\n"
    "from flask_restful import Api\n"
    "import jwt\n"
    "api = Api()\n"
    "def login_required(view):\n"
    "    @wraps(view)\n"
    "    def wrapper(*args, **kwargs):\n"
    "        if not request.user:\n"
    "            abort(401)\n"
    "        return view(*args, **kwargs)\n"
    "    return wrapper\n"
    "def token_required(view):\n"
    "    def wrapper(*args, **kwargs):\n"
    "        try:\n"
    "            claims = jwt.decode(request.headers['Authorization'], 'k')\n"
    "        except Exception:\n"
    "            raise PermissionDenied()\n"
    "        check = Checker(claims)\n"
    "        check(request)\n"
    "        return view(*args, **kwargs)\n"
    "    return wrapper\n"
    "def timed(view):\n"
    "    return view\n"
    "class Checker:\n"
    "    def __call__(self, request):\n"
    "        if request.user.is_anonymous:\n"
    "            return Response(status=HTTP_403_FORBIDDEN)\n"
    "api.add_resource(Orders, '/orders')\n"
    "def setup(app):\n"
    "    api.add_resource(Items, '/items', '/items/<id>')\n"
)


def _lower(source: str) -> ir.Module:
    tree = ParserPool().parse("python", source.encode())
    return lower_module(tree.root_node, "app/auth.py", tuple(source.splitlines()))


def _sources() -> list[Path]:
    root = Path(__file__).parent
    return sorted(p for p in (root / "projects").rglob("*.py") if "auth" in p.read_text(errors="ignore"))[:40]


def test_principals_and_registrations_are_the_same_with_and_without_the_index() -> None:
    module = _lower(_AUTH)
    imports = {imp.local: imp.target for imp in module.imports}
    index = build_index(module)
    with_index = module_principals(module, imports, index)
    assert with_index == module_principals(module, imports)
    verdicts = {p.key.rsplit(".", 1)[-1]: p.verdict for p in with_index}
    assert verdicts["login_required"] == "guard" and verdicts["token_required"] == "guard"
    assert verdicts["timed"] == "inert"
    assert registrations(module, imports, index) == registrations(module, imports)
    assert [r.path for r in registrations(module, imports, index)] == ["/orders", "/items", "/items/<id>"]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_project_files_give_the_same_facts_with_the_index(path: Path) -> None:
    module = _lower(path.read_text(encoding="utf-8", errors="surrogateescape"))
    imports = {imp.local: imp.target for imp in module.imports}
    index = build_index(module)
    assert module_principals(module, imports, index) == module_principals(module, imports)
    assert registrations(module, imports, index) == registrations(module, imports)
    for function in module.functions:
        assert body_guard(function, index) == body_guard(function)


def test_an_unindexed_index_walks_what_it_is_given() -> None:
    module = _lower(_AUTH)
    wrapper = next(f for f in module.functions if f.qualname.startswith("token_required") and f.name == "wrapper")
    calls = unindexed().block_of_kind(wrapper.body, ir.Call)
    assert calls == build_index(module).block_of_kind(wrapper.body, ir.Call)
    assert [ir.dotted_name(c.func) for c in calls][:2] == ["jwt.decode", "PermissionDenied"]


def test_an_index_built_before_the_scope_is_the_one_the_rules_get() -> None:
    module = _lower(_AUTH)
    scope = ModuleScope(module, load_models("python", ()), {}, frozenset(), frozenset(), {}, {})
    index = build_index(module)
    assert share_index(scope, index) is index
    assert file_index(module, scope) is index
