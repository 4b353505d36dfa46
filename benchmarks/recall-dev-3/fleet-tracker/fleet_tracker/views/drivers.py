import logging

from flask import Blueprint, g, jsonify, request
from flask.views import MethodView
from marshmallow import ValidationError

from ..auth import needs_token, requires_role
from ..db import request_session
from ..models import User
from ..repositories import DriverRepository
from ..schemas import DriverUpdateSchema, FuelPurchaseSchema
from ..services import fuel as fuel_service
from ..services.errors import InsufficientFunds, NotFound
from . import register_api

log = logging.getLogger(__name__)

bp = Blueprint("drivers", __name__, url_prefix="/api/drivers")

ASSIGNABLE_ROLES = {"driver", "dispatcher", "fleet_manager", "admin"}


def _driver_json(driver):
    return {
        "id": driver.id,
        "full_name": driver.full_name,
        "phone": driver.phone,
        "depot_id": driver.depot_id,
        "active": driver.active,
    }


class DriverAPI(MethodView):
    decorators = [needs_token]

    def get(self, driver_id):
        repo = DriverRepository(request_session())
        driver = repo.get_for_org(g.org_id, driver_id)
        if driver is None:
            return jsonify(error="not found"), 404
        return jsonify(_driver_json(driver))

    def patch(self, driver_id):
        session = request_session()
        driver = DriverRepository(session).get_for_org(g.org_id, driver_id)
        if driver is None:
            return jsonify(error="not found"), 404
        try:
            changes = DriverUpdateSchema().load(request.get_json(force=True), partial=True)
        except ValidationError as err:
            return jsonify(errors=err.messages), 422
        for field, value in changes.items():
            setattr(driver, field, value)
        session.commit()
        return jsonify(_driver_json(driver))


class DriverRoleView(MethodView):
    decorators = [needs_token]

    def put(self, driver_id):
        session = request_session()
        driver = DriverRepository(session).get_for_org(g.org_id, driver_id)
        if driver is None or driver.user_id is None:
            return jsonify(error="driver has no login"), 404
        role = (request.get_json(force=True) or {}).get("role")
        if role not in ASSIGNABLE_ROLES:
            return jsonify(error="unknown role"), 422
        user = session.get(User, driver.user_id)
        user.role = role
        session.commit()
        log.info("user %s changed role of user %s to %s", g.user_id, user.id, role)
        return jsonify(user_id=user.id, role=role)


class FuelPurchaseView(MethodView):
    decorators = [needs_token]

    def post(self, driver_id):
        try:
            data = FuelPurchaseSchema().load(request.get_json(force=True))
        except ValidationError as err:
            return jsonify(errors=err.messages), 422
        session = request_session()
        try:
            purchase = fuel_service.record_purchase(session, g.org_id, driver_id, data)
        except NotFound:
            return jsonify(error="no fuel card for driver"), 404
        except InsufficientFunds:
            return jsonify(error="insufficient card balance"), 402
        return jsonify(id=purchase.id), 201


class FuelTopUpView(MethodView):
    decorators = [requires_role("admin", "fleet_manager"), needs_token]

    def post(self, driver_id):
        try:
            data = FuelPurchaseSchema(only=("amount",)).load(request.get_json(force=True))
        except ValidationError as err:
            return jsonify(errors=err.messages), 422
        try:
            fuel_service.top_up(request_session(), g.org_id, driver_id, data["amount"])
        except NotFound:
            return jsonify(error="no fuel card for driver"), 404
        return "", 204


register_api(bp, DriverAPI, "driver_api", "", pk="driver_id")
bp.add_url_rule("/<int:driver_id>/role", view_func=DriverRoleView.as_view("driver_role"))
bp.add_url_rule("/<int:driver_id>/fuel-purchases", view_func=FuelPurchaseView.as_view("fuel_purchases"))
bp.add_url_rule("/<int:driver_id>/fuel-top-ups", view_func=FuelTopUpView.as_view("fuel_top_ups"))
