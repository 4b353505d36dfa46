"""What a Falcon middleware's `process_resource` lets through by what a resource declares
(endpoints/falcon_gates.py): its early exits and its guarded check, evaluated per resource class
and HTTP method; None wherever a test reads what the review cannot know."""
from __future__ import annotations

from textwrap import dedent

import pytest

from servicelens import ir
from servicelens.endpoints.falcon_gates import declared_attributes, inherited, passes, resource_gates
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool


def _lower(source: str) -> ir.Module:
    text = dedent(source)
    return lower_module(ParserPool().parse("python", text.encode()).root_node, "svc/mw.py", tuple(text.splitlines()))


def _verdict(body: str, resource: str, method: str = "GET") -> bool | None:
    middleware = _lower("class Gate:\n    def process_resource(self, req, resp, resource, params):\n"
                        + "".join(f"        {line}\n" for line in dedent(body).strip().splitlines()))
    gates = resource_gates(middleware)
    assert len(gates) == 1
    declared = {d.key: dict(d.attributes) for d in declared_attributes(_lower(resource))}
    chain = [key for key in declared if key.endswith(".R")] or ["svc.mw.R"]
    return passes(gates[0], inherited(chain, declared), method)


_EXEMPT_METHODS = """
    settings = getattr(resource, "auth", None) or {}
    if req.method in settings.get("exempt_methods", ()):
        return
    if req.context.get("user") is None:
        raise falcon.HTTPUnauthorized()
    """

_GUARDED = """
    if getattr(resource, "auth_required", True):
        if req.context.get("user") is None:
            raise falcon.HTTPUnauthorized()
    """

_EITHER = """
    if req.method == "OPTIONS" or getattr(resource, "public", False) is True:
        return
    if req.context.get("user") is None:
        raise falcon.HTTPUnauthorized()
    """


@pytest.mark.parametrize(("body", "resource", "method", "expected"), [
    (_EXEMPT_METHODS, "class R:\n    auth = {'exempt_methods': ['GET', 'HEAD']}\n", "GET", True),
    (_EXEMPT_METHODS, "class R:\n    auth = {'exempt_methods': ['GET', 'HEAD']}\n", "POST", False),
    (_EXEMPT_METHODS, "class R:\n    pass\n", "GET", False),
    (_EXEMPT_METHODS, "class R:\n    auth = load_auth()\n", "GET", None),  # a value set at run time
    (_GUARDED, "class R:\n    auth_required = False\n", "POST", True),
    (_GUARDED, "class R:\n    auth_required = True\n", "POST", False),
    (_GUARDED, "class R:\n    x = 1\n", "POST", False),  # the default: checked
    (_EITHER, "class R:\n    public = True\n", "POST", True),
    (_EITHER, "class R:\n    public = 'yes'\n", "POST", False),  # `is True` holds for True alone
    (_EITHER, "class R:\n    x = 1\n", "OPTIONS", True),
    (_EITHER, "class R:\n    x = 1\n", "DELETE", False),
])
def test_what_the_gate_lets_through(body: str, resource: str, method: str, expected: bool | None) -> None:
    assert _verdict(body, resource, method) is expected


def test_a_test_the_review_cannot_evaluate_or_a_name_bound_twice_leaves_it_undecided() -> None:
    calls = """
        if resource.allows(req):
            return
        raise falcon.HTTPUnauthorized()
        """
    rebound = """
        open_ = getattr(resource, "public", False)
        if req.path.startswith("/x"):
            open_ = True
        if open_:
            return
        raise falcon.HTTPUnauthorized()
        """
    assert _verdict(calls, "class R:\n    x = 1\n") is None
    assert _verdict(rebound, "class R:\n    x = 1\n") is None


def test_a_middleware_reading_no_resource_attribute_is_no_gate() -> None:
    module = _lower("""
        class Plain:
            def process_resource(self, req, resp, resource, params):
                if req.get_header("Authorization") is None:
                    raise falcon.HTTPUnauthorized()
        """)
    assert resource_gates(module) == ()
