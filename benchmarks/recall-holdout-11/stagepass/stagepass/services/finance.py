import logging
from datetime import timedelta

from stagepass.clients.payments import PaymentError
from stagepass.money import to_minor_units
from stagepass.repositories import (EventRepository, OrderRepository, PayoutRepository, RefundRepository,
                                    TicketRepository, UserRepository)
from stagepass.services import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)


class RefundService:
    def __init__(self, db, paygate):
        self.db = db
        self.paygate = paygate

    def refund_order(self, order_id, requested_by, reason):
        if not reason or len(reason) > 500:
            raise InvalidInput("reason is required (max 500 characters)")
        with self.db.connection() as conn:
            orders = OrderRepository(conn)
            order = orders.get(order_id)
            lines = orders.lines_for(order_id) if order else []
        if order is None:
            raise NotFound("Order not found")
        if order["status"] != "paid":
            raise Conflict("Only paid orders can be refunded")

        result = self.paygate.refund(charge_id=order["charge_id"], amount_minor=to_minor_units(order["total"]),
                                     idempotency_key=f"refund-{order['reference']}")
        with self.db.connection() as conn:
            OrderRepository(conn).set_status(order_id, "refunded")
        with self.db.connection() as conn:
            RefundRepository(conn).create(order_id=order_id, amount=order["total"], provider_refund_id=result["id"],
                                          requested_by=requested_by, reason=reason)
            TicketRepository(conn).void_for_order(order_id)
        with self.db.connection() as conn:
            events = EventRepository(conn)
            for line in lines:
                events.release(line["tier_id"], line["quantity"])
        log.info("order %s refunded by %s", order_id, requested_by)
        return {"order_id": order_id, "status": "refunded", "refund_id": result["id"]}


class PayoutService:
    def __init__(self, db, settings, paygate):
        self.db = db
        self.settings = settings
        self.paygate = paygate

    def schedule_week(self, period_start):
        period_end = period_start + timedelta(days=7)
        scheduled = 0
        with self.db.transaction() as conn:
            payouts = PayoutRepository(conn)
            for row in payouts.gross_by_organiser(period_start, period_end):
                gross = float(row["gross"])
                net = round(gross - gross * float(self.settings.commission_rate), 2)
                if net <= 0:
                    continue
                created = payouts.create(organiser_id=row["organiser_id"], period_start=period_start,
                                         amount=net, currency=row["currency"])
                scheduled += 1 if created else 0
        return scheduled

    def send_scheduled(self):
        with self.db.connection() as conn:
            due = PayoutRepository(conn).scheduled()
            accounts = UserRepository(conn).organiser_accounts({p["organiser_id"] for p in due})
        sent = failed = 0
        for payout in due:
            account_id = accounts.get(payout["organiser_id"])
            if not account_id:
                log.warning("organiser %s has no payout account", payout["organiser_id"])
                failed += 1
                continue
            try:
                transfer = self.paygate.transfer(account_id=account_id, amount_minor=to_minor_units(payout["amount"]),
                                                 currency=payout["currency"], idempotency_key=f"payout-{payout['id']}")
            except PaymentError as exc:
                log.warning("payout %s failed: %s", payout["id"], exc)
                failed += 1
                continue
            with self.db.connection() as conn:
                PayoutRepository(conn).mark_sent(payout["id"], transfer["id"])
            sent += 1
        return {"sent": sent, "failed": failed}
