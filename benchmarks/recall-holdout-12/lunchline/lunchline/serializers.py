from lunchline import settings


def money(value):
    return None if value is None else f"{value:.2f}"


def user_out(user):
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role.value,
        "school_id": user.school_id,
        "notify_sms": user.notify_sms,
    }


def student_out(student):
    return {
        "id": student.id,
        "school_id": student.school_id,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "year_group": student.year_group,
        "balance": money(student.balance),
        "allergies": student.allergies,
        "auto_topup_amount": money(student.auto_topup_amount),
        "auto_topup_threshold": money(student.auto_topup_threshold),
    }


def order_out(order):
    return {
        "id": order.id,
        "student_id": order.student_id,
        "service_date": order.service_date.isoformat(),
        "status": order.status,
        "total": money(order.total),
        "lines": [
            {
                "menu_item_id": line.menu_item_id,
                "name": line.menu_item.name,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price),
            }
            for line in order.lines
        ],
    }


def ledger_out(entry):
    return {
        "id": entry.id,
        "amount": money(entry.amount),
        "kind": entry.kind,
        "reference": entry.reference,
        "created_at": entry.created_at.isoformat(),
    }


def clamp(limit=None, offset=None):
    limit = settings.DEFAULT_PAGE_SIZE if limit is None else max(1, min(int(limit), settings.MAX_PAGE_SIZE))
    offset = 0 if offset is None else max(0, int(offset))
    return limit, offset


def page(items, limit, offset):
    next_offset = offset + limit if len(items) == limit else None
    return {"items": items, "limit": limit, "offset": offset, "next_offset": next_offset}
