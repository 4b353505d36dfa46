import logging
import traceback

from django.http import JsonResponse

from .models import Membership

log = logging.getLogger(__name__)


class ActiveOrganizationMiddleware:
    """Attach the organization the user is currently acting for (chosen on the dashboard)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        if request.user.is_authenticated:
            org_id = request.session.get("active_org_id")
            membership = (
                Membership.objects.select_related("organization")
                .filter(user=request.user, organization_id=org_id)
                .first()
                if org_id
                else Membership.objects.select_related("organization").filter(user=request.user).first()
            )
            if membership:
                request.organization = membership.organization
        return self.get_response(request)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        log.exception("api error on %s", request.path)
        return JsonResponse(
            {
                "error": exception.__class__.__name__,
                "detail": str(exception),
                "trace": traceback.format_exc().splitlines(),
            },
            status=500,
        )
