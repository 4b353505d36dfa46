from flask import request

from lunchline.auth import current_principal
from lunchline.auth.decorators import require_role
from lunchline.db import session
from lunchline.repositories import OrderRepository
from lunchline.serializers import clamp, money, order_out, page
from lunchline.services import NotFound, ServiceError
from lunchline.services.ordering import OrderingService
from lunchline.services.wallet import WalletService


@require_role("guardian")
def list_orders(limit=None, offset=None):
    limit, offset = clamp(limit, offset)
    orders = OrderRepository(session).list_for_guardian(current_principal().user_id, offset, limit)
    return page([order_out(o) for o in orders], limit, offset), 200


@require_role("guardian")
def get_order(order_id):
    order = OrderRepository(session).get_for_guardian(order_id, current_principal().user_id)
    if order is None:
        raise NotFound("order not found")
    return order_out(order), 200


@require_role("guardian")
def place_order(body):
    key = request.headers.get("Idempotency-Key", "").strip()
    if not 8 <= len(key) <= 64:
        raise ServiceError("Idempotency-Key header (8-64 characters) is required", code="idempotency_key")
    order, created = OrderingService(session).place_order(current_principal().user_id, body, key)
    return order_out(order), 201 if created else 200


@require_role("guardian")
def cancel_order(order_id):
    order = WalletService(session).refund_order(order_id, current_principal().user_id)
    return {"id": order.id, "status": order.status}, 200


def kiosk_sale(body):
    principal = current_principal()
    balance = WalletService(session).kiosk_purchase(
        principal.school_id, principal.terminal_id, body["card_number"], body["items"]
    )
    return {"balance": money(balance)}, 201


def kiosk_sync(body):
    principal = current_principal()
    applied = WalletService(session).sync_offline_sales(principal.school_id, principal.terminal_id, body["sales"])
    return {"applied": applied, "received": len(body["sales"])}, 200
