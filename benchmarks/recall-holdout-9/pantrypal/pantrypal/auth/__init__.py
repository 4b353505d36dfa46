from flask import Blueprint
from flask_restful import Api

bp = Blueprint("auth", __name__)
api = Api(bp)

from . import resources  # noqa: E402

api.add_resource(resources.RegisterResource, "/register")
api.add_resource(resources.LoginResource, "/login")
api.add_resource(resources.RefreshResource, "/refresh")
api.add_resource(resources.MeResource, "/me")
api.add_resource(resources.PasswordResetRequestResource, "/password-reset")
api.add_resource(resources.PasswordResetConfirmResource, "/password-reset/confirm")
api.add_resource(resources.MagicLinkRequestResource, "/magic-link")
api.add_resource(resources.MagicLinkExchangeResource, "/magic-link/exchange")
