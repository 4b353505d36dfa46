"""Tornado URL specs listed in modules and assembled by the application (endpoints.handler_tables),
and decorators that only mark a handler method (endpoints.principals `_inert_decorator`)."""
from __future__ import annotations

from pathlib import Path

from tests.test_endpoint_registrations import _endpoints as registered_endpoints

_DECORATOR = """
    from functools import wraps
    from typing import Any, Callable, TypeVar, cast

    F = TypeVar("F", bound=Callable[..., Any])


    def open_to_guests(method: F) -> F:
        @wraps(method)
        def inner(self, *args, **kwargs):
            return method(self, *args, **kwargs)

        setattr(inner, "_guests", True)
        return cast("F", inner)


    def signed_in_only(method):
        @wraps(method)
        def inner(self, *args, **kwargs):
            if not self.current_user:
                raise PermissionError("sign in")
            return method(self, *args, **kwargs)
        return inner
    """

_BASE = """
    from tornado import web

    from board.marks import open_to_guests


    class BoardHandler(web.RequestHandler):
        def get_current_user(self):
            return self.get_secure_cookie("member")


    class AboutHandler(BoardHandler):
        @open_to_guests
        def get(self):
            self.finish("about")


    class HomeHandler(BoardHandler):
        @web.authenticated
        def get(self):
            self.redirect("/api/posts")
    """

_POSTS = """
    from tornado import web

    from board.base import BoardHandler
    from board.marks import signed_in_only

    post_id = r"(?P<post_id>\\d+)"


    class PostsHandler(BoardHandler):
        @web.authenticated
        def get(self):
            self.finish({})


    class PostHandler(BoardHandler):
        @signed_in_only
        def delete(self, post_id):
            self.finish({})


    class DraftHandler(BoardHandler):
        def put(self, draft_id):
            self.finish({})


    default_handlers = [
        (r"/api/posts", PostsHandler),
        (r"/api/posts/%s" % post_id, PostHandler),
    ]
    archived_handlers = [(r"/api/drafts/(?P<draft_id>\\d+)", DraftHandler)]
    """


def _endpoints(tmp_path: Path, files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    return registered_endpoints(tmp_path, files, part=-2)  # handlers by their class


def _board(server: str) -> dict[str, str]:
    return {"board/__init__.py": "", "board/marks.py": _DECORATOR, "board/base.py": _BASE,
            "board/posts.py": _POSTS, "board/server.py": server}


def test_specs_a_module_lists_are_served_when_the_app_reads_them_from_modules_named_at_run_time(
        tmp_path: Path) -> None:
    found = _endpoints(tmp_path, _board("""
        from tornado import web

        from board.base import AboutHandler, HomeHandler

        SERVICES = ("board.posts",)


        def handlers_of(name):
            module = __import__(name, fromlist=["default_handlers"])
            return module.default_handlers


        def make_app():
            specs = [(r"/about", AboutHandler)]
            for name in SERVICES:
                specs.extend(handlers_of(name))
            specs.append((r"/", HomeHandler))
            return web.Application(specs)
        """))
    assert found[("GET", "/")] == ("HomeHandler", "required")
    assert found[("GET", "/api/posts")] == ("PostsHandler", "required")
    assert found[("DELETE", "/api/posts/(?P<post_id>\\d+)")] == ("PostHandler", "required")
    assert found[("GET", "/about")][0] == "AboutHandler"
    assert not any(path.startswith("/api/drafts") for _, path in found)  # a list nothing reads


def test_specs_imported_by_name_are_served_and_a_marking_decorator_is_no_authentication(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, _board("""
        from tornado import web

        from board.base import AboutHandler
        from board.posts import archived_handlers

        app = web.Application(archived_handlers + [web.url(r"/about", AboutHandler)])
        """))
    assert found[("PUT", "/api/drafts/(?P<draft_id>\\d+)")][0] == "DraftHandler"
    assert found[("GET", "/about")] == ("AboutHandler", "unknown")
    assert not any(path.startswith("/api/posts") for _, path in found)


def test_specs_a_package_gathers_from_its_modules_are_served(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {**_board("""
        from tornado import web

        from board import api

        specs = []
        specs.extend(api.default_handlers)
        app = web.Application(specs)
        """), "board/api/__init__.py": """
        from board import posts

        default_handlers = []
        for part in (posts,):
            default_handlers.extend(part.default_handlers)
        """})
    assert found[("GET", "/api/posts")] == ("PostsHandler", "required")
    assert not any(path.startswith("/api/drafts") for _, path in found)
