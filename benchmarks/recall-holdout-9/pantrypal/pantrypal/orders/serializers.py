def money(value) -> str:
    return f"{value:.2f}"


def order_summary(order) -> dict:
    return {
        "id": order.id,
        "store_id": order.store_id,
        "status": order.status,
        "total": money(order.total),
        "created_at": order.created_at.isoformat(),
    }


def order_lines(order) -> list[dict]:
    lines = []
    for item in order.items:
        lines.append(
            {
                "product_id": item.product_id,
                "name": item.product.name,
                "sku": item.product.sku,
                "quantity": item.quantity,
                "unit_price": money(item.unit_price),
            }
        )
    return lines


def order_detail(order) -> dict:
    data = order_summary(order)
    data.update(
        subtotal=money(order.subtotal),
        delivery_fee=money(order.delivery_fee),
        credit_applied=money(order.credit_applied),
        delivery_address=order.delivery_address,
        notes=order.notes,
        lines=order_lines(order),
    )
    return data


def staff_order_row(order) -> dict:
    data = order_detail(order)
    data["customer"] = {"name": order.customer.full_name, "phone": order.customer.phone}
    return data
