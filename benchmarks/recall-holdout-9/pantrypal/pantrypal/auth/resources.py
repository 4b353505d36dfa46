from flask import abort, request
from flask_jwt_extended import create_access_token, create_refresh_token, current_user, jwt_required
from flask_restful import Resource
from marshmallow import ValidationError

from ..extensions import db, limiter
from ..models import User
from ..schemas import login_schema, register_schema, user_out
from ..tasks import send_email
from . import service


def _load(schema, data):
    try:
        return schema.load(data or {})
    except ValidationError as err:
        abort(422, description=err.messages)


class RegisterResource(Resource):
    decorators = [limiter.limit("10/hour")]

    def post(self):
        data = _load(register_schema, request.get_json())
        existing = User.query.filter_by(email=data["email"].lower()).first()
        if existing is not None:
            send_email.delay(existing.email, "PantryPal sign-up attempt", "Someone tried to register with your e-mail.")
        else:
            user = service.register_user(data)
            send_email.delay(user.email, "Welcome to PantryPal", f"Hello {user.full_name}!")
        return {"message": "Check your e-mail to continue."}, 202


class LoginResource(Resource):
    decorators = [limiter.limit("5/minute"), limiter.limit("50/day")]

    def post(self):
        data = _load(login_schema, request.get_json())
        user = service.authenticate(data["email"], data["password"])
        if user is None:
            abort(401, description="invalid credentials")
        return {
            "access_token": create_access_token(identity=user),
            "refresh_token": create_refresh_token(identity=user),
        }


class RefreshResource(Resource):
    method_decorators = [jwt_required(refresh=True)]

    def post(self):
        return {"access_token": create_access_token(identity=current_user)}


class MeResource(Resource):
    method_decorators = [jwt_required()]

    def get(self):
        return user_out.dump(current_user)

    def patch(self):
        payload = request.get_json() or {}
        user = service.update_profile(current_user, payload)
        return user_out.dump(user)


class PasswordResetRequestResource(Resource):
    decorators = [limiter.limit("3/minute")]

    def post(self):
        email = (request.get_json() or {}).get("email", "")
        service.start_password_reset(email)
        return {"message": "If the account exists, an e-mail has been sent."}, 202


class PasswordResetConfirmResource(Resource):
    decorators = [limiter.limit("5/minute")]

    def post(self):
        body = request.get_json() or {}
        if len(body.get("password", "")) < 10:
            abort(422, description="password too short")
        if not service.complete_password_reset(body.get("token", ""), body["password"]):
            abort(400, description="invalid or expired token")
        return {"message": "password updated"}


class MagicLinkRequestResource(Resource):
    decorators = [limiter.limit("3/minute")]

    def post(self):
        email = (request.get_json() or {}).get("email", "").lower()
        user = User.query.filter_by(email=email, is_active=True).first()
        if user is not None:
            send_email.delay(user.email, "Your PantryPal sign-in link", service.issue_magic_link(user))
        return {"message": "If the account exists, an e-mail has been sent."}, 202


class MagicLinkExchangeResource(Resource):
    decorators = [limiter.limit("10/minute")]

    def post(self):
        token = (request.get_json() or {}).get("token", "")
        user = service.redeem_magic_link(token)
        if user is None or not user.is_active:
            abort(401, description="invalid link")
        db.session.commit()
        return {"access_token": create_access_token(identity=user)}
