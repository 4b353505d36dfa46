"""Hand-written dict builders for the JSON endpoints."""


def money(value):
    return str(value) if value is not None else None


def product_to_dict(product):
    return {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "warehouse": product.warehouse.code,
        "quantity": product.quantity,
        "reserved": product.reserved,
        "available": product.available,
        "unit_price": money(product.unit_price),
        "is_active": product.is_active,
    }


def order_to_dict(order, with_lines=True):
    data = {
        "id": order.pk,
        "reference": order.reference,
        "customer": order.customer_name,
        "status": order.status,
        "total": money(order.total),
        "created_at": order.created_at.isoformat(),
    }
    if with_lines:
        data["lines"] = [
            {
                "sku": line.product.sku,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price),
            }
            for line in order.lines.all()
        ]
    return data


def movement_row(movement):
    return [
        movement.created_at.isoformat(),
        movement.product.sku,
        movement.delta,
        movement.reason,
        movement.note,
    ]
