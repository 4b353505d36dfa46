"""Staff back office: properties, units, leases, maintenance board, notices."""
import logging
from datetime import date

from celery import group
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    render_template_string,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ..auth.decorators import portal_role
from ..extensions import db
from ..forms import (
    LeaseForm,
    NoticeTemplateForm,
    OfflinePaymentForm,
    StaffUpdateForm,
    StatementUploadForm,
    UnitForm,
)
from ..models import (
    ROLE_ADMIN,
    ROLE_MANAGER,
    ROLE_TENANT,
    Lease,
    MaintenanceRequest,
    NoticeTemplate,
    Property,
    Unit,
    User,
)
from ..services import payments, search, statements
from ..tasks import send_notice_email

log = logging.getLogger(__name__)
manage_bp = Blueprint("manage", __name__)

STAFF = (ROLE_MANAGER, ROLE_ADMIN)
BOARD_COLUMNS = ("open", "scheduled", "in_progress")


def _org_property_or_404(property_id):
    return Property.query.filter_by(id=property_id, org_id=current_user.org_id).first_or_404()


def _org_unit_or_404(unit_id):
    return (
        Unit.query.join(Property)
        .filter(Unit.id == unit_id, Property.org_id == current_user.org_id)
        .first_or_404()
    )


def _org_lease_or_404(lease_id):
    return (
        Lease.query.join(Unit)
        .join(Property)
        .filter(Lease.id == lease_id, Property.org_id == current_user.org_id)
        .first_or_404()
    )


@manage_bp.route("/")
@login_required
@portal_role(*STAFF)
def dashboard():
    occupancy = search.occupancy_by_property(current_user.org_id)
    return render_template("manage/dashboard.html", occupancy=occupancy)


@manage_bp.route("/properties/<int:property_id>")
@login_required
@portal_role(*STAFF)
def property_detail(property_id):
    prop = _org_property_or_404(property_id)
    return render_template("manage/property.html", prop=prop, units=prop.units)


@manage_bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
@portal_role(*STAFF)
def edit_unit(unit_id):
    unit = _org_unit_or_404(unit_id)
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        form.populate_obj(unit)
        db.session.commit()
        flash(f"Unit {unit.label} saved.", "success")
        return redirect(url_for("manage.property_detail", property_id=unit.property_id))
    return render_template("manage/unit_form.html", form=form, unit=unit)


@manage_bp.route("/units/<int:unit_id>/leases/new", methods=["GET", "POST"])
@login_required
@portal_role(*STAFF)
def new_lease(unit_id):
    unit = _org_unit_or_404(unit_id)
    form = LeaseForm(monthly_rent=unit.monthly_rent)
    if form.validate_on_submit():
        tenant = User.query.filter_by(email=form.tenant_email.data.strip().lower(), role=ROLE_TENANT).first()
        if tenant is None:
            form.tenant_email.errors.append("No tenant account with that email. Invite them first.")
            return render_template("manage/lease_form.html", form=form, unit=unit)
        if form.end_date.data <= form.start_date.data:
            form.end_date.errors.append("End date must be after the start date.")
            return render_template("manage/lease_form.html", form=form, unit=unit)
        lease = Lease(
            unit_id=unit.id,
            tenant_id=tenant.id,
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            monthly_rent=form.monthly_rent.data,
            deposit=form.deposit.data,
            balance=form.deposit.data,
        )
        db.session.add(lease)
        unit.status = "occupied"
        unit.listed = False
        db.session.commit()
        flash("Lease created.", "success")
        return redirect(url_for("manage.property_detail", property_id=unit.property_id))
    return render_template("manage/lease_form.html", form=form, unit=unit)


@manage_bp.route("/leases/<int:lease_id>/payments/new", methods=["GET", "POST"])
@login_required
@portal_role(*STAFF)
def record_offline_payment(lease_id):
    lease = _org_lease_or_404(lease_id)
    form = OfflinePaymentForm()
    if form.validate_on_submit():
        try:
            payments.record_payment(lease, form.amount.data, form.method.data, memo=form.memo.data)
        except payments.PaymentError as exc:
            flash(str(exc), "danger")
        else:
            flash("Payment recorded.", "success")
            return redirect(url_for("manage.property_detail", property_id=lease.unit.property_id))
    return render_template("manage/payment_form.html", form=form, lease=lease)


@manage_bp.route("/maintenance")
@login_required
@portal_role(*STAFF)
def maintenance_board():
    requests_ = (
        MaintenanceRequest.query.options(
            joinedload(MaintenanceRequest.lease).joinedload(Lease.tenant),
            joinedload(MaintenanceRequest.lease).joinedload(Lease.unit).joinedload(Unit.property),
        )
        .join(Lease)
        .join(Unit)
        .join(Property)
        .filter(Property.org_id == current_user.org_id, MaintenanceRequest.status.in_(BOARD_COLUMNS))
        .order_by(MaintenanceRequest.created_at)
        .limit(300)
        .all()
    )
    columns = {status: [r for r in requests_ if r.status == status] for status in BOARD_COLUMNS}
    return render_template("manage/maintenance_board.html", columns=columns)


@manage_bp.route("/maintenance/<int:request_id>", methods=["GET", "POST"])
@login_required
@portal_role(*STAFF)
def maintenance_detail(request_id):
    req = (
        MaintenanceRequest.query.join(Lease)
        .join(Unit)
        .join(Property)
        .filter(MaintenanceRequest.id == request_id, Property.org_id == current_user.org_id)
        .first_or_404()
    )
    form = StaffUpdateForm(obj=req)
    if form.validate_on_submit():
        req.status = form.status.data
        req.staff_note = form.staff_note.data
        db.session.commit()
        flash("Request updated.", "success")
        return redirect(url_for("manage.maintenance_board"))
    return render_template("manage/maintenance_detail.html", req=req, form=form)


@manage_bp.route("/notices", methods=["GET", "POST"])
@login_required
@portal_role(*STAFF)
def notices():
    form = NoticeTemplateForm()
    if form.validate_on_submit():
        tpl = NoticeTemplate(org_id=current_user.org_id)
        form.populate_obj(tpl)
        db.session.add(tpl)
        db.session.commit()
        flash("Template saved.", "success")
        return redirect(url_for("manage.notices"))
    templates = NoticeTemplate.query.filter_by(org_id=current_user.org_id).order_by(NoticeTemplate.name).all()
    return render_template("manage/notices.html", form=form, templates=templates)


def _sample_context():
    return {
        "tenant": {"full_name": "Alex Example", "email": "alex@example.com"},
        "unit": {"label": "4B", "property": {"name": "Maple Court"}},
        "balance": "1,250.00",
        "today": date.today().isoformat(),
    }


@manage_bp.route("/notices/preview", methods=["POST"])
@login_required
@portal_role(*STAFF)
def preview_notice():
    body = request.form.get("body", "")
    rendered = render_template_string(body, **_sample_context())
    return render_template("manage/notice_preview.html", rendered=rendered)


@manage_bp.route("/notices/<int:template_id>/send", methods=["POST"])
@login_required
@portal_role(*STAFF)
def send_notice(template_id):
    tpl = NoticeTemplate.query.filter_by(id=template_id, org_id=current_user.org_id).first_or_404()
    property_id = request.form.get("property_id", type=int)
    prop = _org_property_or_404(property_id)
    lease_ids = [
        lease_id
        for (lease_id,) in db.session.query(Lease.id)
        .join(Unit)
        .filter(Unit.property_id == prop.id, Lease.status == "active")
        .all()
    ]
    group(send_notice_email.s(tpl.id, lease_id) for lease_id in lease_ids).apply_async()
    flash(f"Notice queued for {len(lease_ids)} households.", "success")
    return redirect(url_for("manage.notices"))


@manage_bp.route("/statements/import", methods=["GET", "POST"])
@login_required
@portal_role(*STAFF)
def import_statement():
    form = StatementUploadForm()
    if form.validate_on_submit():
        try:
            rows = statements.parse_upload(form.statement.data)
        except statements.StatementError as exc:
            flash(str(exc), "danger")
            return render_template("manage/statement_import.html", form=form)
        matched, unmatched = statements.match_rows(current_user.org_id, rows)
        for row in matched:
            payments.record_payment(row["lease"], row["amount"], "bank_transfer", provider_ref=row["reference"])
        flash(f"Imported {len(matched)} deposits; {len(unmatched)} need manual review.", "info")
        return render_template("manage/statement_import.html", form=form, unmatched=unmatched)
    return render_template("manage/statement_import.html", form=form)
