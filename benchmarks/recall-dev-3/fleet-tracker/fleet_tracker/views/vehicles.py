import hashlib
import json

from flask import Blueprint, current_app, g, jsonify, request
from flask.views import MethodView
from marshmallow import ValidationError
from sqlalchemy import select

from ..auth import needs_token, requires_role
from ..clients.telematics import telematics_client
from ..db import request_session
from ..models import Position, Vehicle
from ..repositories import VehicleRepository
from ..schemas import VehicleCreateSchema, VehicleOut
from ..services import vehicles as vehicle_service
from . import register_api

bp = Blueprint("vehicles", __name__, url_prefix="/api/vehicles")

vehicle_out = VehicleOut()


class VehicleAPI(MethodView):
    decorators = [needs_token]

    def get(self, vehicle_id):
        session = request_session()
        if vehicle_id is not None:
            vehicle = vehicle_service.get_vehicle_for_org(session, g.org_id, vehicle_id)
            return jsonify(vehicle_out.dump(vehicle))

        limit = min(request.args.get("limit", current_app.config["PAGE_SIZE_DEFAULT"], type=int),
                    current_app.config["PAGE_SIZE_MAX"])
        offset = max(request.args.get("offset", 0, type=int), 0)
        vehicles = VehicleRepository(session).list_page(g.org_id, request.args.get("sort", "plate"), limit, offset)
        body = vehicle_out.dump(vehicles, many=True)
        etag = hashlib.sha1(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        if request.if_none_match.contains(etag):
            return "", 304
        resp = jsonify(items=body, limit=limit, offset=offset)
        resp.set_etag(etag)
        return resp

    def post(self):
        try:
            data = VehicleCreateSchema().load(request.get_json(force=True))
        except ValidationError as err:
            return jsonify(errors=err.messages), 422
        session = request_session()
        vehicle = Vehicle(org_id=g.org_id, **data)
        session.add(vehicle)
        session.commit()
        return jsonify(vehicle_out.dump(vehicle)), 201

    def patch(self, vehicle_id):
        session = request_session()
        vehicle = vehicle_service.get_vehicle_for_org(session, g.org_id, vehicle_id)
        payload = request.get_json(force=True) or {}
        for field, value in payload.items():
            if hasattr(vehicle, field):
                setattr(vehicle, field, value)
        session.commit()
        return jsonify(vehicle_out.dump(vehicle))

    @requires_role("admin")
    def delete(self, vehicle_id):
        session = request_session()
        vehicle = vehicle_service.get_vehicle_for_org(session, g.org_id, vehicle_id)
        session.delete(vehicle)
        session.commit()
        return "", 204


class VehiclePositionsView(MethodView):
    def get(self, vehicle_id):
        session = request_session()
        hours = min(request.args.get("hours", 24, type=int), 72)
        stmt = (
            select(Position)
            .where(Position.vehicle_id == vehicle_id)
            .order_by(Position.recorded_at.desc())
            .limit(hours * 120)
        )
        track = [
            {"lat": p.lat, "lon": p.lon, "speed_kph": p.speed_kph, "at": p.recorded_at.isoformat()}
            for p in session.scalars(stmt)
        ]
        return jsonify(vehicle_id=vehicle_id, track=track)


register_api(bp, VehicleAPI, "vehicle_api", "", pk="vehicle_id")
bp.add_url_rule("/<int:vehicle_id>/positions", view_func=VehiclePositionsView.as_view("vehicle_positions"))


@bp.get("/search")
@needs_token
def search_vehicles():
    term = request.args.get("q", "").strip()
    if len(term) < 2:
        return jsonify(items=[])
    vehicles = VehicleRepository(request_session()).search(g.org_id, term, request.args.get("status"))
    return jsonify(items=vehicle_out.dump(vehicles, many=True))


@bp.post("/<int:vehicle_id>/reserve")
@needs_token
def reserve_vehicle(vehicle_id):
    session = request_session()
    if not VehicleRepository(session).reserve(g.org_id, vehicle_id):
        return jsonify(error="vehicle not available"), 409
    session.commit()
    return jsonify(status="reserved")


@bp.get("/utilisation")
@needs_token
def utilisation():
    session = request_session()
    return jsonify(
        vehicles=vehicle_service.fleet_utilisation(session, g.org_id),
        trips_by_status=vehicle_service.trip_counts_by_status(session, g.org_id),
    )


@bp.post("/<int:vehicle_id>/immobilize")
@needs_token
@requires_role("admin", "fleet_manager")
def immobilize(vehicle_id):
    session = request_session()
    vehicle = vehicle_service.get_vehicle_for_org(session, g.org_id, vehicle_id)
    if not vehicle.telematics_serial:
        return jsonify(error="vehicle has no telematics unit"), 409
    result = telematics_client().send_immobilize(vehicle.telematics_serial, reason=request.json.get("reason", "manual"))
    return jsonify(command_id=result.get("id"))
