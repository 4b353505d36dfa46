from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FARE_CLASSES = ("standard", "reserved", "cabin")
SEASONS = ("summer", "winter")

INFANT_MAX_AGE = 3
CHILD_MAX_AGE = 15
CHILD_DISCOUNT = 0.5
VEHICLE_STANDARD_LENGTH_M = 5.0

CANCELLATION_BANDS = (
    # (days before departure, share of fare refunded)
    (30, Decimal("1.00")),
    (7, Decimal("0.50")),
    (2, Decimal("0.25")),
)


def season_for(day: date) -> str:
    return "summer" if 4 <= day.month <= 10 else "winter"


def _age_on(dob: date, day: date) -> int:
    years = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        years -= 1
    return years


def quote_total(fares: dict, passengers: list[dict], travel_day: date,
                vehicle_length_m: float | None = None) -> float:
    total = 0.0
    for passenger in passengers:
        fare = float(fares[passenger["fare_class"]]["base_fare"])
        age = _age_on(passenger["date_of_birth"], travel_day)
        if age <= INFANT_MAX_AGE:
            fare = 0.0
        elif age <= CHILD_MAX_AGE:
            fare = fare * CHILD_DISCOUNT
        total += fare

    if vehicle_length_m:
        per_vehicle = float(fares["standard"]["vehicle_fare"])
        total += per_vehicle * max(1.0, vehicle_length_m / VEHICLE_STANDARD_LENGTH_M)

    return round(total, 2)


def refund_amount(paid: Decimal, departs_on: date, today: date) -> Decimal:
    days_left = (departs_on - today).days
    for min_days, share in CANCELLATION_BANDS:
        if days_left >= min_days:
            return (paid * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Decimal("0.00")


def price_table(fare_rows_by_season: dict) -> dict:
    table = {}
    for season, rows in fare_rows_by_season.items():
        by_class = {r["fare_class"]: r for r in rows}
        table[season] = {
            fare_class: str(by_class[fare_class]["base_fare"])
            for fare_class in FARE_CLASSES
            if fare_class in by_class
        }
    return table
