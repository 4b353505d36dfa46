import os

from flask import current_app, g, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..auth.tokens import account_required
from ..db import get_session
from ..repositories import InvoiceRepository
from ..schemas import InvoiceSchema, PaginationArgs

blp = Blueprint("invoices", __name__, url_prefix="/api/v1/invoices", description="Invoices")


def _export_path(account_id, name):
    return os.path.join(current_app.config["EXPORT_DIR"], str(account_id), name)


@blp.route("/")
class InvoiceList(MethodView):
    decorators = [account_required()]

    @blp.arguments(PaginationArgs, location="query")
    @blp.response(200, InvoiceSchema(many=True))
    def get(self, args):
        return InvoiceRepository(get_session()).list_for_account(g.account_id, args["page"], args["per_page"])


@blp.route("/<int:invoice_id>")
class InvoiceDetail(MethodView):
    decorators = [account_required()]

    @blp.response(200, InvoiceSchema)
    def get(self, invoice_id):
        invoice = InvoiceRepository(get_session()).get_for_account(invoice_id, g.account_id)
        if invoice is None:
            abort(404, message="Invoice not found.")
        return invoice


@blp.route("/exports/download")
class InvoiceExportDownload(MethodView):
    """Monthly statement PDFs/CSVs written by the worker into the account's export folder."""

    decorators = [account_required(roles=("account_admin",))]

    def get(self):
        name = request.args.get("file", "")
        if not name:
            abort(400, message="file is required.")
        return send_file(_export_path(g.account_id, name), as_attachment=True)
