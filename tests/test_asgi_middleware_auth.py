"""FastAPI/Starlette apps that authenticate every request in a middleware: a class added with
`app.add_middleware(...)` (its `dispatch`) or a function registered with
`@app.middleware("http")`, usually inside the app factory. Routes of that app with no dependency
of their own are authenticated by it; a middleware that refuses nobody changes nothing."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_ROUTES = """
    from fastapi import APIRouter, Depends

    from svc.deps import current_user

    router = APIRouter(prefix="/items")


    @router.post("")
    async def create_item(payload: dict):
        return {"created": payload}


    @router.delete("/{item_id}")
    async def delete_item(item_id: int):
        return {"deleted": item_id}


    @router.patch("/{item_id}")
    async def rename_item(item_id: int, user=Depends(current_user)):
        return {"renamed": item_id}
    """

_DEPS = """
    from fastapi import HTTPException, Request


    async def current_user(request: Request):
        token = request.headers.get("Authorization")
        if not token:
            raise HTTPException(status_code=401, detail="sign in")
        return token
    """

_CLASS_MIDDLEWARE = """
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.responses import JSONResponse


    class {name}(BaseHTTPMiddleware):
        def __init__(self, app, secret: str):
            super().__init__(app)
            self.secret = secret

        async def dispatch(self, request, call_next):
            if request.url.path in {{"/health", "/ready"}}:
                return await call_next(request)
            {check}
            return await call_next(request)
    """

_REFUSES = """if request.headers.get("Authorization") != f"Bearer {self.secret}":
                return JSONResponse({"detail": "Unauthorized"}, status_code=401)"""

_TAGS_ONLY = """request.state.request_id = request.headers.get("X-Request-Id", "")"""

_APP_WITH_CLASS = """
    import os

    from fastapi import FastAPI

    from svc.middleware import {name}
    from svc.routes import router


    def create_app() -> FastAPI:
        app = FastAPI()
        if os.environ.get("SERVER_SECURE") == "true":
            app.add_middleware({name}, secret=os.environ["SERVER_PASSWORD"])
        app.include_router(router)
        return app
    """

_APP_WITH_FUNCTION = """
    import hmac
    import os

    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse

    from svc.routes import router


    def create_app() -> FastAPI:
        app = FastAPI()
        expected = os.environ["API_AUTH_STRING"]

        @app.middleware("http")
        async def token_validation(request: Request, call_next):
            header = request.headers.get("Authorization")
            if header is None or not hmac.compare_digest(header, expected):
                return JSONResponse(status_code=401, content={"detail": "Unauthorized"})
            return await call_next(request)

        app.include_router(router)
        return app
    """


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")


def _project(root: Path, app: str, middleware: str = "") -> dict[tuple[str, str], tuple[str, str]]:
    files = {"svc/__init__.py": "", "svc/routes.py": _ROUTES, "svc/deps.py": _DEPS, "svc/app.py": app}
    if middleware:
        files["svc/middleware.py"] = middleware
    _write(root, files)
    report = review(root, replace(Settings(use_cache=False), profile="extended"))
    root_findings = [f for f in report.findings if f.concern == "missing-authentication"]
    endpoints = {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}
    endpoints[("findings", "")] = (str(len(root_findings)), "")
    return endpoints


def test_a_middleware_class_that_refuses_authenticates_every_route_of_its_app(tmp_path: Path) -> None:
    found = _project(tmp_path, _APP_WITH_CLASS.format(name="PasswordMiddleware"),
                     _CLASS_MIDDLEWARE.format(name="PasswordMiddleware", check=_REFUSES))
    auth, evidence = found[("POST", "/items")]
    assert auth == "required"
    assert "middleware" in evidence and "PasswordMiddleware" in evidence
    assert found[("DELETE", "/items/{item_id}")][0] == "required"
    assert found[("findings", "")][0] == "0"


def test_a_function_middleware_in_the_app_factory_authenticates_every_route(tmp_path: Path) -> None:
    found = _project(tmp_path, _APP_WITH_FUNCTION)
    auth, evidence = found[("POST", "/items")]
    assert auth == "required"
    assert "token_validation" in evidence
    assert found[("findings", "")][0] == "0"


def test_a_middleware_that_refuses_nobody_leaves_open_routes_open(tmp_path: Path) -> None:
    found = _project(tmp_path, _APP_WITH_CLASS.format(name="RequestIdMiddleware"),
                     _CLASS_MIDDLEWARE.format(name="RequestIdMiddleware", check=_TAGS_ONLY))
    assert found[("POST", "/items")][0] == "none"
    assert found[("DELETE", "/items/{item_id}")][0] == "none"
    assert found[("PATCH", "/items/{item_id}")][0] == "required"  # its own dependency still counts
    assert int(found[("findings", "")][0]) >= 1
