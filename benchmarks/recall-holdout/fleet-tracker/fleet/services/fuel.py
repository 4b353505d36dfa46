import logging

from fastapi import HTTPException, status

from ..models import FuelTransaction
from ..repositories import FuelRepository, VehicleRepository
from ..schemas import FuelTransactionIn

log = logging.getLogger(__name__)


class FuelService:
    def __init__(self, fuel: FuelRepository, vehicles: VehicleRepository) -> None:
        self.fuel = fuel
        self.vehicles = vehicles

    async def ingest(self, data: FuelTransactionIn) -> FuelTransaction:
        vehicle = await self.vehicles.by_fuel_card(data.card_ref)
        if vehicle is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "unknown fuel card")
        tx = FuelTransaction(
            vehicle_id=vehicle.id,
            provider_ref=data.provider_ref,
            litres=data.litres,
            amount=data.amount,
            currency=data.currency.upper(),
            occurred_at=data.occurred_at,
        )
        tx = await self.fuel.add(tx)
        log.info("fuel tx %s: %s %s for vehicle %s", tx.provider_ref, tx.amount, tx.currency, vehicle.id)
        return tx
