"""FastAPI auth decided by what dependencies do, wherever they are attached: on the route, on
the router (`APIRouter(dependencies=...)`), on an include, through a callable object or an
Annotated alias; and routes registered by a call rather than `@`."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_FILES = {
    "svc/__init__.py": "",
    "svc/guards.py": """
        from typing import Annotated
        from fastapi import Depends, HTTPException, Request, Security
        from fastapi.security import APIKeyHeader

        key_header = APIKeyHeader(name="X-KEY", auto_error=False)


        class BaseChecker:
            def _key(self, request: Request) -> str:
                value = request.headers.get("X-KEY")
                if not value:
                    raise HTTPException(status_code=401, detail="no key")
                return value


        class WalletChecker(BaseChecker):
            def __init__(self, kind: str) -> None:
                self.kind = kind

            async def __call__(self, request: Request) -> str:
                return self._key(request)


        class Noop:
            async def __call__(self, request: Request) -> None:
                return None


        async def wallet_key(request: Request, header: str = Security(key_header)) -> str:
            check = WalletChecker("invoice")
            return await check(request)


        OPERATOR_ID = "op-1"


        async def pick_account(request: Request):
            account = request.state.account
            if account.id != OPERATOR_ID:
                raise HTTPException(status_code=403, detail="not the operator")


        def db_session():
            return object()


        Operator = Annotated[str, Depends(pick_account)]
        """,
    "svc/models.py": """
        from pydantic import BaseModel

        class AuthLogin(BaseModel):
            name: str
            password: str
        """,
    "svc/wallets.py": """
        from fastapi import APIRouter, Depends
        from svc.guards import Noop, WalletChecker, db_session, wallet_key

        router = APIRouter(prefix="/wallets")
        open_router = APIRouter(dependencies=[Depends(db_session)])


        @router.post("")
        async def create_wallet(key: str = Depends(wallet_key)):
            return {}


        @router.delete("/{wallet_id}")
        async def delete_wallet(wallet_id: str, key: str = Depends(WalletChecker("admin"))):
            return {}


        @router.put("/{wallet_id}")
        async def rename_wallet(wallet_id: str, key: str = Depends(Noop())):
            return {}


        @open_router.post("/rates")
        async def refresh_rates():
            return {}
        """,
    "svc/operators.py": """
        from fastapi import APIRouter, Depends
        from svc.guards import Operator, pick_account

        router = APIRouter(prefix="/ops", dependencies=[Depends(pick_account)])
        nodes = APIRouter(prefix="/nodes")


        @router.post("/restart")
        async def restart():
            return {}


        @nodes.post("/channels")
        async def open_channel():
            return {}


        @nodes.get("/whoami")
        async def whoami(operator: Operator):
            return {}
        """,
    "svc/accounts.py": """
        import os
        from fastapi import APIRouter
        from svc.models import AuthLogin

        router = APIRouter()


        @router.post("/rename")
        async def rename(body: AuthLogin):
            return {}


        async def register(body: AuthLogin):
            return {}


        if os.environ.get("ALLOW_SIGNUP"):
            register = router.post("/register")(register)
        """,
    "svc/main.py": """
        from fastapi import Depends, FastAPI
        from svc import accounts, operators, wallets
        from svc.guards import pick_account

        app = FastAPI()
        app.include_router(wallets.router, prefix="/api")
        app.include_router(wallets.open_router)
        app.include_router(operators.router)
        app.include_router(operators.nodes, dependencies=[Depends(pick_account)])
        app.include_router(accounts.router, prefix="/accounts")
        """,
}


def _endpoints(tmp_path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    for rel, text in _FILES.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def test_a_dependency_that_calls_an_object_is_decided_by_its_classes_call(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    # wallet_key -> WalletChecker.__call__ -> BaseChecker._key, which answers 401 without a key
    create = found[("POST", "/api/wallets")]  # `@router.get("")` is the router's own path, prefixed
    assert create[0] == "required" and "_key" in create[1]
    assert found[("DELETE", "/api/wallets/{wallet_id}")][0] == "required"  # Depends(WalletChecker(...))
    assert found[("PUT", "/api/wallets/{wallet_id}")][0] == "none"  # Depends(Noop()): checks nobody


def test_router_and_include_dependencies_are_decided_by_their_bodies(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    restart = found[("POST", "/ops/restart")]  # APIRouter(dependencies=[Depends(pick_account)])
    assert restart[0] == "required" and "pick_account" in restart[1]
    channel = found[("POST", "/nodes/channels")]  # include_router(..., dependencies=[Depends(pick_account)])
    assert channel[0] == "required" and "pick_account" in channel[1]
    assert found[("POST", "/rates")][0] == "none"  # a router-level db session authenticates nobody


def test_an_annotated_alias_carries_its_dependency(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found[("GET", "/nodes/whoami")][0] == "required"


def test_a_body_model_is_no_auth_evidence_and_applied_decorators_register_routes(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found[("POST", "/accounts/rename")] == ("none", "")  # `body: AuthLogin` is what is sent
    assert found[("POST", "/accounts/register")][0] == "public"  # `register = router.post(...)(register)`


def test_a_factory_built_dependency_and_a_redirect_to_login_guard(tmp_path: Path) -> None:
    files = {
        "web/__init__.py": "",
        "web/deps.py": """
            from fastapi import Cookie, Depends, HTTPException, status


            def session_user(*, active: bool = True):
                async def _session_user(token: str | None = Cookie(None)):
                    if token is None:
                        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED)
                    return token
                return _session_user


            def page_size(*, default: int = 20):
                async def _page_size(size: int = default):
                    return size
                return _page_size


            async def session_or_login(session: str | None = Cookie(None)):
                if session is None:
                    raise HTTPException(status_code=status.HTTP_307_TEMPORARY_REDIRECT,
                                        headers={"Location": "/login"})
                return session


            active_user = session_user(active=True)
            paging = page_size(default=50)
            """,
        "web/routes.py": """
            from fastapi import APIRouter, Depends
            from web.deps import active_user, paging, session_or_login

            router = APIRouter()


            @router.post("/password")
            async def change_password(user=Depends(active_user)):
                return {}


            @router.post("/profile")
            async def edit_profile(session=Depends(session_or_login)):
                return {}


            @router.post("/search")
            async def search(size=Depends(paging)):
                return {}
            """,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    found = {e.path: e.auth for s in report.overview.services for e in s.endpoints}
    assert found["/password"] == "required"  # active_user = session_user(...): the factory's 401
    assert found["/profile"] == "required"  # a 307 to the login page for a caller without a session
    assert found["/search"] == "none"
