from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BankAccount, Seller


class SellerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_email(self, email: str) -> Seller | None:
        return await self.session.scalar(select(Seller).where(func.lower(Seller.email) == email.lower()))

    async def get(self, seller_id: str) -> Seller | None:
        return await self.session.get(Seller, seller_id)

    async def bank_accounts(self, seller_id: str) -> Sequence[BankAccount]:
        stmt = (
            select(BankAccount)
            .where(BankAccount.seller_id == seller_id)
            .order_by(BankAccount.created_at.desc())
            .limit(20)
        )
        return (await self.session.scalars(stmt)).all()

    async def bank_account_for_seller(self, seller_id: str, account_id: str) -> BankAccount | None:
        return await self.session.scalar(
            select(BankAccount).where(BankAccount.id == account_id, BankAccount.seller_id == seller_id)
        )

    async def clear_default_bank_account(self, seller_id: str) -> None:
        for account in await self.bank_accounts(seller_id):
            account.is_default = False
