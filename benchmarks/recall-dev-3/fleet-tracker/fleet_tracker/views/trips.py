from flask import Blueprint, g, jsonify, request
from flask.views import MethodView
from marshmallow import ValidationError

from ..auth import needs_token
from ..clients.geocoder import geocoder_for_app
from ..db import request_session
from ..models import Trip
from ..repositories import DriverRepository, TripRepository
from ..schemas import TripCreateSchema, TripOut
from ..services import vehicles as vehicle_service
from . import register_api

bp = Blueprint("trips", __name__, url_prefix="/api/trips")

trip_out = TripOut()


class TripAPI(MethodView):
    decorators = [needs_token]

    def get(self, trip_id):
        repo = TripRepository(request_session())
        if trip_id is None:
            trips = repo.for_org(g.org_id, status=request.args.get("status"))
            return jsonify(items=trip_out.dump(trips, many=True))
        trip = repo.get(trip_id)
        if trip is None:
            return jsonify(error="not found"), 404
        return jsonify(trip_out.dump(trip))

    def post(self):
        try:
            data = TripCreateSchema().load(request.get_json(force=True))
        except ValidationError as err:
            return jsonify(errors=err.messages), 422
        session = request_session()
        vehicle_service.get_vehicle_for_org(session, g.org_id, data["vehicle_id"])
        if DriverRepository(session).get_for_org(g.org_id, data["driver_id"]) is None:
            return jsonify(error="unknown driver"), 422

        geocoder = geocoder_for_app()
        start = geocoder.lookup(data["start_address"])
        end = geocoder.lookup(data["end_address"])

        trip = Trip(org_id=g.org_id, **data)
        session.add(trip)
        session.commit()
        body = trip_out.dump(trip)
        body["start_coords"], body["end_coords"] = start, end
        return jsonify(body), 201


register_api(bp, TripAPI, "trip_api", "", pk="trip_id")
