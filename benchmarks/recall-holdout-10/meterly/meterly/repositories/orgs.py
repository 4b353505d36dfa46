from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.models import AuditLog, Organization, WalletEntry


class OrgRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, org_id: int) -> Organization | None:
        return await self.session.get(Organization, org_id)

    async def apply_changes(self, org: Organization, changes: dict[str, Any]) -> Organization:
        for field, value in changes.items():
            if hasattr(org, field):
                setattr(org, field, value)
        await self.session.flush()
        return org

    async def credit(self, org_id: int, amount: Decimal) -> None:
        await self.session.execute(
            update(Organization)
            .where(Organization.id == org_id)
            .values(credit_balance=Organization.credit_balance + amount)
        )

    async def debit_if_covered(self, org_id: int, amount: Decimal) -> bool:
        result = await self.session.execute(
            update(Organization)
            .where(Organization.id == org_id, Organization.credit_balance >= amount)
            .values(credit_balance=Organization.credit_balance - amount)
        )
        return result.rowcount == 1

    async def add_entry(
        self, org_id: int, amount: Decimal, reason: str, reference: str | None = None
    ) -> WalletEntry:
        entry = WalletEntry(org_id=org_id, amount=amount, reason=reason, reference=reference)
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def audit(self, org_id: int, actor_id: int, action: str) -> None:
        self.session.add(AuditLog(org_id=org_id, actor_id=actor_id, action=action))

    async def audit_page(self, org_id: int, limit: int, offset: int) -> list[AuditLog]:
        return list(
            await self.session.scalars(
                select(AuditLog)
                .where(AuditLog.org_id == org_id)
                .order_by(AuditLog.id.desc())
                .limit(limit)
                .offset(offset)
            )
        )
