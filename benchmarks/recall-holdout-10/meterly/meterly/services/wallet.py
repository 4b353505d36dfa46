import logging
import uuid
from decimal import Decimal

from fastapi import HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.models import Organization, Topup
from meterly.repositories.orgs import OrgRepository
from meterly.services.payments import PayBridgeClient

log = logging.getLogger(__name__)


class WalletService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orgs = OrgRepository(session)

    async def reserve(self, org_id: int, amount: Decimal, job_ref: str) -> Decimal:
        org = await self.session.get(Organization, org_id)
        if org is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "organization not found")
        if org.credit_balance < amount:
            raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, "insufficient credit")
        org.credit_balance = org.credit_balance - amount
        await self.orgs.add_entry(org_id, -amount, "reserve", reference=job_ref)
        await self.session.commit()
        return org.credit_balance

    async def spend(self, org_id: int, amount: Decimal, reference: str) -> None:
        if not await self.orgs.debit_if_covered(org_id, amount):
            raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, "insufficient credit")
        await self.orgs.add_entry(org_id, -amount, "spend", reference=reference)
        await self.session.commit()

    async def grant(self, org_id: int, amount: Decimal, reason: str, actor_id: int) -> None:
        await self.orgs.credit(org_id, amount)
        await self.orgs.add_entry(org_id, amount, f"grant:{reason}")
        await self.orgs.audit(org_id, actor_id, "credit.grant")
        await self.session.commit()

    async def transfer(self, from_org: int, to_org: int, amount: Decimal) -> None:
        if not await self.orgs.debit_if_covered(from_org, amount):
            raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, "insufficient credit")
        await self.orgs.add_entry(from_org, -amount, f"transfer:{to_org}")
        await self.session.commit()
        await self.orgs.credit(to_org, amount)
        await self.orgs.add_entry(to_org, amount, f"transfer:{from_org}")
        await self.session.commit()

    async def top_up(self, client: PayBridgeClient, org_id: int, amount: Decimal, method: str) -> Topup:
        topup = Topup(org_id=org_id, amount=float(amount), status="pending")
        self.session.add(topup)
        await self.session.flush()
        charge = await client.charge(amount, "USD", method, description=f"Credit top-up {uuid.uuid4().hex[:8]}")
        topup.provider_charge_id = charge["id"]
        topup.status = "succeeded"
        await self.orgs.credit(org_id, Decimal(str(topup.amount)))
        await self.orgs.add_entry(org_id, amount, "topup", reference=charge["id"])
        await self.session.commit()
        return topup
