from datetime import date

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from clinicdesk.auth import login_required, roles_required
from clinicdesk.models import Invoice
from clinicdesk.schemas import InvoiceSchema, PaymentSchema, RefundSchema
from clinicdesk.services import billing
from clinicdesk.utils import audit, get_clinic_object_or_404, get_patient_or_404

blp = Blueprint("billing", __name__, url_prefix="/api/invoices", description="Billing")

BILLING_ROLES = ("billing", "admin")


@blp.route("")
class Invoices(MethodView):
    decorators = [roles_required(*BILLING_ROLES), login_required]

    @blp.response(200, InvoiceSchema(many=True))
    def get(self):
        page = request.args.get("page", 1, type=int)
        per_page = request.args.get("per_page", 25, type=int)
        result = billing.invoice_page(g.user.clinic_id, request.args.get("status"), page, per_page)
        return result.items

    @blp.arguments(InvoiceSchema)
    @blp.response(201, InvoiceSchema)
    def post(self, data):
        patient = get_patient_or_404(data["patient_id"])
        invoice = billing.create_invoice(g.user.clinic_id, patient, data["due_date"], data["lines"])
        return invoice


@blp.route("/<int:invoice_id>/payments")
class InvoicePayments(MethodView):
    decorators = [roles_required("reception", *BILLING_ROLES), login_required]

    @blp.arguments(PaymentSchema)
    def post(self, data, invoice_id: int):
        invoice = get_clinic_object_or_404(Invoice, invoice_id)
        try:
            payment = billing.record_payment(invoice, data, g.user.id)
        except billing.BillingError as exc:
            abort(409, message=str(exc))
        return {"payment_id": payment.id, "invoice_status": invoice.status}, 201


@blp.route("/<int:invoice_id>/refunds")
class InvoiceRefunds(MethodView):
    decorators = [roles_required(*BILLING_ROLES), login_required]

    @blp.arguments(RefundSchema)
    def post(self, data, invoice_id: int):
        invoice = get_clinic_object_or_404(Invoice, invoice_id)
        to_credit = request.args.get("to_credit", "false") == "true"
        try:
            refund = billing.refund(
                invoice.id, data["amount_cents"], data["reason"], g.user.id, to_credit
            )
        except billing.BillingError as exc:
            abort(409, message=str(exc))
        audit("invoice.refund", f"{invoice.number}:{refund.amount_cents}")
        return {"refund_id": refund.id}, 201


@blp.route("/overdue")
class Overdue(MethodView):
    decorators = [roles_required(*BILLING_ROLES), login_required]

    def get(self):
        return {"overdue": billing.overdue_summary(g.user.clinic_id, date.today())}
