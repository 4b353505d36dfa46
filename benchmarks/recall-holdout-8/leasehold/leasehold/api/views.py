"""JSON API used by the staff SPA widgets and the tenant mobile app."""
import csv
import hashlib
import hmac
import io
import logging

from flask import Blueprint, Response, current_app, jsonify, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from ..auth.decorators import api_login_required, portal_role
from ..extensions import csrf, db, limiter
from ..models import ROLE_ADMIN, ROLE_MANAGER, Lease, MaintenanceRequest, Payment, Property, Unit, User
from ..services import payments, screening, search

log = logging.getLogger(__name__)
api_bp = Blueprint("api", __name__)

STAFF = (ROLE_MANAGER, ROLE_ADMIN)
MAX_PAGE_SIZE = 100


def _page_args():
    page = max(request.args.get("page", 1, type=int), 1)
    per_page = min(max(request.args.get("per_page", 25, type=int), 1), MAX_PAGE_SIZE)
    return page, per_page


def _payment_dict(p):
    return {
        "id": p.id,
        "lease_id": p.lease_id,
        "amount": str(p.amount),
        "method": p.method,
        "status": p.status,
        "received_on": p.received_on.isoformat(),
        "memo": p.memo,
    }


@api_bp.get("/listings")
@limiter.limit("60 per minute")
def public_listings():
    page, per_page = _page_args()
    pagination = (
        Unit.query.join(Property)
        .options(contains_eager(Unit.property))
        .filter(Unit.listed.is_(True), Unit.status == "vacant")
        .order_by(Unit.monthly_rent)
        .paginate(page=page, per_page=per_page, error_out=False)
    )
    return jsonify(
        items=[
            {
                "id": u.id,
                "label": u.label,
                "bedrooms": u.bedrooms,
                "monthly_rent": str(u.monthly_rent),
                "city": u.property.city,
                "property": u.property.name,
                "description": u.description,
            }
            for u in pagination.items
        ],
        page=page,
        pages=pagination.pages,
    )


@api_bp.get("/units/search")
@api_login_required
@portal_role(*STAFF)
def unit_search():
    page, per_page = _page_args()
    rows = search.search_units(current_user.org_id, request.args, limit=per_page, offset=(page - 1) * per_page)
    for row in rows:
        row["monthly_rent"] = str(row["monthly_rent"])
    return jsonify(items=rows, page=page)


@api_bp.get("/payments")
@api_login_required
@portal_role(*STAFF)
def list_payments():
    query = (
        Payment.query.join(Lease)
        .join(Unit)
        .join(Property)
        .filter(Property.org_id == current_user.org_id)
        .order_by(Payment.received_on.desc())
    )
    if request.args.get("status"):
        query = query.filter(Payment.status == request.args["status"])
    return jsonify(items=[_payment_dict(p) for p in query.all()])


@api_bp.get("/requests/<int:request_id>")
@api_login_required
def request_status(request_id):
    req = (
        MaintenanceRequest.query.join(Lease)
        .filter(MaintenanceRequest.id == request_id, Lease.tenant_id == current_user.id)
        .first()
    )
    if req is None:
        return jsonify(error="not found"), 404
    return jsonify(
        id=req.id,
        title=req.title,
        description=req.description,
        status=req.status,
        tenant_note=req.tenant_note,
        updated_at=req.updated_at.isoformat(),
    )


@api_bp.route("/me", methods=["PATCH", "POST"])
@api_login_required
def update_me():
    # Older mobile builds still send form-encoded bodies.
    payload = request.get_json(silent=True) or request.form.to_dict()
    for key, value in payload.items():
        if hasattr(current_user, key) and not key.startswith("_"):
            setattr(current_user, key, value)
    db.session.commit()
    return jsonify(current_user.to_dict())


@api_bp.get("/orgs/<int:org_id>/tenants.csv")
def export_tenants(org_id):
    rows = (
        db.session.query(User.full_name, User.email, User.phone, Unit.label, Property.name)
        .join(Lease, Lease.tenant_id == User.id)
        .join(Unit, Lease.unit_id == Unit.id)
        .join(Property, Unit.property_id == Property.id)
        .filter(Property.org_id == org_id, Lease.status == "active")
        .order_by(Property.name, Unit.label)
        .all()
    )
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["name", "email", "phone", "unit", "property"])
    writer.writerows(rows)
    return Response(buf.getvalue(), mimetype="text/csv")


@api_bp.post("/leases/<int:lease_id>/autopay")
@api_login_required
def enable_autopay(lease_id):
    lease = Lease.query.filter_by(id=lease_id, tenant_id=current_user.id).first()
    if lease is None:
        return jsonify(error="not found"), 404
    token = (request.get_json(silent=True) or {}).get("payment_method_token")
    if not token or len(token) > 128:
        return jsonify(error="payment_method_token is required"), 400
    lease.autopay_token = token
    db.session.commit()
    return jsonify(lease_id=lease.id, autopay=True)


@api_bp.post("/screening")
@api_login_required
@portal_role(*STAFF)
def start_screening():
    data = request.get_json(silent=True) or {}
    missing = [f for f in ("first_name", "last_name", "email", "dob", "ssn_last4") if not data.get(f)]
    if missing:
        return jsonify(error=f"missing fields: {', '.join(missing)}"), 400
    try:
        report = screening.request_report(data)
    except screening.ScreeningUnavailable:
        return jsonify(error="screening service unavailable, try again later"), 503
    return jsonify(report_id=report["id"], status=report.get("status", "pending")), 202


@api_bp.post("/webhooks/rentpay")
@csrf.exempt
def rentpay_webhook():
    secret = current_app.config["RENTPAY_WEBHOOK_SECRET"].encode()
    expected = hmac.new(secret, request.get_data(), hashlib.sha256).hexdigest()
    if not secret or not hmac.compare_digest(expected, request.headers.get("X-RentPay-Signature", "")):
        return jsonify(error="bad signature"), 400
    event = request.get_json()
    if event.get("type") != "charge.succeeded":
        return jsonify(received=True)
    charge = event["data"]
    lease = Lease.query.get(int(charge["metadata"]["lease_id"]))
    if lease is None:
        log.warning("rentpay charge %s references unknown lease", charge["id"])
        return jsonify(received=True)
    try:
        payments.record_payment(lease, charge["amount"], "card", provider_ref=charge["id"])
    except IntegrityError:
        db.session.rollback()
        log.info("rentpay charge %s already recorded", charge["id"])
    return jsonify(received=True)
