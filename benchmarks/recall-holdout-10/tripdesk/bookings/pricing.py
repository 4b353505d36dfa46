from decimal import ROUND_HALF_UP, Decimal

from bookings.models import Departure, PriceRule

CENT = Decimal("0.01")


def _markup_rule(departure: Departure, agency_id: int | None) -> PriceRule | None:
    rules = PriceRule.objects.filter(supplier_id=departure.supplier_id, active=True)
    if agency_id is not None:
        agency_rule = rules.filter(agency_id=agency_id).first()
        if agency_rule is not None:
            return agency_rule
    return rules.filter(agency__isnull=True).first()


def price_for(departure: Departure, passengers: int, agency_id: int | None) -> Decimal:
    rule = _markup_rule(departure, agency_id)
    markup = float(rule.percent) / 100 if rule else 0.0
    total = float(departure.base_fare) * passengers * (1 + markup)
    return Decimal(total).quantize(CENT, rounding=ROUND_HALF_UP)


def agency_commission(total: Decimal, rate: Decimal) -> Decimal:
    return (total * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def refund_amount(total: Decimal, departs_in_hours: float) -> Decimal:
    if departs_in_hours >= 72:
        fraction = Decimal("1.00")
    elif departs_in_hours >= 24:
        fraction = Decimal("0.50")
    else:
        fraction = Decimal("0.00")
    return (total * fraction).quantize(CENT, rounding=ROUND_HALF_UP)
