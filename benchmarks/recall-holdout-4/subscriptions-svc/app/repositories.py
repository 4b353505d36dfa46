from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Invoice, Plan, Subscription, User

USER_SORTS = {
    "created": User.created_at.desc(),
    "email": User.email.asc(),
    "name": User.full_name.asc(),
}


class UserRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        result = await self.session.execute(select(User).where(User.email == email.lower()))
        return result.scalar_one_or_none()

    async def get_by_reset_hash(self, token_hash: str, now: datetime) -> User | None:
        stmt = select(User).where(User.reset_token_hash == token_hash, User.reset_token_expires_at > now)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def team_members(self, org_id: int) -> Sequence[User]:
        stmt = select(User).where(User.org_id == org_id, User.is_active.is_(True)).order_by(User.email).limit(500)
        return (await self.session.execute(stmt)).scalars().all()

    async def page(self, limit: int, offset: int, sort: str | None = None) -> Sequence[User]:
        order = USER_SORTS.get(sort or "created", USER_SORTS["created"])
        stmt = select(User).order_by(order).limit(limit).offset(offset)
        return (await self.session.execute(stmt)).scalars().all()


class PlanRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get_by_code(self, code: str) -> Plan | None:
        return (await self.session.execute(select(Plan).where(Plan.code == code))).scalar_one_or_none()

    async def list_public(self) -> Sequence[Plan]:
        stmt = select(Plan).where(Plan.is_public.is_(True)).order_by(Plan.price)
        return (await self.session.execute(stmt)).scalars().all()


class SubscriptionRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def for_user(self, user_id: int, limit: int, offset: int) -> Sequence[Subscription]:
        stmt = (
            select(Subscription)
            .where(Subscription.user_id == user_id)
            .order_by(Subscription.created_at.desc())
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def get_for_user(self, subscription_id: int, user_id: int) -> Subscription | None:
        stmt = select(Subscription).where(Subscription.id == subscription_id, Subscription.user_id == user_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_status(self, status: str) -> Sequence[Subscription]:
        stmt = select(Subscription).where(Subscription.status == status).order_by(Subscription.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def count_by_plan(self, since: datetime) -> list[tuple[str, int]]:
        rows = await self.session.execute(
            text(
                "SELECT p.code, count(*) FROM subscriptions s JOIN plans p ON p.id = s.plan_id "
                "WHERE s.status = 'active' AND s.created_at >= :since GROUP BY p.code ORDER BY 2 DESC"
            ),
            {"since": since},
        )
        return [(code, n) for code, n in rows.all()]


class InvoiceRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, invoice_id: int) -> Invoice | None:
        return await self.session.get(Invoice, invoice_id)

    async def get_for_user(self, invoice_id: int, user_id: int) -> Invoice | None:
        stmt = select(Invoice).where(Invoice.id == invoice_id, Invoice.user_id == user_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_by_provider_id(self, provider_invoice_id: str) -> Invoice | None:
        stmt = select(Invoice).where(Invoice.provider_invoice_id == provider_invoice_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_user(self, user_id: int, limit: int, offset: int) -> Sequence[Invoice]:
        stmt = (
            select(Invoice)
            .where(Invoice.user_id == user_id)
            .order_by(Invoice.created_at.desc())
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.execute(stmt)).scalars().all()
