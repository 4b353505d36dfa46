"""Who may call a route, decided by what its guards do (analysis/caller_privilege.py): a flaw only
a privileged caller reaches is held back (data/profile.yaml `exploited_by_the_caller`), and the
same code behind a guard that admits any signed-in caller is still reported. Each finding says its
least privileged caller (`Finding.callers`)."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.python import lower_module
from servicelens.rules.python import _access as access
from servicelens.sources.parsing import ParserPool


def _callers(tmp_path: Path, files: dict[str, str], concern: str) -> dict[int, tuple[str, str]]:
    """(path's line) -> (callers, held_back_by) of each finding of `concern` in the views file."""
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return {f.location.start_line: (f.callers, f.held_back_by) for f in report.findings if f.concern == concern}


_DJANGO_MIXINS = """
    from django.contrib.auth.mixins import AccessMixin


    class StaffRequiredMixin(AccessMixin):
        def dispatch(self, request, *args, **kwargs):
            if not request.user.is_staff:
                return self.handle_no_permission()
            return super().dispatch(request, *args, **kwargs)


    class BackOfficeMixin(AccessMixin):
        def dispatch(self, request, *args, **kwargs):
            if not request.user.is_superuser:
                return self.handle_no_permission()
            return super().dispatch(request, *args, **kwargs)


    class MemberMixin(AccessMixin):
        def dispatch(self, request, *args, **kwargs):
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            return super().dispatch(request, *args, **kwargs)
    """

_DJANGO_VIEWS = """
    import requests
    from django.contrib.auth.mixins import LoginRequiredMixin
    from django.views.generic import CreateView

    from idp.mixins import BackOfficeMixin, MemberMixin, StaffRequiredMixin
    from idp.models import Provider


    class ProviderCreateView(StaffRequiredMixin, CreateView):
        model = Provider
        fields = ["url"]

        def get_initial(self):
            return requests.get(self.request.GET["url"], timeout=10).json()


    class ProviderImportView(BackOfficeMixin, CreateView):
        model = Provider
        fields = ["url"]

        def get_initial(self):
            return requests.get(self.request.GET["url"], timeout=10).json()


    class ProviderPreviewView(LoginRequiredMixin, CreateView):
        model = Provider
        fields = ["url"]

        def get_initial(self):
            return requests.get(self.request.GET["url"], timeout=10).json()


    class ProviderCheckView(MemberMixin, CreateView):
        model = Provider
        fields = ["url"]

        def get_initial(self):
            return requests.get(self.request.GET["url"], timeout=10).json()
    """

_DJANGO_FILES = {
    "idp/__init__.py": "",
    "idp/mixins.py": _DJANGO_MIXINS,
    "idp/views.py": _DJANGO_VIEWS,
    "idp/models.py": """
        from django.db import models


        class Provider(models.Model):
            url = models.URLField()
        """,
    "idp/urls.py": """
        from django.urls import path

        from idp import views

        urlpatterns = [
            path("providers/new/", views.ProviderCreateView.as_view()),
            path("providers/import/", views.ProviderImportView.as_view()),
            path("providers/preview/", views.ProviderPreviewView.as_view()),
            path("providers/check/", views.ProviderCheckView.as_view()),
        ]
        """,
}


def test_a_class_view_whose_inherited_verbs_a_staff_mixin_guards_is_privileged(tmp_path: Path) -> None:
    found = _callers(tmp_path, _DJANGO_FILES, "ssrf")
    assert found[14] == ("privileged", "callers")  # `class ...(StaffRequiredMixin, CreateView)`: CreateView.post


def test_a_project_mixin_whose_dispatch_admits_only_superusers_is_privileged_whatever_its_name(tmp_path: Path) -> None:
    found = _callers(tmp_path, _DJANGO_FILES, "ssrf")
    assert found[22] == ("privileged", "callers")


def test_a_mixin_that_admits_any_signed_in_caller_keeps_the_finding(tmp_path: Path) -> None:
    found = _callers(tmp_path, _DJANGO_FILES, "ssrf")
    assert found[30][0] == "signed-in" and found[30][1] != "callers"  # LoginRequiredMixin
    assert found[38][0] == "signed-in" and found[38][1] != "callers"  # dispatch tests is_authenticated only


_FLASK_FILES = {
    "relay/__init__.py": "",
    "relay/gates.py": """
        import hmac
        from functools import wraps

        from flask import abort, current_app, g, request

        from relay.models import ApiToken


        def operator_token_required(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                presented = request.headers.get("Authorization", "").removeprefix("Bearer ")
                if not presented:
                    abort(401)
                if not hmac.compare_digest(presented, current_app.config["OPERATOR_TOKEN"]):
                    abort(403)
                return func(*args, **kwargs)
            return wrapper


        def user_token_required(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                presented = request.headers.get("Authorization", "").removeprefix("Bearer ")
                token = ApiToken.query.filter_by(value=presented).first()
                if token is None:
                    abort(401)
                g.user = token.user
                return func(*args, **kwargs)
            return wrapper
        """,
    "relay/models.py": """
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class ApiToken(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            value = db.Column(db.String(64))
        """,
    "relay/api.py": """
        import requests
        from flask import Blueprint, jsonify, request

        from relay import gates

        bp = Blueprint("api", __name__)


        @bp.route("/v1/probe", methods=["POST"])
        @gates.operator_token_required
        def operator_probe():
            answer = requests.get(request.json["url"], timeout=5)
            return jsonify(status=answer.status_code)


        @bp.route("/me/probe", methods=["POST"])
        @gates.user_token_required
        def user_probe():
            answer = requests.get(request.json["url"], timeout=5)
            return jsonify(status=answer.status_code)
        """,
}


def test_a_decorator_admitting_only_the_operators_one_token_makes_a_privileged_caller(tmp_path: Path) -> None:
    found = _callers(tmp_path, _FLASK_FILES, "ssrf")
    assert found[12] == ("privileged", "callers")


def test_a_decorator_that_looks_the_token_up_among_users_keeps_the_finding(tmp_path: Path) -> None:
    found = _callers(tmp_path, _FLASK_FILES, "ssrf")
    assert found[19][0] == "signed-in" and found[19][1] != "callers"


_FASTAPI_FILES = {
    "ops/__init__.py": "",
    "ops/config.py": """
        import os

        ADMIN_API_KEY = os.environ["ADMIN_API_KEY"]
        """,
    "ops/db.py": """
        def lookup_user(key):
            return None


        async def lookup_session(token):
            return None


        def current_tenant():
            return None
        """,
    "ops/deps.py": """
        from fastapi import Cookie, Depends, Header, HTTPException

        from ops import config
        from ops.db import current_tenant, lookup_session, lookup_user


        def require_operator_key(x_api_key: str = Header(...)):
            if x_api_key != config.ADMIN_API_KEY:
                raise HTTPException(status_code=403, detail="bad key")


        def current_user(x_api_key: str = Header(...)):
            user = lookup_user(x_api_key)
            if user is None:
                raise HTTPException(status_code=401)
            return user


        async def login_session(token: str = Cookie(None), tenant=Depends(current_tenant)):
            session = await lookup_session(token)
            if session is None or session.tenant_id != tenant.id:
                raise HTTPException(status_code=403)
            return session
        """,
    "ops/main.py": """
        import subprocess

        from fastapi import Depends, FastAPI

        from ops.deps import current_user, require_operator_key

        app = FastAPI()


        @app.post("/ops/restart", dependencies=[Depends(require_operator_key)])
        def restart(service: str):
            subprocess.run(f"systemctl restart {service}", shell=True, check=False)
            return {"ok": True}


        @app.post("/me/restart")
        def my_restart(service: str, user=Depends(current_user)):
            subprocess.run(f"systemctl restart {service}", shell=True, check=False)
            return {"ok": True}


        @app.post("/login/restart", dependencies=[Depends(login_session)])
        def session_restart(service: str, user=Depends(current_user)):
            subprocess.run(f"systemctl restart {service}", shell=True, check=False)
            return {"ok": True}
        """,
}


def test_a_dependency_comparing_a_header_with_one_configured_key_makes_a_privileged_caller(tmp_path: Path) -> None:
    found = _callers(tmp_path, _FASTAPI_FILES, "command-injection")
    assert found[12] == ("privileged", "callers")


def test_a_dependency_that_looks_the_key_up_keeps_the_finding(tmp_path: Path) -> None:
    found = _callers(tmp_path, _FASTAPI_FILES, "command-injection")
    assert found[18][0] == "signed-in" and found[18][1] != "callers"
    # what a lookup by the cookie returned, compared with what another dependency handed in: no
    # configured secret at all
    assert found[24][0] == "signed-in" and found[24][1] != "callers"


_BLUEPRINT_FILES = {
    "panel/__init__.py": "",
    "panel/views.py": """
        import requests
        from flask import Blueprint, abort, jsonify, request
        from flask_login import current_user, login_required

        admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


        @admin_bp.route("/probe", methods=["POST"])
        @login_required
        def probe():
            answer = requests.get(request.json["url"], timeout=5)
            return jsonify(status=answer.status_code)


        @admin_bp.route("/staff-probe", methods=["POST"])
        @login_required
        def staff_probe():
            if not current_user.is_admin:
                abort(403)
            answer = requests.get(request.json["url"], timeout=5)
            return jsonify(status=answer.status_code)
        """,
}


def test_a_blueprint_named_for_admins_checks_nobody(tmp_path: Path) -> None:
    found = _callers(tmp_path, _BLUEPRINT_FILES, "ssrf")
    assert found[11][0] == "signed-in" and found[11][1] != "callers"  # only @login_required guards it
    assert found[20] == ("privileged", "callers")  # its body refuses every caller but an administrator


_EXPRESS_FILES = {
    "package.json": '{"name": "hooks", "version": "1.0.0", "dependencies": {"express": "^4.18.0", "axios": "^1.0.0"}}',
    "src/auth.js": """
        function requireUser(req, res, next) {
          if (!req.user) {
            return res.status(401).json({ error: "sign in" });
          }
          next();
        }

        function requireAdmin(req, res, next) {
          if (!req.user || !req.user.isAdmin) {
            return res.status(403).json({ error: "forbidden" });
          }
          next();
        }

        module.exports = { requireUser, requireAdmin };
        """,
    "src/app.js": """
        const express = require("express");
        const axios = require("axios");
        const { requireUser, requireAdmin } = require("./auth");

        const app = express();
        app.use(express.json());

        app.post("/hooks/test", requireUser, requireAdmin, async (req, res) => {
          const answer = await axios.get(req.body.url, { timeout: 5000 });
          res.json({ status: answer.status });
        });

        app.post("/hooks/preview", requireUser, async (req, res) => {
          const answer = await axios.get(req.body.url, { timeout: 5000 });
          res.json({ status: answer.status });
        });

        app.listen(3000);
        """,
}


def test_an_express_route_behind_an_admin_middleware_is_privileged(tmp_path: Path) -> None:
    found = _callers(tmp_path, _EXPRESS_FILES, "ssrf")
    assert found[9] == ("privileged", "callers")
    assert found[14][0] == "signed-in" and found[14][1] != "callers"


_NEST_FILES = {
    "package.json": '{"name": "hooks", "version": "1.0.0", "dependencies": {"@nestjs/common": "^10.0.0", '
                    '"@nestjs/core": "^10.0.0", "axios": "^1.0.0"}}',
    "src/roles.guard.ts": """
        import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
        import { Reflector } from '@nestjs/core';

        export const Roles = (...roles: string[]) => SetMetadata('roles', roles);

        @Injectable()
        export class RolesGuard implements CanActivate {
          constructor(private reflector: Reflector) {}

          canActivate(context: ExecutionContext): boolean {
            const roles = this.reflector.get<string[]>('roles', context.getHandler());
            if (!roles) {
              return true;
            }
            const request = context.switchToHttp().getRequest();
            return roles.includes(request.user.role);
          }
        }
        """,
    "src/jwt.guard.ts": """
        import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';

        @Injectable()
        export class JwtGuard implements CanActivate {
          canActivate(context: ExecutionContext): boolean {
            const request = context.switchToHttp().getRequest();
            if (!request.headers.authorization) {
              throw new UnauthorizedException();
            }
            return true;
          }
        }
        """,
    "src/hooks.controller.ts": """
        import { Body, Controller, Post, UseGuards } from '@nestjs/common';
        import axios from 'axios';
        import { JwtGuard } from './jwt.guard';
        import { Roles, RolesGuard } from './roles.guard';

        @Controller('hooks')
        @UseGuards(JwtGuard, RolesGuard)
        export class HooksController {
          @Post('test')
          @Roles('admin')
          async test(@Body() body: { url: string }) {
            const answer = await axios.get(body.url, { timeout: 5000 });
            return { status: answer.status };
          }

          @Post('preview')
          @Roles('member', 'admin')
          async preview(@Body() body: { url: string }) {
            const answer = await axios.get(body.url, { timeout: 5000 });
            return { status: answer.status };
          }

          @Post('check')
          async check(@Body() body: { url: string }) {
            const answer = await axios.get(body.url, { timeout: 5000 });
            return { status: answer.status };
          }
        }
        """,
}


def test_a_nest_route_whose_role_metadata_names_only_admins_is_privileged(tmp_path: Path) -> None:
    found = _callers(tmp_path, _NEST_FILES, "ssrf")
    assert found[12] == ("privileged", "callers")
    assert found[19][0] == "signed-in" and found[19][1] != "callers"  # a member may call it too
    assert found[25][0] == "signed-in" and found[25][1] != "callers"  # no role metadata


_PANEL_FILES = {
    "panel/__init__.py": "",
    "panel/views.py": """
        from functools import wraps

        from flask import Blueprint, abort, make_response, redirect, request
        from flask_login import current_user, login_required

        bp = Blueprint("panel", __name__)


        def admin_required(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                if not current_user.is_admin:
                    abort(403)
                return func(*args, **kwargs)
            return wrapper


        @bp.route("/panel/greet")
        @login_required
        @admin_required
        def greet():
            response = make_response(f"<h1>Hello {request.args['name']}</h1>")
            response.headers["Content-Type"] = "text/html"
            return response


        @bp.route("/panel/next")
        @login_required
        @admin_required
        def go_next():
            return redirect(request.args["next"])
        """,
}


def test_a_flaw_whose_victim_is_the_browser_sending_the_request_is_kept_on_an_admin_page(tmp_path: Path) -> None:
    """A crafted link an administrator follows runs the script or the redirect in the
    administrator's browser: the role makes the victim, not the attacker."""
    xss = _callers(tmp_path, _PANEL_FILES, "xss")
    assert xss[22][0] == "privileged" and xss[22][1] != "callers"
    redirects = _callers(tmp_path, _PANEL_FILES, "open-redirect")
    assert redirects[31][0] == "privileged" and redirects[31][1] != "callers"


_ROLE_FACTORY_FILES = {
    "cams/__init__.py": "",
    "cams/auth.py": """
        from fastapi import HTTPException, Request


        def require_role(required_roles: list[str]):
            async def role_checker(request: Request):
                role = request.headers.get("remote-role")
                if role not in required_roles:
                    raise HTTPException(status_code=403)
                return role
            return role_checker
        """,
    "cams/api.py": """
        import subprocess

        from fastapi import APIRouter, Depends

        from cams.auth import require_role

        router = APIRouter()


        @router.get("/ffprobe", dependencies=[Depends(require_role(["admin"]))])
        def ffprobe(path: str):
            return subprocess.run(f"ffprobe {path}", shell=True, capture_output=True).stdout


        @router.get("/snapshot", dependencies=[Depends(require_role(["admin", "viewer"]))])
        def snapshot(path: str):
            return subprocess.run(f"ffmpeg -i {path}", shell=True, capture_output=True).stdout
        """,
}


def test_a_role_guard_told_to_admit_only_admins_is_privileged(tmp_path: Path) -> None:
    found = _callers(tmp_path, _ROLE_FACTORY_FILES, "command-injection")
    assert found[12] == ("privileged", "callers")
    assert found[17][0] != "privileged" and found[17][1] != "callers"  # a viewer may call it too



def _classes(source: str) -> dict[str, bool]:
    """Each class of `source` -> whether what it declares admits administrators only."""
    tree = ParserPool().parse("python", dedent(source).encode())
    module = lower_module(tree.root_node, "orgs/viewsets.py", tuple(dedent(source).splitlines()))
    return {cls.qualname: access.class_admin_only(cls, module) for cls in module.classes}


def test_an_inherited_verb_takes_its_class_permissions_unless_admins_are_one_way_in() -> None:
    found = _classes("""
        from rest_framework import viewsets
        from rest_framework.permissions import IsAdminUser

        from orgs.permissions import ScopePermission


        class AdminOrgViewSet(viewsets.ModelViewSet):
            permission_classes = (IsAdminUser,)


        class ClientOrgViewSet(viewsets.ModelViewSet):
            permission_classes = (ScopePermission | IsAdminUser,)
        """)
    assert found == {"AdminOrgViewSet": True, "ClientOrgViewSet": False}


# A secret compared in the guard that admits the role runs for whoever sends a key; the same
# comparison in a handler behind that guard runs only for the key's holder (analysis/reach.guard_code).
_GUARD_FILES = {
    "keys/__init__.py": "",
    "keys/settings.py": """
        import os

        OPERATOR_API_KEY = os.environ["OPERATOR_API_KEY"]
        ANALYTICS_SECRET_KEY = os.environ.get("ANALYTICS_SECRET_KEY", "")
        """,
    "keys/guards.py": """
        from functools import wraps

        from flask import abort, request

        from keys import settings


        def require_operator_key(view):
            @wraps(view)
            def wrapper(*args, **kwargs):
                if request.headers.get("X-Api-Key", "") != settings.OPERATOR_API_KEY:
                    abort(403)
                return view(*args, **kwargs)
            return wrapper
        """,
    "keys/store.py": """
        from keys import settings


        def store_script(script, secret_key):
            if secret_key != settings.ANALYTICS_SECRET_KEY:
                raise ValueError("invalid secret key")
            return script
        """,
    "keys/views.py": """
        from flask import Blueprint, jsonify, request

        from keys import settings
        from keys.guards import require_operator_key
        from keys.store import store_script

        bp = Blueprint("ops", __name__)


        @bp.route("/ops/analytics", methods=["PUT"])
        @require_operator_key
        def upload_analytics():
            store_script(request.json["script"], request.json["secret_key"])
            return jsonify(ok=True)


        @bp.route("/ops/webhook-check", methods=["POST"])
        @require_operator_key
        def check_webhook():
            if request.headers.get("X-Signature") != settings.ANALYTICS_SECRET_KEY:
                return jsonify(ok=False), 403
            return jsonify(ok=True)


        @bp.route("/public/analytics", methods=["PUT"])
        def public_analytics():
            if request.headers.get("X-Analytics-Key") != settings.ANALYTICS_SECRET_KEY:
                return jsonify(ok=False), 403
            return jsonify(ok=True)
        """,
}


def _callers_of(tmp_path: Path, files: dict[str, str], concern: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(path, line) -> (callers, held_back_by) of each finding of `concern`, in every file."""
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text).lstrip("\n"))
    report = review(tmp_path, Settings(select=frozenset({concern}), use_cache=False, profile="extended"))
    return {(f.location.path, f.location.start_line): (f.callers, f.held_back_by)
            for f in report.findings if f.concern == concern}


def test_a_secret_compared_in_the_guard_that_admits_the_role_is_kept(tmp_path: Path) -> None:
    found = _callers_of(tmp_path, _GUARD_FILES, "timing-unsafe-comparison")
    # every route using the decorator is privileged, but the decorator itself runs for any caller
    assert found[("keys/guards.py", 11)][0] == "privileged"
    assert found[("keys/guards.py", 11)][1] != "callers"


def test_a_secret_compared_behind_the_guard_is_held_back(tmp_path: Path) -> None:
    found = _callers_of(tmp_path, _GUARD_FILES, "timing-unsafe-comparison")
    # in a helper only the guarded handler calls, and in the guarded handler itself
    assert found[("keys/store.py", 5)] == ("privileged", "callers")
    assert found[("keys/views.py", 20)] == ("privileged", "callers")
    # the same comparison on a route nobody guards
    assert found[("keys/views.py", 27)][0] == "anyone" and found[("keys/views.py", 27)][1] != "callers"


_GUARD_DEPENDENCY_FILES = {
    "hub/__init__.py": "",
    "hub/config.py": """
        import os

        ADMIN_API_KEY = os.environ["ADMIN_API_KEY"]
        EXPORT_SECRET_KEY = os.environ["EXPORT_SECRET_KEY"]
        """,
    "hub/main.py": """
        from fastapi import Depends, FastAPI, HTTPException, Request

        from hub import config

        app = FastAPI()


        def require_admin_key(request: Request):
            if request.headers.get("x-api-key") != config.ADMIN_API_KEY:
                raise HTTPException(status_code=403)


        @app.post("/admin/export", dependencies=[Depends(require_admin_key)])
        def export(request: Request):
            if request.headers.get("x-export-secret-key") != config.EXPORT_SECRET_KEY:
                raise HTTPException(status_code=403)
            return {"ok": True}
        """,
}


def test_a_dependency_comparing_the_admins_key_is_kept_and_its_handler_held_back(tmp_path: Path) -> None:
    found = _callers_of(tmp_path, _GUARD_DEPENDENCY_FILES, "timing-unsafe-comparison")
    assert found[("hub/main.py", 9)][0] == "privileged" and found[("hub/main.py", 9)][1] != "callers"
    assert found[("hub/main.py", 15)] == ("privileged", "callers")
_EXPRESS_ROLE_FACTORY_FILES = {
    "package.json": '{"name": "mirror", "version": "1.0.0", "type": "module", '
                    '"dependencies": {"express": "^4.18.0"}}',
    "lib/access.js": """
        export const Role = Object.freeze({ SUPERUSER: "superuser", MEMBER: "member" });

        export function signedIn(req, res, next) {
          if (!req.session || !req.session.account) {
            return res.status(401).send("sign in first");
          }
          next();
        }

        export function checkRoles(...allowed) {
          return (req, res, next) => {
            if (!allowed.includes(req.session.account.role)) {
              return res.status(403).send("not allowed");
            }
            next();
          };
        }
        """,
    "lib/mirror.js": """
        import express from "express";
        import { signedIn, checkRoles, Role } from "./access.js";

        export const mirror = express.Router();

        mirror.post("/mirror/pull", [signedIn, checkRoles(Role.SUPERUSER)], async (req, res) => {
          const upstream = await fetch(req.body.source, { signal: AbortSignal.timeout(4000) });
          res.status(upstream.status).send(await upstream.text());
        });

        mirror.post("/mirror/peek", signedIn, checkRoles(Role.SUPERUSER, Role.MEMBER), async (req, res) => {
          const upstream = await fetch(req.body.source, { signal: AbortSignal.timeout(4000) });
          res.status(upstream.status).send(await upstream.text());
        });
        """,
    "server.js": """
        import express from "express";
        import { mirror } from "./lib/mirror.js";

        const app = express();
        app.use(express.json());
        app.use(mirror);
        app.listen(8080);
        """,
}


def test_an_express_role_factory_told_superusers_only_makes_a_privileged_caller(tmp_path: Path) -> None:
    """A middleware factory named for roles, called with back-office roles only, admits nobody else;
    the same factory also admitting members leaves the route to any member."""
    found = {line: v for (path, line), v in _callers_of(tmp_path, _EXPRESS_ROLE_FACTORY_FILES, "ssrf").items()
             if path == "lib/mirror.js"}
    assert found[7] == ("privileged", "callers")
    assert found[12][0] == "signed-in" and found[12][1] != "callers"
