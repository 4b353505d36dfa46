import csv
import io
from datetime import datetime, timedelta

import jwt
from flask import Blueprint, Response, current_app, g, jsonify, request
from sqlalchemy import select
from flask.views import MethodView
from marshmallow import ValidationError

from ..auth import issue_download_token, needs_token
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


MAX_EXPORT_RANGE = timedelta(days=31)


@bp.post("/export-links")
@needs_token
def create_export_link():
    token = issue_download_token(g.user_id, g.org_id)
    return jsonify(url=f"{request.host_url.rstrip('/')}/api/trips/export.csv?token={token}")


@bp.get("/export.csv")
def export_trips_csv():
    # Opened from a plain browser link, so the short-lived token travels in the query string.
    try:
        claims = jwt.decode(
            request.args.get("token", ""),
            current_app.config["SECRET_KEY"],
            algorithms=[current_app.config["JWT_ALGORITHM"]],
            audience="trip-export",
        )
    except jwt.PyJWTError:
        return jsonify(error="invalid or expired link"), 401

    end = datetime.fromisoformat(request.args.get("to")) if request.args.get("to") else datetime.utcnow()
    start = datetime.fromisoformat(request.args.get("from")) if request.args.get("from") else end - timedelta(days=7)
    if end - start > MAX_EXPORT_RANGE or end < start:
        return jsonify(error="range must be between 0 and 31 days"), 422

    stmt = (
        select(Trip)
        .where(Trip.org_id == claims["org"], Trip.started_at >= start, Trip.started_at < end)
        .order_by(Trip.started_at)
    )
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "vehicle_id", "driver_id", "status", "start", "end", "distance_km", "started_at"])
    for trip in request_session().scalars(stmt):
        writer.writerow([trip.id, trip.vehicle_id, trip.driver_id, trip.status, trip.start_address,
                         trip.end_address, trip.distance_km, trip.started_at])
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=trips.csv"})
