import logging
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.payments import PaymentError, PaymentsClient
from app.models import Order, OrderItem, OrderStatus, User
from app.repositories.orders import OrderRepository
from app.repositories.products import ProductRepository
from app.schemas import OrderCreate
from app.services import Conflict, NotFound, PaymentRequired
from app.services.wallet import WalletService

log = logging.getLogger(__name__)

CANCELLABLE = (OrderStatus.pending, OrderStatus.paid)


class OrderService:
    def __init__(self, session: AsyncSession, payments: PaymentsClient | None = None) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.products = ProductRepository(session)
        self.wallet = WalletService(session)
        self._payments = payments

    @property
    def payments(self) -> PaymentsClient:
        if self._payments is None:
            self._payments = PaymentsClient()
        return self._payments

    async def create(self, user: User, data: OrderCreate, idempotency_key: str) -> Order:
        existing = await self.orders.by_idempotency_key(user.id, idempotency_key)
        if existing is not None:
            return existing

        products = await self.products.by_ids(i.product_id for i in data.items)
        order = Order(
            user_id=user.id,
            shipping_address=data.shipping_address,
            idempotency_key=idempotency_key,
        )
        total = Decimal("0")
        try:
            for line in data.items:
                product = products.get(line.product_id)
                if product is None or not product.is_listed:
                    raise NotFound(f"product {line.product_id} not found")
                if not await self.products.reserve_stock(product.id, line.quantity):
                    raise Conflict(f"insufficient stock for {product.sku}")
                order.items.append(
                    OrderItem(
                        product_id=product.id, quantity=line.quantity, unit_price=product.price
                    )
                )
                total += product.price * line.quantity
            order.total = total
            await self.orders.add(order)

            if data.pay_with_wallet:
                await self.wallet.pay(user, total, reference=order.public_id)
                order.status = OrderStatus.paid
            await self.session.commit()
        except IntegrityError:
            await self.session.rollback()
            existing = await self.orders.by_idempotency_key(user.id, idempotency_key)
            if existing is None:
                raise
            return existing
        except Exception:
            await self.session.rollback()
            raise
        log.info("order created id=%s user_id=%s total=%s", order.id, user.id, total)
        return order

    async def get_order(self, order_id: int) -> Order:
        order = await self.orders.get_with_items(order_id)
        if order is None:
            raise NotFound("order not found")
        return order

    async def cancel(self, user: User, order_id: int) -> Order:
        order = await self.orders.get_for_user(order_id, user.id, for_update=True)
        if order is None:
            raise NotFound("order not found")
        if order.status not in CANCELLABLE:
            raise Conflict(f"order is {order.status.value}")
        was_paid = order.status == OrderStatus.paid
        for item in order.items:
            await self.products.release_stock(item.product_id, item.quantity)
        order.status = OrderStatus.cancelled
        if was_paid:
            await self.wallet.credit(user.id, order.total, reason="cancel", ref=order.public_id)
        await self.session.commit()
        return order

    async def refund(self, order_id: int, *, reason: str, to_wallet: bool) -> Order:
        order = await self.orders.get_with_items(order_id, for_update=True)
        if order is None:
            raise NotFound("order not found")
        if order.status not in (OrderStatus.paid, OrderStatus.shipped):
            raise Conflict("only paid or shipped orders can be refunded")
        if to_wallet or not order.payment_ref:
            await self.wallet.credit(order.user_id, order.total, reason="refund", ref=order.public_id)
        else:
            try:
                await self.payments.refund(
                    charge_id=order.payment_ref,
                    amount=order.total,
                    idempotency_key=f"refund-{order.public_id}",
                )
            except PaymentError as exc:
                raise PaymentRequired(f"refund failed: {exc}") from exc
        order.status = OrderStatus.refunded
        await self.session.commit()
        log.info("order refunded id=%s reason=%r", order.id, reason)
        return order

    async def mark_paid(self, order: Order, charge_id: str) -> bool:
        if order.status != OrderStatus.pending:
            return False
        order.status = OrderStatus.paid
        order.payment_ref = charge_id
        await self.session.commit()
        return True
