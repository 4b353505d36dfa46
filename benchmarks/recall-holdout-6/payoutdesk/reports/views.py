import datetime as dt

from django.http import JsonResponse

from accounts.decorators import RoleRequiredMixin
from core.http import BadRequest
from core.views import JsonView

from . import services

MAX_RANGE_DAYS = 400


def _range(request) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.GET["from"])
        end = dt.date.fromisoformat(request.GET["to"])
    except (KeyError, ValueError):
        raise BadRequest("from and to (YYYY-MM-DD) are required")
    if not start < end or (end - start).days > MAX_RANGE_DAYS:
        raise BadRequest(f"range must be 1-{MAX_RANGE_DAYS} days")
    return start, end


def _decimal_json(rows: list[dict]) -> list[dict]:
    return [{k: (str(v) if v is not None and k in ("amount", "fees") else v) for k, v in r.items()} for r in rows]


class FinanceReportMixin(RoleRequiredMixin):
    required_roles = ("finance",)


class PayoutVolumeView(FinanceReportMixin, JsonView):
    def get(self, request):
        start, end = _range(request)
        grouping = request.GET.get("group", "day")
        if grouping not in services.GROUPINGS:
            raise BadRequest(f"group must be one of {sorted(services.GROUPINGS)}")
        rows = services.payout_volume(start, end, grouping, request.GET.get("status"))
        return JsonResponse({"rows": _decimal_json(rows)})


class TopSellersView(FinanceReportMixin, JsonView):
    def get(self, request):
        start, end = _range(request)
        try:
            limit = min(int(request.GET.get("limit", 20)), 100)
        except ValueError:
            raise BadRequest("limit must be an integer")
        rows = services.top_sellers(start, end, request.GET.get("country"), limit)
        return JsonResponse({"rows": _decimal_json(rows)})


class FailureReasonsView(FinanceReportMixin, JsonView):
    def get(self, request):
        start, end = _range(request)
        return JsonResponse({"rows": services.failure_reasons(start, end)})
