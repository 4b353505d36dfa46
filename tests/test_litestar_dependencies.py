"""Litestar resolves a route's `dependencies={"name": Provide(fn)}` for each request before the
handler runs, like FastAPI's `Depends(fn)`: a provider whose body refuses an anonymous caller (or
hands the caller to a library's authenticating dependency) authenticates the route. `Provide`
from another injection library is no Litestar dependency, and a provider that checks nobody
(a database connection) says nothing about the caller."""
from __future__ import annotations

from servicelens.api import review_source
from servicelens.config.settings import Settings

_GUARDS = '''
from litestar import Request
from litestar.exceptions import NotAuthorizedException

from shelf.sessions import read_session
from identity_kit import authenticate, get_current_user, get_current_user_optional


async def signed_in_reader(request: Request) -> dict:
    user = read_session(request.cookies.get("sid"))
    if user is None:
        raise NotAuthorizedException("sign in first")
    return user


async def through_library(request: Request) -> object:
    return await get_current_user(request)


async def maybe_reader(request: Request) -> object | None:
    return await get_current_user_optional(request)


async def password_holder(request: Request) -> object | None:
    form = await request.form()
    return authenticate(form.get("email"), form.get("password"))


async def open_connection() -> object:
    return object()
'''

_ROUTES = '''
from litestar import get, post
from litestar.di import Provide

from shelf.guards import maybe_reader, open_connection, password_holder, signed_in_reader, through_library


@post("/loans", dependencies={"reader": Provide(signed_in_reader), "db": Provide(open_connection)})
async def borrow_book(reader: dict, db: object, data: dict) -> dict:
    return {"loan": data}


@get("/loans/mine", dependencies={"reader": Provide(through_library)})
async def my_loans(reader: object) -> list:
    return []


@get("/catalogue", dependencies={"reader": Provide(maybe_reader), "db": Provide(open_connection)})
async def catalogue(reader: object | None, db: object) -> list:
    return []


@post("/sessions", dependencies={"holder": Provide(password_holder)})
async def sign_in(holder: object | None) -> dict:
    return {"ok": holder is not None}
'''

_OTHER_INJECTOR = '''
from litestar import post
from injector_kit import Provide

from shelf.guards import signed_in_reader


@post("/returns", dependencies={"reader": Provide(signed_in_reader)})
async def return_book(reader: dict, data: dict) -> dict:
    return {"returned": data}
'''

_SESSIONS = '''
def read_session(sid):
    return None if not sid else {"sid": sid}
'''


def _auth(files: dict[str, str]) -> dict[str, str]:
    report = review_source({"shelf/__init__.py": "", "shelf/sessions.py": _SESSIONS, "shelf/guards.py": _GUARDS,
                            **files}, Settings(use_cache=False))
    return {e.handler.rsplit(".", 1)[-1]: e.auth for s in report.overview.services for e in s.endpoints}


def test_a_provider_that_refuses_anonymous_callers_authenticates_the_route() -> None:
    assert _auth({"shelf/routes.py": _ROUTES})["borrow_book"] == "required"


def test_a_provider_returning_a_librarys_authenticating_dependency_authenticates_the_route() -> None:
    assert _auth({"shelf/routes.py": _ROUTES})["my_loans"] == "required"


def test_optional_and_connection_providers_leave_the_route_undecided() -> None:
    assert _auth({"shelf/routes.py": _ROUTES})["catalogue"] == "unknown"


def test_a_provider_checking_a_password_with_a_library_refuses_nobody() -> None:
    assert _auth({"shelf/routes.py": _ROUTES})["sign_in"] != "required"


def test_provide_from_another_injection_library_is_not_a_litestar_dependency() -> None:
    assert _auth({"shelf/returns.py": _OTHER_INJECTOR})["return_book"] == "unknown"
