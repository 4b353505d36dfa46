import hashlib

from django.core.cache import cache
from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.permissions import IsClinicAdmin
from common.utils import parse_date_param

from . import queries

REPORT_CACHE_SECONDS = 600


def _cache_key(prefix, *parts):
    raw = ":".join(str(p) for p in parts)
    return f"report:{prefix}:{hashlib.md5(raw.encode()).hexdigest()}"


class RevenueReportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]
    throttle_scope = "reports"

    def get(self, request):
        clinic_id = request.user.staff_profile.clinic_id
        today = timezone.localdate()
        start = parse_date_param(request.query_params.get("from"), default=today.replace(day=1))
        end = parse_date_param(request.query_params.get("to"), default=today)
        sort_key = request.query_params.get("sort", "date")

        key = _cache_key("revenue", clinic_id, start, end, sort_key)
        rows = cache.get(key)
        if rows is None:
            rows = queries.revenue_by_practitioner(clinic_id, start, end, sort_key)
            cache.set(key, rows, REPORT_CACHE_SECONDS)
        return Response({"from": start, "to": end, "rows": rows})


class NoShowReportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]
    throttle_scope = "reports"

    def get(self, request):
        clinic_id = request.user.staff_profile.clinic_id
        try:
            min_no_shows = max(int(request.query_params.get("min", 2)), 1)
        except ValueError:
            min_no_shows = 2
        rows = queries.no_show_patients(clinic_id, request.query_params.get("name"), min_no_shows)
        return Response({"rows": rows})

