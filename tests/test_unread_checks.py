"""endpoints.unread: a claim of "no check" needs everything before the handler read."""
from __future__ import annotations

from dataclasses import dataclass, field

from servicelens.endpoints.unread import AUTHENTICATION, AUTHORIZATION, unread_check


@dataclass
class _Table:
    """The project's functions as the inventory's lookup answers for them."""
    guards: dict[str, str] = field(default_factory=dict)
    open_: set[str] = field(default_factory=set)
    denying: set[str] = field(default_factory=set)
    delegates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    origin: set[str] = field(default_factory=set)

    def find(self, name: str) -> object | None:
        return name if name in self.defined else None

    def guard(self, name: str) -> str:
        return self.guards.get(name, "")

    def visibly_open(self, name: str) -> bool:
        return name in self.open_

    def denies(self, name: str) -> bool:
        return name in self.denying

    def origin_only(self, name: str) -> bool:
        return name in self.origin

    def unresolved_delegates(self, name: str) -> tuple[str, ...]:
        return tuple(d for d in self.delegates.get(name, ()) if d not in self.defined)


def test_a_library_decorator_named_for_roles_is_an_unread_authorization_check() -> None:
    found = unread_check("acme_acl.needs_role", _Table())
    assert found is not None and found.kind == AUTHORIZATION and "needs_role" in found.reason


def test_a_library_decorator_named_for_sign_in_is_an_unread_authentication_check() -> None:
    found = unread_check("portal.auth.session_required", _Table())
    assert found is not None and found.kind == AUTHENTICATION


def test_library_names_that_say_nothing_of_the_caller_are_decided() -> None:
    table = _Table()
    for name in ("flask_caching.Cache.cached", "app.limiter.limit", "sqlalchemy.orm.Session",
                 "django.views.decorators.http.require_POST", "deps.get_session", "myapp.schemas.AuthLogin"):
        assert unread_check(name, table) is None, name


def test_names_the_models_know_are_decided() -> None:
    assert unread_check("flask_login.login_required", _Table(), frozenset({"login_required"})) is None


def test_project_functions_are_decided_by_their_bodies() -> None:
    table = _Table(defined={"app.deco.tracked", "app.deco.checked", "app.deco.editors", "app.deco.gate"},
                   guards={"app.deco.checked": "refuses anonymous callers"}, open_={"app.deco.tracked"},
                   denying={"app.deco.editors"}, delegates={"app.deco.gate": ("acme_acl.has_permission",)})
    assert unread_check("app.deco.tracked", table) is None  # can turn nobody away
    assert unread_check("app.deco.checked", table) is None  # a guard the inventory already counted
    editors = unread_check("app.deco.editors", table)
    assert editors is not None and editors.kind == AUTHORIZATION and "401/403" in editors.reason
    gate = unread_check("app.deco.gate", table)
    assert gate is not None and "has_permission" in gate.reason


def test_a_project_function_refusing_only_by_the_request_origin_is_decided() -> None:
    table = _Table(defined={"app.deco.cors"}, denying={"app.deco.cors"}, origin={"app.deco.cors"})
    assert unread_check("app.deco.cors", table) is None  # a CORS allow-list checks no caller


def test_a_project_function_that_only_raises_for_other_reasons_is_decided() -> None:
    table = _Table(defined={"app.db.get_session"}, delegates={"app.db.get_session": ("sqlalchemy.orm.Session",)})
    assert unread_check("app.db.get_session", table) is None
