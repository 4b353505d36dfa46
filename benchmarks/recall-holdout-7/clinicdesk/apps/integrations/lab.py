"""Client for the reference lab's order API."""
import logging

from django.conf import settings

from common.http import http

logger = logging.getLogger(__name__)


class LabApiError(Exception):
    pass


def _headers():
    return {"Authorization": f"Token {settings.LAB_API_TOKEN}", "Accept": "application/json"}


def fetch_order_status(order_ref):
    response = http.get(f"{settings.LAB_API_BASE_URL}/orders/{order_ref}", headers=_headers())
    if response.status_code == 404:
        return None
    if response.status_code >= 500:
        raise ConnectionError(f"lab API unavailable ({response.status_code})")
    if response.status_code >= 400:
        raise LabApiError(f"lab API rejected request ({response.status_code})")
    return response.json()

