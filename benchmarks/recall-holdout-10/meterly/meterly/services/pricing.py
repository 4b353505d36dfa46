from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

PLAN_DISCOUNTS = {
    "free": Decimal("0"),
    "growth": Decimal("0.05"),
    "enterprise": Decimal("0.12"),
}


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return to_cents(quantity * unit_price)


def apply_plan_discount(subtotal: Decimal, plan: str) -> Decimal:
    discount = PLAN_DISCOUNTS.get(plan, Decimal("0"))
    return to_cents(subtotal * (Decimal("1") - discount))


def minor_units(amount: Decimal) -> int:
    return int(to_cents(amount) * 100)
