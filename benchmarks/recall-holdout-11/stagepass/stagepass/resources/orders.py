import os

import falcon

from stagepass.hooks import require_idempotency_key
from stagepass.pagination import page, page_params
from stagepass.resources import int_field, json_body, string_field


class OrdersResource:
    def __init__(self, orders):
        self.orders = orders

    def on_get(self, req, resp):
        limit, after_id = page_params(req)
        rows = self.orders.list_orders(req.context.user.id, after_id, limit)
        resp.media = page(rows, limit)

    @falcon.before(require_idempotency_key)
    def on_post(self, req, resp):
        body = json_body(req)
        promo = body.get("promo_code")
        if promo is not None and (not isinstance(promo, str) or len(promo) > 32):
            raise falcon.HTTPBadRequest(title="promo_code must be a short string")
        order, created = self.orders.create_order(
            req.context.user.id,
            int_field(body, "event_id"),
            body.get("items"),
            promo,
            req.context.idempotency_key,
        )
        resp.status = falcon.HTTP_201 if created else falcon.HTTP_200
        resp.location = f"/v1/orders/{order['id']}"
        resp.media = order


class OrderResource:
    def __init__(self, orders):
        self.orders = orders

    def on_get(self, req, resp, order_id):
        resp.media = self.orders.get_order(req.context.user.id, order_id)


class OrderPaymentResource:
    def __init__(self, orders):
        self.orders = orders

    def on_post(self, req, resp, order_id):
        source = string_field(json_body(req), "source", max_length=64)
        result = self.orders.pay_order(req.context.user.id, order_id, source)
        resp.status = falcon.HTTP_200 if result["status"] == "paid" else falcon.HTTP_202
        resp.media = result


class TicketPdfResource:
    def __init__(self, orders, settings):
        self.orders = orders
        self.settings = settings

    def on_get(self, req, resp, order_id):
        order = self.orders.ticket_pdf(order_id)
        path = os.path.join(self.settings.ticket_pdf_dir, f"{order['reference']}.pdf")
        if not os.path.exists(path):
            raise falcon.HTTPNotFound(title="Tickets are still being generated")
        resp.content_type = "application/pdf"
        resp.downloadable_as = f"stagepass-{order['reference']}.pdf"
        resp.stream = open(path, "rb")
