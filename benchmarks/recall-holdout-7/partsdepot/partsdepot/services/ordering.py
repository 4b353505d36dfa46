import logging
from decimal import Decimal

from ..models import Order, OrderLine, OrderStatus, StockMovement
from ..worker.queue import enqueue
from .pricing import PricingService

log = logging.getLogger(__name__)


class OrderError(Exception):
    status = 422


class OutOfStock(OrderError):
    status = 409


class OrderingService:
    def __init__(self, session, orders_repo, parts_repo):
        self.session = session
        self.orders = orders_repo
        self.parts = parts_repo
        self.pricing = PricingService(parts_repo)

    def place_order(self, account_id, user_id, payload):
        order = Order(
            account_id=account_id,
            placed_by_id=user_id,
            reference=payload.get("reference"),
            shipping_address=payload["shipping_address"],
            status=OrderStatus.PLACED,
        )
        self.orders.persist(order)

        prices = self.pricing.prices_for(account_id, [line["sku"] for line in payload["lines"]])
        total = Decimal("0.00")
        for line in payload["lines"]:
            part = self.parts.get_by_sku(line["sku"])
            if part is None:
                raise OrderError(f"Unknown SKU {line['sku']}")
            if not self.parts.reserve(part.id, line["quantity"]):
                raise OutOfStock(f"Not enough stock for {part.sku}")
            unit_price = prices.get(part.sku) or Decimal(str(part.unit_price))
            line_total = (unit_price * line["quantity"]).quantize(Decimal("0.01"))
            self.session.add(
                OrderLine(order_id=order.id, part_id=part.id, quantity=line["quantity"], unit_price=unit_price, line_total=line_total)
            )
            self.session.add(StockMovement(part_id=part.id, delta=-line["quantity"], reason="reserve", order_id=order.id, created_by_id=user_id))
            total += line_total

        order.total = total
        self.session.commit()
        enqueue("partsdepot.worker.jobs.sync_order_to_erp", order.id)
        log.info("order %s placed by user %s, %s lines", order.id, user_id, len(payload["lines"]))
        return order

    def cancel_order(self, order):
        if order.status not in (OrderStatus.PLACED, OrderStatus.DRAFT):
            raise OrderError("Only placed orders can be cancelled.")
        for line in order.lines:
            self.parts.reserve(line.part_id, -line.quantity)
            self.session.add(StockMovement(part_id=line.part_id, delta=line.quantity, reason="release", order_id=order.id))
        order.status = OrderStatus.CANCELLED
        self.session.commit()
        return order
