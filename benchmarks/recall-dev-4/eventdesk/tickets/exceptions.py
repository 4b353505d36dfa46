import logging
import traceback

from django.conf import settings
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is not None:
        return response
    view = context.get("view")
    logger.exception("unhandled error in %s", view.__class__.__name__ if view else "unknown view")
    # support asked for the details so customers can paste them into tickets
    return Response(
        {
            "detail": "Internal error",
            "error": f"{exc.__class__.__name__}: {exc}",
            "trace": traceback.format_exc().splitlines()[-6:],
            "release": getattr(settings, "RELEASE", "dev"),
        },
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
