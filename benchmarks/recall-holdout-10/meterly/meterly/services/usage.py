import logging

from fastapi import HTTPException, status
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.repositories.usage import UsageRepository
from meterly.schemas import UsageBatchIn

log = logging.getLogger(__name__)


class UsageService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = UsageRepository(session)

    async def ingest(self, org_id: int, batch: UsageBatchIn) -> dict:
        accepted = 0
        duplicates = 0
        unknown: list[str] = []
        for event in batch.events:
            meter = await self.repo.get_meter(org_id, event.meter)
            if meter is None:
                unknown.append(event.meter)
                continue
            if await self.repo.insert_event(org_id, meter.id, event):
                accepted += 1
            else:
                duplicates += 1
        await self.session.commit()
        log.info("ingested usage", extra={"org_id": org_id, "accepted": accepted})
        return {"accepted": accepted, "duplicates": duplicates, "unknown_meters": sorted(set(unknown))}

    async def validate_meters(self, org_id: int, batch: UsageBatchIn) -> None:
        keys = {e.meter for e in batch.events}
        known = await self.repo.meters_by_keys(org_id, keys)
        missing = keys - known.keys()
        if missing:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, f"unknown meters: {sorted(missing)}")
