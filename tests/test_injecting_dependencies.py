"""A FastAPI dependency counts as authentication only when its body (or one it depends on) can
refuse the caller: `get_auth` that returns the auth object the application stored hands the handler
an object and refuses nobody, whatever its name says. A handler that then calls a method of that
object which may refuse (`auth.authorize_request(..., require=True)`) is undecided, not open: the
object's class is not something the review can follow."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_FILES = {
    "app/__init__.py": """

        """,
    "app/dependencies.py": """
        from fastapi import Depends, HTTPException, Request


        async def get_auth(request: Request):
            return request.state.authentication


        async def get_entity(request: Request, auth=Depends(get_auth)):
            return auth.authenticate_request(request)


        async def get_auth_user(request: Request):
            user = request.state.user
            if user is None:
                raise HTTPException(status_code=401, detail="not signed in")
            return user


        async def require_auth(auth=Depends(get_auth)):
            if not auth.is_signed_in():
                raise HTTPException(status_code=401)
            return auth
        """,
    "app/auth.py": """
        from fastapi import HTTPException


        class Authentication:
            def authenticate_request(self, request, require=False):
                entity = request.cookies.get("token")
                if require and entity is None:
                    raise HTTPException(status_code=401, detail="request not authenticated")
                return entity

            def authorize_request(self, request, arn, permissions, require=False):
                allowed = self.authorization.authorize(request.state.entity, arn, permissions)
                if require and not allowed:
                    raise HTTPException(status_code=403, detail="request not authorized")
                return allowed

            def filter_namespaces(self, entity, query):
                return query.filter(self.authorization.visible(entity))
        """,
    "app/views.py": """
        from fastapi import APIRouter, Depends, Request

        from app import dependencies

        router = APIRouter()


        @router.get("/status/")
        async def status(auth=Depends(dependencies.get_auth)):
            return {"ok": True}


        @router.get("/permission/")
        async def permissions(request: Request, auth=Depends(dependencies.get_auth),
                              entity=Depends(dependencies.get_entity)):
            return {"authenticated": entity is not None}


        @router.get("/namespace/{namespace}/")
        async def get_namespace(namespace: str, request: Request, auth=Depends(dependencies.get_auth)):
            auth.authorize_request(request, namespace, {"read"}, require=True)
            return {"name": namespace}


        @router.get("/namespace/")
        async def list_namespaces(request: Request, auth=Depends(dependencies.get_auth),
                                  entity=Depends(dependencies.get_entity)):
            return auth.filter_namespaces(entity, request.state.query)


        @router.get("/me/")
        async def me(user=Depends(dependencies.get_auth_user)):
            return {"user": user}


        @router.get("/account/")
        async def account(auth=Depends(dependencies.require_auth)):
            return {"ok": True}
        """,
    "app/main.py": """
        from fastapi import FastAPI

        from app import views

        app = FastAPI()
        app.include_router(views.router, prefix="/api")
        """,
}


def _endpoints(tmp_path: Path) -> dict[str, tuple[str, str]]:
    for rel, text in _FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    return {e.path: (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def test_a_dependency_that_only_injects_an_object_is_no_authentication(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found["/api/status/"][0] == "none"
    assert "Depends(get_auth)" in found["/api/status/"][1]
    assert found["/api/permission/"][0] == "none"  # get_entity hands the caller's entity on, or None
    assert found["/api/namespace/"][0] == "none"  # filter_namespaces narrows a listing, refuses nobody


def test_a_method_of_the_injected_object_that_may_refuse_leaves_the_route_undecided(tmp_path: Path) -> None:
    auth, evidence = _endpoints(tmp_path)["/api/namespace/{namespace}/"]
    assert auth == "unknown" and "auth.authorize_request" in evidence


def test_dependencies_that_refuse_still_require_auth(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found["/api/me/"][0] == "required"  # raises 401 without a user
    assert found["/api/account/"][0] == "required"  # depends on get_auth, then refuses itself
