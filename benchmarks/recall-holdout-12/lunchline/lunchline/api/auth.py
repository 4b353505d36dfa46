from flask import request

from lunchline.auth import current_principal
from lunchline.db import session
from lunchline.repositories import UserRepository
from lunchline.serializers import user_out
from lunchline.services.accounts import AccountService


def login(body):
    token = AccountService(session).login(body["email"], body["password"], request.remote_addr)
    return {"access_token": token, "token_type": "Bearer"}, 200


def forgot_password(body):
    AccountService(session).request_password_reset(body["email"])
    return {"status": "If the address is registered, a reset link is on its way."}, 202


def reset_password(body):
    AccountService(session).reset_password(body["token"], body["new_password"])
    return None, 204


def get_me():
    user = UserRepository(session).get(current_principal().user_id)
    return user_out(user), 200


def update_me(body):
    user = AccountService(session).update_profile(current_principal().user_id, body)
    return user_out(user), 200
