import logging

import httpx
from flask import Blueprint, g, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import select

from ..auth import needs_token, requires_role
from ..clients.outbound import post_json
from ..db import request_session
from ..models import Integration
from ..schemas import IntegrationSchema

log = logging.getLogger(__name__)

bp = Blueprint("integrations", __name__, url_prefix="/api/integrations")


def _ping(target: str, org_id: int) -> dict:
    try:
        resp = post_json(target, {"event": "ping", "org_id": org_id})
    except httpx.HTTPError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": resp.is_success, "status": resp.status_code, "body": resp.text[:2000]}


@bp.post("")
@needs_token
@requires_role("admin", "fleet_manager")
def create_integration():
    try:
        data = IntegrationSchema().load(request.get_json(force=True))
    except ValidationError as err:
        return jsonify(errors=err.messages), 422
    session = request_session()
    integration = Integration(org_id=g.org_id, created_by=g.user_id, **data)
    session.add(integration)
    session.commit()
    return jsonify(id=integration.id), 201


@bp.post("/<int:integration_id>/test")
@needs_token
@requires_role("admin", "fleet_manager")
def test_integration(integration_id):
    session = request_session()
    integration = session.scalars(
        select(Integration).where(Integration.id == integration_id, Integration.org_id == g.org_id)
    ).one_or_none()
    if integration is None:
        return jsonify(error="not found"), 404
    body = request.get_json(silent=True) or {}
    target = body.get("url") or integration.callback_url
    return jsonify(_ping(target, g.org_id))
