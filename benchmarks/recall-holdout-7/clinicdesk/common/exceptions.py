import logging

from django.db import IntegrityError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class ServiceError(Exception):
    """Raised by the service layer for business-rule violations."""

    status_code = status.HTTP_409_CONFLICT
    code = "conflict"

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class SlotUnavailable(ServiceError):
    code = "slot_unavailable"


class PaymentFailed(ServiceError):
    status_code = status.HTTP_402_PAYMENT_REQUIRED
    code = "payment_failed"


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None:
        return response

    request = context.get("request")
    request_id = getattr(request, "request_id", None)

    if isinstance(exc, ServiceError):
        return Response({"code": exc.code, "detail": exc.message}, status=exc.status_code)
    if isinstance(exc, IntegrityError):
        logger.warning("integrity error request_id=%s", request_id, exc_info=exc)
        return Response({"code": "conflict", "detail": "Conflicting update."}, status=409)

    logger.exception("unhandled error request_id=%s", request_id, exc_info=exc)
    return Response(
        {"code": "server_error", "detail": "Internal error.", "request_id": request_id},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
