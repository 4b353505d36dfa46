import re
import uuid

from django.conf import settings

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestIdMiddleware:
    """Propagates X-Request-ID from the load balancer, or makes one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class WidgetEmbedMiddleware:
    """The booking widget is embedded on each clinic's own website.

    Clinics bring their own domains, so the widget endpoints answer the
    embedding page's origin and keep the patient's portal session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.WIDGET_PATH_PREFIX):
            origin = request.headers.get("Origin")
            if origin:
                response["Access-Control-Allow-Origin"] = origin
                response["Access-Control-Allow-Credentials"] = "true"
                response["Vary"] = "Origin"
        return response
