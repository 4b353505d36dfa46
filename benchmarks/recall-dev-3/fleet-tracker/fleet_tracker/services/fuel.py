import logging
from decimal import Decimal

from sqlalchemy.orm import Session

from ..models import FuelPurchase
from ..repositories import FuelCardRepository
from .errors import InsufficientFunds, NotFound
from .vehicles import get_vehicle_for_org

log = logging.getLogger(__name__)


def record_purchase(session: Session, org_id: int, driver_id: int, data: dict) -> FuelPurchase:
    card = FuelCardRepository(session).for_driver(org_id, driver_id)
    if card is None:
        raise NotFound("fuel card")
    get_vehicle_for_org(session, org_id, data["vehicle_id"])
    amount: Decimal = data["amount"]
    if card.balance < amount:
        raise InsufficientFunds(f"card {card.card_last4}")
    card.balance = card.balance - amount
    purchase = FuelPurchase(
        card_id=card.id,
        receipt_no=data["receipt_no"],
        vehicle_id=data["vehicle_id"],
        station=data["station"],
        liters=data["liters"],
        total_cost=amount,
    )
    session.add(purchase)
    session.commit()
    log.info("fuel purchase %s recorded for driver %s", purchase.id, driver_id)
    return purchase


def top_up(session: Session, org_id: int, driver_id: int, amount: Decimal) -> None:
    repo = FuelCardRepository(session)
    card = repo.for_driver(org_id, driver_id)
    if card is None:
        raise NotFound("fuel card")
    repo.credit(card.id, amount)
    session.commit()
