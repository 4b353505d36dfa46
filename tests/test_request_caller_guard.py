"""A handler that raises whatever it raises when the request carries no caller turns the request
away (endpoints/principals.py `_asks_request_caller`); a lookup that finds no row, whatever it is
named, says nothing about who is calling."""
from __future__ import annotations

from textwrap import dedent

from servicelens.endpoints.principals import body_guard
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool

_SOURCE = dedent('''
    class JSONError(Exception):
        pass


    def dismiss_banner(request):
        if request.authenticated_userid is None:
            raise JSONError()
        request.user.banner_dismissed = True
        return {"ok": True}


    def save_draft(self):
        if not self.request.user.is_authenticated:
            raise JSONError("sign in to save drafts")
        return {"saved": True}


    def show_profile(request, user_id):
        user = request.db.query(User).get(user_id)
        if user is None:
            raise JSONError("no such user")
        return {"name": user.name}


    def show_cart(request):
        if "cart" not in request.session:
            raise JSONError("empty cart")
        return request.session["cart"]
    ''')


def _guards() -> dict[str, str | None]:
    text = _SOURCE
    tree = ParserPool().parse("python", text.encode())
    module = lower_module(tree.root_node, "app/views.py", tuple(text.splitlines()))
    return {function.name: body_guard(function) for function in module.functions}


def test_raising_when_the_request_has_no_caller_refuses_it() -> None:
    found = _guards()
    assert found["dismiss_banner"] and "authenticated_userid" in found["dismiss_banner"]
    assert found["save_draft"]


def test_a_missing_row_or_session_value_is_no_caller_check() -> None:
    found = _guards()
    assert found["show_profile"] is None
    assert found["show_cart"] is None
