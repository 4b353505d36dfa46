from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..auth.tokens import account_required
from ..db import get_session
from ..repositories import InvoiceRepository
from ..schemas import PaymentCreateSchema, PaymentSchema, RefundSchema
from ..services.payments import PaymentService

blp = Blueprint("payments", __name__, url_prefix="/api/v1/payments", description="Card payments")


def _owned_invoice(invoice_id):
    invoice = InvoiceRepository(get_session()).get_for_account(invoice_id, g.account_id)
    if invoice is None:
        abort(404, message="Invoice not found.")
    return invoice


@blp.route("/")
class PaymentCreate(MethodView):
    decorators = [account_required(roles=("buyer", "account_admin"))]

    @blp.arguments(PaymentCreateSchema)
    @blp.response(201, PaymentSchema)
    def post(self, payload):
        invoice = _owned_invoice(payload["invoice_id"])
        session = get_session()
        return PaymentService(session, InvoiceRepository(session)).charge_invoice(invoice, payload["card_token"])


@blp.route("/invoices/<int:invoice_id>/refunds")
class Refund(MethodView):
    decorators = [account_required(roles=("staff",))]

    @blp.arguments(RefundSchema)
    @blp.response(201, PaymentSchema)
    def post(self, payload, invoice_id):
        key = request.headers.get("Idempotency-Key", "")
        if not key or len(key) > 64:
            abort(400, message="Idempotency-Key header is required.")
        session = get_session()
        repo = InvoiceRepository(session)
        invoice = repo.get(invoice_id)
        if invoice is None:
            abort(404, message="Invoice not found.")
        return PaymentService(session, repo).refund(invoice, payload["amount"], key)
