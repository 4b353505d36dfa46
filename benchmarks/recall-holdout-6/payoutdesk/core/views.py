from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.http import JsonResponse
from django.views import View

from core.http import BadRequest, error


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "degraded"}, status=503)
    return JsonResponse({"status": "ok"})


class JsonView(View):
    """Base for the API views: maps our request errors onto JSON responses."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except BadRequest as exc:
            return error(str(exc), exc.status)
        except ObjectDoesNotExist:
            return error("not_found", 404)
