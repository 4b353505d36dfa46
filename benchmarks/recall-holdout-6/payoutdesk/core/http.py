"""Helpers for the JSON views."""
import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error(message: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def parse_json(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise BadRequest("body must be JSON")
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def parse_amount(raw, field: str = "amount") -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, TypeError):
        raise BadRequest(f"{field} must be a decimal string")
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:
        raise BadRequest(f"{field} must be positive with at most two decimals")
    return value


def paginate(request, queryset, serialize, per_page: int | None = None) -> dict:
    per_page = per_page or settings.PAGE_SIZE
    paginator = Paginator(queryset, per_page)
    try:
        page = paginator.page(int(request.GET.get("page", 1)))
    except (EmptyPage, ValueError):
        raise BadRequest("no such page", status=404)
    return {
        "results": [serialize(obj) for obj in page.object_list],
        "page": page.number,
        "pages": paginator.num_pages,
        "count": paginator.count,
    }


def money(value: Decimal) -> str:
    return f"{value:.2f}"
