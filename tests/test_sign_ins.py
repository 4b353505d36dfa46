"""Sign-ins by what they do (endpoints.sign_ins): a handler that checks the password it is sent and
issues a session or token is public by design, whatever its helpers, name or path are called; one
that checks a credential presented with the request (a header, a token, the session) stays required."""
from __future__ import annotations

from pathlib import Path

from tests.endpoint_auth import endpoint_auth

_SIGN_IN = "public by design (sign-in)"


def test_a_flask_handler_checking_a_posted_password_with_a_project_helper_is_a_sign_in(tmp_path: Path) -> None:
    found = endpoint_auth(tmp_path, {"app.py": """
        from flask import Flask, abort, jsonify, request, session
        from flask_login import login_user
        from accounts import verify_user, verify_token, verify_password, load_user

        app = Flask(__name__)

        @app.route("/api/session", methods=["POST"])
        def open_session():
            user = verify_user(request.form["username"], request.form["password"])
            if user is None:
                abort(401)
            login_user(user)
            return jsonify(ok=True)

        @app.route("/api/keys", methods=["POST"])
        def exchange():
            body = request.get_json()
            account = _check(body["email"], body["password"])
            return jsonify(access_token=account.new_key())

        def _check(email, password):
            account = load_user(email)
            if not verify_password(password, account.hash):
                abort(403)
            return account

        @app.route("/api/reports", methods=["POST"])
        def upload_report():
            token = request.headers.get("Authorization", "")
            if not verify_token(token):
                abort(401)
            return jsonify(saved=True)

        @app.route("/api/password", methods=["POST"])
        def change_password():
            user = load_user(session["user_id"])
            if not verify_password(request.form["old_password"], user.hash):
                abort(403)
            user.set_password(request.form["new_password"])
            return jsonify(ok=True)

        @app.route("/api/rotate", methods=["POST"])
        def rotate():
            user = load_user(request.form["name"])
            if not verify_password(request.form["password"], user.hash):
                abort(403)
            return user.rotate_key()
        """})
    assert found[("POST", "/api/session")] == ("public", _SIGN_IN)
    assert found[("POST", "/api/keys")] == ("public", _SIGN_IN)  # checked two calls down, a token handed back
    assert found[("POST", "/api/reports")][0] == "required"  # a bearer token presented with the request
    assert found[("POST", "/api/password")][0] == "required"  # the session's caller re-confirms its password
    assert found[("POST", "/api/rotate")][0] == "required"  # the password authorises an action; nothing is issued


def test_a_fastapi_password_grant_is_a_sign_in_and_a_signed_request_is_not(tmp_path: Path) -> None:
    found = endpoint_auth(tmp_path, {"main.py": """
        from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
        from fastapi.security import OAuth2PasswordRequestForm
        from security import authenticate, create_access_token, decode_invitation, hash_password, verify_password, verify_signature
        from store import (INSERT_USER, Context, CredentialsRequestForm, Invitation, OwnerForm, PasswordChange,
                           Session, create_superuser, create_user, database,
                           current_context, find_user, first_run, get_provider, update_password)

        def get_db():
            try:
                session = Session()
                yield session
            except Exception:
                raise HTTPException(status_code=401)

        router = APIRouter()

        @router.post("/auth/access")
        def access(form: OAuth2PasswordRequestForm = Depends()):
            user = find_user(form.username)
            if user is None or not verify_password(form.password, user.hashed):
                raise HTTPException(status_code=401)
            return {"access_token": create_access_token(user.id), "token_type": "bearer"}

        @router.post("/auth/token")
        def token(request: Request, data: CredentialsRequestForm = Depends()):
            provider = get_provider(data)
            issued = provider.authenticate()
            if not issued:
                raise HTTPException(status_code=401)
            return {"access_token": issued}

        @router.post("/me/password")
        def change_password(body: PasswordChange, context: Context = Depends(current_context)):
            if authenticate(context.email, body.old_password) is None:
                raise HTTPException(status_code=403)
            update_password(context.user_id, body.new_password)
            return {"access_token": create_access_token(context.user_id)}

        @router.post("/auth/sign-on")
        def sign_on(form: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)):
            if authenticate(db, form.username, form.password) is None:
                raise HTTPException(status_code=401)
            return {"access_token": create_access_token(form.username)}

        @router.post("/regulators")
        def enrol_regulator(data: Invitation):
            email = decode_invitation(data.token)
            database.execute(INSERT_USER, {"email": email, "password": hash_password(email)})
            return {"access_token": create_access_token(email)}

        @router.post("/setup/owner")
        def first_owner(body: OwnerForm):
            owner = create_superuser(body.email, body.password)
            return {"access_token": create_access_token(owner.id)}

        @router.post("/setup/first-user")
        def first_user(body: OwnerForm):
            user = create_user(body.email, body.password)
            if authenticate(body.email, body.password) is None:
                raise HTTPException(status_code=500)
            return {"access_token": create_access_token(user.id)}

        @router.post("/oauth/token")
        def password_grant(form_data: OAuth2PasswordRequestForm = Depends()):
            if first_run():
                create_user(form_data.username, form_data.password)  # the first account, on a branch of its own
            user = find_user(form_data.username)
            if user is None or not verify_password(form_data.password, user.hashed):
                raise HTTPException(status_code=403)
            return {"access_token": create_access_token(user.id)}

        @router.post("/hooks/build")
        async def build_hook(request: Request):
            body = await request.body()
            if not verify_signature(body, request.headers["X-Signature"]):
                raise HTTPException(status_code=401)
            return {"queued": True}

        app = FastAPI()
        app.include_router(router)
        """})
    assert found[("POST", "/auth/access")] == ("public", _SIGN_IN)
    assert found[("POST", "/auth/token")] == ("public", _SIGN_IN)  # the form holds the password
    assert found[("POST", "/hooks/build")][0] == "required"
    assert found[("POST", "/me/password")][0] == "required"  # whose password: the caller a dependency resolved
    assert found[("POST", "/auth/sign-on")] == ("public", _SIGN_IN)  # its database dependency decides nothing
    assert found[("POST", "/regulators")][0] == "none"  # a password written, none checked: no sign-in
    assert found[("POST", "/setup/owner")][0] == "none"  # an account created with it: a set-up, no sign-in
    assert found[("POST", "/setup/first-user")][0] != "public"  # it signs in the account it has just created
    assert found[("POST", "/oauth/token")] == ("public", _SIGN_IN)  # a sign-in that may create the first account


def test_a_django_view_refusing_a_wrong_password_is_a_sign_in_not_a_guarded_view(tmp_path: Path) -> None:
    found = endpoint_auth(tmp_path, {
        "shop/urls.py": """
            from django.urls import path
            from shop import views

            urlpatterns = [path("api/session/", views.session_view), path("api/orders/", views.orders)]
            """,
        "shop/views.py": """
            from django.contrib.auth import login
            from django.http import HttpResponse, JsonResponse
            from shop.accounts import check_credentials

            def session_view(request):
                user = check_credentials(request.POST["username"], request.POST["password"])
                if user is None:
                    return HttpResponse(status=401)
                login(request, user)
                return JsonResponse({"ok": True})

            def orders(request):
                if not request.user.is_authenticated:
                    return HttpResponse(status=401)
                return JsonResponse({"orders": []})
            """,
        "shop/accounts.py": """
            def check_credentials(username, password):
                return None
            """,
    })
    session = next(v for (m, p), v in found.items() if p.endswith("api/session/"))
    orders = next(v for (m, p), v in found.items() if p.endswith("api/orders/"))
    assert session == ("public", "public by design (sign-in)")
    assert orders[0] == "required"
