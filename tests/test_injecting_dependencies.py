"""A FastAPI dependency counts as authentication only when its body (or one it depends on) can
refuse the caller: `get_auth` that returns the auth object the application stored hands the handler
an object and refuses nobody, whatever its name says. A handler that then calls a method of that
object is decided by that method's body (endpoints/injected_objects.py): the class the parameter or
the dependency names, else the project's methods of that name; `authorize_request(..., require=True)`
made on every path requires the permission, the same call leaving `require` off, passing a value the
review cannot read, or made on some paths only leaves the route undecided and says why."""
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
    "app/gates.py": """
        from fastapi import HTTPException


        class Gatekeeper:
            def check(self, request, scope, lenient=False):
                if not lenient and scope not in request.state.scopes:
                    raise HTTPException(status_code=403)
                return True


        class AuditLog:
            def check(self, request, scope, lenient=False):
                request.state.audit.append(scope)
                return True
        """,
    "app/providers.py": """
        from fastapi import Request

        from app.gates import AuditLog, Gatekeeper


        def get_gatekeeper(request: Request) -> Gatekeeper:
            return request.state.gatekeeper


        def get_audit(request: Request):
            return AuditLog()


        def get_any(request: Request):
            return request.state.checker
        """,
    "app/views.py": """
        from fastapi import APIRouter, Depends, Request

        from app import dependencies, providers as gates
        from app.gates import Gatekeeper

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


        @router.get("/settings/")
        async def read_settings(request: Request, auth=Depends(dependencies.get_auth)):
            return {"allowed": auth.authorize_request(request, "settings", {"read"})}


        @router.get("/flagged/{name}")
        async def flagged(name: str, request: Request, strict: bool = True, auth=Depends(dependencies.get_auth)):
            auth.authorize_request(request, name, {"read"}, require=strict)
            return {"name": name}


        @router.delete("/namespace/{namespace}/purge")
        async def delete_namespace(namespace: str, request: Request, auth=Depends(dependencies.get_auth)):
            if namespace != "default":
                auth.authorize_request(request, namespace, {"delete"}, require=True)
            return {"deleted": namespace}


        @router.get("/me/")
        async def me(user=Depends(dependencies.get_auth_user)):
            return {"user": user}


        @router.get("/scoped/")
        async def scoped(request: Request, gate: Gatekeeper = Depends(gates.get_any)):
            gate.check(request, "reports")
            return {"ok": True}


        @router.get("/returned/")
        async def returned(request: Request, gate=Depends(gates.get_gatekeeper)):
            gate.check(request, "reports")
            return {"ok": True}


        @router.get("/lenient/")
        async def lenient(request: Request, gate=Depends(gates.get_gatekeeper)):
            gate.check(request, "reports", lenient=True)
            return {"ok": True}


        @router.get("/audited/")
        async def audited(request: Request, log=Depends(gates.get_audit)):
            log.check(request, "reports")
            return {"ok": True}


        @router.get("/untyped/")
        async def untyped(request: Request, checker=Depends(gates.get_any)):
            checker.check(request, "reports")
            return {"ok": True}


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


def test_a_method_of_the_injected_object_that_refuses_requires_what_it_checks(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    auth, evidence = found["/api/namespace/{namespace}/"]
    assert auth == "required" and "auth.authorize_request" in evidence
    assert "Authentication.authorize_request" in evidence


def test_a_call_that_leaves_the_refusal_off_or_is_made_on_some_paths_is_undecided(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    auth, evidence = found["/api/settings/"]  # require left at its false default: a yes/no answer
    assert auth == "unknown" and "leaves it off" in evidence
    auth, evidence = found["/api/flagged/{name}"]  # require=strict: a value the review does not follow
    assert auth == "unknown" and "`require`" in evidence
    auth, evidence = found["/api/namespace/{namespace}/purge"]  # checked unless the namespace is "default"
    assert auth == "unknown" and "only on some of its paths" in evidence


def test_the_class_the_code_names_decides_the_injected_object(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found["/api/scoped/"][0] == "required"  # the parameter's annotation: Gatekeeper.check refuses
    assert "Gatekeeper.check" in found["/api/scoped/"][1]
    assert found["/api/returned/"][0] == "required"  # the dependency's return annotation
    assert found["/api/lenient/"][0] == "none"  # lenient=True turns the only refusal off
    assert found["/api/audited/"][0] == "none"  # the dependency builds an AuditLog, whose check refuses nobody
    # a dependency not about auth that names no class: its object's methods are not guessed by name
    # (one project `check` refuses, another does not)
    assert found["/api/untyped/"][0] == "none"


def test_dependencies_that_refuse_still_require_auth(tmp_path: Path) -> None:
    found = _endpoints(tmp_path)
    assert found["/api/me/"][0] == "required"  # raises 401 without a user
    assert found["/api/account/"][0] == "required"  # depends on get_auth, then refuses itself
