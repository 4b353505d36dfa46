import logging

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model

log = logging.getLogger(__name__)

EMBED_PARAM = "embed_token"
EMBED_PATH_PREFIX = "/api/courses/"


class EmbedTokenMiddleware:
    """Lets a learner's company LMS embed the lesson player in an iframe.

    Third-party iframes do not get our session cookie, so the player URL carries
    an embed token issued by EnrollmentViewSet.embed_token. Only read requests
    under the course API are authenticated this way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.GET.get(EMBED_PARAM)
        if (
            token
            and request.method == "GET"
            and request.path.startswith(EMBED_PATH_PREFIX)
            and not request.user.is_authenticated
        ):
            user, course_id = self._resolve(token)
            if user is not None:
                request.user = user
                request.embed_course_id = course_id
        return self.get_response(request)

    @staticmethod
    def _resolve(token):
        try:
            payload = jwt.decode(token, settings.EMBED_TOKEN_SECRET, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            log.info("rejected embed token")
            return None, None
        user = get_user_model().objects.filter(pk=payload.get("sub"), is_active=True).first()
        return user, payload.get("course")
