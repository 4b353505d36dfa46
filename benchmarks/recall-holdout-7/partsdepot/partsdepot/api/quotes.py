from decimal import Decimal

from flask import g, render_template_string
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from ..auth.tokens import account_required
from ..db import get_session
from ..models import Account
from ..repositories import OrderRepository, PartRepository
from ..schemas import QuotePreviewSchema
from ..services.pricing import PricingService

blp = Blueprint("quotes", __name__, url_prefix="/api/v1/quotes", description="Quotes and price checks")

QUOTE_EMAIL_TEMPLATE = """
<h2>Quote for order {{ quote.reference or quote.id }}</h2>
<table>
{% for line in quote.lines %}<tr><td>{{ line.part.sku }}</td><td>{{ line.part.name }}</td><td>{{ line.quantity }}</td><td>{{ line.line_total }}</td></tr>{% endfor %}
</table>
<p>Total: {{ quote.total }} EUR</p>
"""


class PriceCheckSchema(Schema):
    skus = fields.List(fields.Str(validate=validate.Length(max=40)), required=True, validate=validate.Length(min=1, max=100))


class ShippingQuoteSchema(Schema):
    weight_kg = fields.Float(required=True, validate=validate.Range(min=0.01, max=1000))
    zip = fields.Str(required=True, validate=validate.Length(max=12))


def _order_or_404(order_id):
    order = OrderRepository(get_session()).get_for_account(order_id, g.account_id)
    if order is None:
        abort(404, message="Order not found.")
    return order


@blp.route("/prices")
class PriceCheck(MethodView):
    decorators = [account_required()]

    @blp.arguments(PriceCheckSchema)
    def post(self, payload):
        prices = PricingService(PartRepository(get_session())).prices_for(g.account_id, payload["skus"])
        return {"prices": {sku: str(price.quantize(Decimal("0.01"))) for sku, price in prices.items()}}


@blp.route("/shipping")
class ShippingQuote(MethodView):
    decorators = [account_required()]

    @blp.arguments(ShippingQuoteSchema, location="query")
    def get(self, args):
        quote = PricingService(PartRepository(get_session())).cheapest_shipping(args["weight_kg"], args["zip"])
        if quote is None:
            abort(503, message="No carrier rates available right now.")
        return quote


@blp.route("/<int:order_id>/email-body")
class QuoteEmailBody(MethodView):
    decorators = [account_required()]

    def get(self, order_id):
        order = _order_or_404(order_id)
        return {"html": render_template_string(QUOTE_EMAIL_TEMPLATE, quote=order)}


@blp.route("/footer-preview")
class QuoteFooterPreview(MethodView):
    """Account admins design the footer printed on their quotes."""

    decorators = [account_required(roles=("account_admin",))]

    @blp.arguments(QuotePreviewSchema)
    def post(self, payload):
        order = _order_or_404(payload["order_id"])
        html = render_template_string(payload["footer_template"], quote=order)
        return {"html": html}

    @blp.arguments(QuotePreviewSchema)
    def put(self, payload):
        session = get_session()
        account = session.get(Account, g.account_id)
        account.quote_footer_template = payload["footer_template"]
        session.commit()
        return {"saved": True}
