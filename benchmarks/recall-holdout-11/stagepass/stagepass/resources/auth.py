import falcon

from stagepass.hooks import rate_limited
from stagepass.resources import json_body, string_field

REFRESH_COOKIE = "sp_refresh"


class HealthResource:
    auth_exempt = True

    def __init__(self, db):
        self.db = db

    def on_get(self, req, resp):
        self.db.ping()
        resp.media = {"status": "ok"}


class LoginResource:
    auth_exempt = True

    def __init__(self, accounts, settings):
        self.accounts = accounts
        self.settings = settings

    def on_post(self, req, resp):
        body = json_body(req)
        email = string_field(body, "email", max_length=254)
        password = string_field(body, "password", max_length=128)
        access, refresh = self.accounts.login(email, password, req.remote_addr)
        resp.set_cookie(REFRESH_COOKIE, refresh, max_age=self.settings.refresh_token_ttl,
                        domain=self.settings.cookie_domain, path="/v1/auth",
                        secure=True, http_only=True, same_site="Strict")
        resp.media = {"access_token": access, "token_type": "Bearer", "expires_in": self.settings.access_token_ttl}


class RefreshResource:
    auth_exempt = True

    def __init__(self, accounts, settings):
        self.accounts = accounts
        self.settings = settings

    def on_post(self, req, resp):
        token = req.cookies.get(REFRESH_COOKIE)
        if not token:
            raise falcon.HTTPUnauthorized(title="Session expired")
        resp.media = {"access_token": self.accounts.refresh(token), "token_type": "Bearer",
                      "expires_in": self.settings.access_token_ttl}


class PasswordResetResource:
    auth_exempt = True

    def __init__(self, accounts):
        self.accounts = accounts

    @falcon.before(rate_limited("reset", window=900))
    def on_post(self, req, resp):
        email = string_field(json_body(req), "email", max_length=254)
        self.accounts.request_password_reset(email)
        resp.status = falcon.HTTP_202
        resp.media = {"detail": "If the address belongs to an account, a code is on its way."}

    def on_post_confirm(self, req, resp):
        body = json_body(req)
        self.accounts.confirm_password_reset(
            string_field(body, "email", max_length=254),
            string_field(body, "code", max_length=6),
            string_field(body, "new_password", max_length=128),
        )
        resp.status = falcon.HTTP_204
