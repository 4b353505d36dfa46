"""Subscription lifecycle and money movements."""
import logging
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.payments import PaymentsClient
from app.models import Coupon, Invoice, Plan, Subscription, User
from app.repositories import InvoiceRepository, PlanRepository, SubscriptionRepository

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
PERIODS = {"month": timedelta(days=30), "year": timedelta(days=365)}


class BillingError(Exception):
    status_code = 400


class PlanNotFound(BillingError):
    status_code = 404


class CouponUnavailable(BillingError):
    status_code = 409


class InsufficientCredit(BillingError):
    status_code = 402


class InvoiceNotPayable(BillingError):
    status_code = 409


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def apply_discount(price: Decimal, percent_off: Decimal) -> Decimal:
    discounted = price * (Decimal(100) - percent_off) / Decimal(100)
    return discounted.quantize(CENT, rounding=ROUND_HALF_UP)


def period_end(plan: Plan, start: datetime | None = None) -> datetime:
    start = start or utcnow()
    return start + timedelta(days=plan.trial_days) + PERIODS[plan.interval]


class BillingService:
    def __init__(self, session: AsyncSession, payments: PaymentsClient, plans: PlanRepository,
                 subscriptions: SubscriptionRepository, invoices: InvoiceRepository):
        self.session = session
        self.payments = payments
        self.plans = plans
        self.subscriptions = subscriptions
        self.invoices = invoices

    async def _ensure_customer(self, user: User) -> str:
        if user.provider_customer_id:
            return user.provider_customer_id
        customer = await self.payments.create_customer(
            user.email, user.full_name, idempotency_key=f"customer-{user.id}"
        )
        user.provider_customer_id = customer["id"]
        return customer["id"]

    async def _redeem_coupon(self, code: str) -> Decimal:
        result = await self.session.execute(
            update(Coupon)
            .where(Coupon.code == code, Coupon.times_redeemed < Coupon.max_redemptions)
            .values(times_redeemed=Coupon.times_redeemed + 1)
            .returning(Coupon.percent_off)
        )
        percent_off = result.scalar_one_or_none()
        if percent_off is None:
            raise CouponUnavailable(f"coupon {code} is not available")
        return percent_off

    async def subscribe(self, user: User, plan_code: str, coupon_code: str | None = None) -> tuple[Subscription, Invoice]:
        plan = await self.plans.get_by_code(plan_code)
        if plan is None or not plan.is_public:
            raise PlanNotFound(plan_code)

        price = plan.price
        if coupon_code:
            price = apply_discount(price, await self._redeem_coupon(coupon_code))

        customer_id = await self._ensure_customer(user)
        charge = await self.payments.charge(customer_id, price, plan.currency, f"{plan.name} subscription")

        subscription = Subscription(
            user_id=user.id, plan_id=plan.id, status="active", current_period_end=period_end(plan), plan=plan
        )
        self.session.add(subscription)
        await self.session.flush()
        invoice = Invoice(
            user_id=user.id,
            subscription_id=subscription.id,
            amount=price,
            currency=plan.currency,
            status="paid",
            provider_charge_id=charge["id"],
            provider_invoice_id=charge.get("invoice"),
            paid_at=utcnow(),
        )
        self.session.add(invoice)
        await self.session.commit()
        return subscription, invoice

    async def cancel(self, subscription: Subscription) -> Subscription:
        if subscription.status in ("canceled", "expired"):
            return subscription
        subscription.status = "canceled"
        await self.session.commit()
        return subscription

    async def pay_with_credit(self, user: User, invoice: Invoice) -> Invoice:
        if invoice.status != "open":
            raise InvoiceNotPayable(f"invoice {invoice.id} is {invoice.status}")
        if user.credit_balance < invoice.amount:
            raise InsufficientCredit("not enough credit")
        user.credit_balance = user.credit_balance - invoice.amount
        invoice.status = "paid"
        invoice.paid_at = utcnow()
        await self.session.commit()
        return invoice

    async def refund(self, invoice: Invoice, reason: str) -> Invoice:
        if invoice.status != "paid" or not invoice.provider_charge_id:
            raise InvoiceNotPayable(f"invoice {invoice.id} cannot be refunded")
        await self.payments.refund(invoice.provider_charge_id, invoice.amount, idempotency_key=f"refund-{invoice.id}")
        invoice.status = "refunded"
        await self.session.commit()
        logger.info("refunded invoice %s: %s", invoice.id, reason)
        return invoice

    async def grant_credit(self, user_ids: list[int], amount: Decimal) -> int:
        granted = 0
        for user_id in user_ids:
            result = await self.session.execute(
                update(User).where(User.id == user_id).values(credit_balance=User.credit_balance + amount)
            )
            granted += result.rowcount
        await self.session.commit()
        return granted

    async def mark_paid_from_provider(self, provider_invoice_id: str, paid_at: datetime) -> Invoice | None:
        invoice = await self.invoices.get_by_provider_id(provider_invoice_id)
        if invoice is None or invoice.status == "paid":
            return invoice
        invoice.status = "paid"
        invoice.paid_at = paid_at
        subscription = await self.session.get(Subscription, invoice.subscription_id)
        if subscription is not None:
            subscription.status = "active"
            subscription.current_period_end = period_end(subscription.plan, start=paid_at)
        return invoice
