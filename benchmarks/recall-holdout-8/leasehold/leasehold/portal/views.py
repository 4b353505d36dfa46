"""Tenant portal and the public listings page."""
import base64
import logging
import os
import pickle

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..forms import MaintenanceRequestForm, ProfileForm, TenantNoteForm
from ..models import Attachment, Document, Lease, MaintenanceRequest, Property, Unit
from ..services import documents
from ..utils import etag_for, is_safe_url

log = logging.getLogger(__name__)
portal_bp = Blueprint("portal", __name__)

FILTER_COOKIE = "lh_filters"
DEFAULT_FILTERS = {"city": None, "min_bedrooms": None, "max_rent": None}


def _tenant_lease_or_404(lease_id):
    return Lease.query.filter_by(id=lease_id, tenant_id=current_user.id).first_or_404()


def _tenant_request_or_404(request_id):
    req = MaintenanceRequest.query.get_or_404(request_id)
    if req.lease.tenant_id != current_user.id:
        abort(404)
    return req


@portal_bp.route("/")
@login_required
def dashboard():
    leases = current_user.leases.filter_by(status="active").order_by(Lease.start_date.desc()).all()
    open_requests = (
        MaintenanceRequest.query.join(Lease)
        .filter(Lease.tenant_id == current_user.id, MaintenanceRequest.status != "done")
        .order_by(MaintenanceRequest.created_at.desc())
        .limit(10)
        .all()
    )
    return render_template("portal/dashboard.html", leases=leases, open_requests=open_requests)


@portal_bp.route("/leases/<int:lease_id>")
@login_required
def lease_detail(lease_id):
    lease = _tenant_lease_or_404(lease_id)
    payments = lease.payments.order_by(db.desc("received_on")).limit(24).all()
    docs = lease.documents.order_by(Document.created_at.desc()).all()
    return render_template("portal/lease_detail.html", lease=lease, payments=payments, documents=docs)


@portal_bp.route("/leases/<int:lease_id>/summary.pdf")
@login_required
def lease_summary(lease_id):
    lease = _tenant_lease_or_404(lease_id)
    try:
        pdf = documents.lease_summary_pdf(lease)
    except documents.DocumentError:
        flash("We could not generate the summary right now. Please try again later.", "danger")
        return redirect(url_for("portal.lease_detail", lease_id=lease.id))
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="lease-{lease.id}.pdf"'
    return response


@portal_bp.route("/leases/<int:lease_id>/documents/<int:doc_id>")
@login_required
def download_document(lease_id, doc_id):
    doc = Document.query.get_or_404(doc_id)
    return send_from_directory(
        documents.documents_dir(),
        doc.stored_name,
        mimetype=doc.content_type,
        as_attachment=True,
        download_name=f"{doc.title}.pdf",
    )


@portal_bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def new_request():
    lease = current_user.leases.filter_by(status="active").first()
    if lease is None:
        flash("You need an active lease to open a maintenance request.", "warning")
        return redirect(url_for("portal.dashboard"))
    form = MaintenanceRequestForm()
    if form.validate_on_submit():
        req = MaintenanceRequest(
            lease_id=lease.id,
            title=form.title.data,
            description=form.description.data,
            priority=form.priority.data,
        )
        db.session.add(req)
        db.session.flush()
        upload = form.photo.data
        if upload:
            folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "requests", str(req.id))
            os.makedirs(folder, exist_ok=True)
            dest = os.path.join(folder, upload.filename)
            upload.save(dest)
            db.session.add(
                Attachment(request_id=req.id, filename=upload.filename, path=dest, content_type=upload.mimetype)
            )
        db.session.commit()
        flash("Thanks, your request has been logged.", "success")
        return redirect(url_for("portal.request_detail", request_id=req.id))
    return render_template("portal/new_request.html", form=form)


@portal_bp.route("/requests/<int:request_id>", methods=["GET", "POST"])
@login_required
def request_detail(request_id):
    req = _tenant_request_or_404(request_id)
    form = TenantNoteForm()
    if form.validate_on_submit():
        req.tenant_note = form.note.data
        db.session.commit()
        flash("Note added.", "success")
        return redirect(url_for("portal.request_detail", request_id=req.id))
    return render_template("portal/request_detail.html", req=req, form=form)


@portal_bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        flash("Profile updated.", "success")
        next_url = request.args.get("next")
        if not is_safe_url(next_url):
            next_url = url_for("portal.dashboard")
        return redirect(next_url)
    return render_template("portal/profile.html", form=form)


def _saved_filters():
    raw = request.cookies.get(FILTER_COOKIE)
    if not raw:
        return dict(DEFAULT_FILTERS)
    try:
        return pickle.loads(base64.urlsafe_b64decode(raw))
    except Exception:
        return dict(DEFAULT_FILTERS)


@portal_bp.route("/listings")
def listings():
    filters = _saved_filters()
    for key in DEFAULT_FILTERS:
        if key in request.args:
            filters[key] = request.args.get(key) or None
    query = (
        Unit.query.join(Property)
        .options(contains_eager(Unit.property))
        .filter(Unit.listed.is_(True), Unit.status == "vacant")
    )
    if filters.get("city"):
        query = query.filter(Property.city == filters["city"])
    if filters.get("min_bedrooms"):
        query = query.filter(Unit.bedrooms >= int(filters["min_bedrooms"]))
    if filters.get("max_rent"):
        query = query.filter(Unit.monthly_rent <= filters["max_rent"])
    page = request.args.get("page", 1, type=int)
    pagination = query.order_by(Unit.monthly_rent).paginate(
        page=page, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False
    )
    body = render_template("portal/listings.html", pagination=pagination, filters=filters)
    response = make_response(body)
    response.set_etag(etag_for(body.encode()))
    response.set_cookie(
        FILTER_COOKIE,
        base64.urlsafe_b64encode(pickle.dumps(filters)).decode(),
        max_age=60 * 60 * 24 * 90,
        httponly=True,
        secure=request.is_secure,
        samesite="Lax",
    )
    return response.make_conditional(request)
