from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class MoneyError(ValueError):
    pass


def to_money(value):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def service_fee(subtotal, rate):
    return (subtotal * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def to_minor_units(amount):
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def as_json(amount):
    return format(amount.quantize(CENT), "f")
