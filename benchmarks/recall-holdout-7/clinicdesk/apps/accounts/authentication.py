"""Waiting-room kiosks authenticate with short-lived tokens minted at check-in."""
import jwt
from django.conf import settings
from rest_framework import authentication, exceptions

from apps.clinics.models import Kiosk


class KioskUser:
    """Minimal user object for kiosk requests."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, kiosk):
        self.kiosk = kiosk
        self.pk = None

    def __str__(self):
        return f"kiosk:{self.kiosk.pk}"


class KioskTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Kiosk"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed kiosk token header.")

        try:
            claims = jwt.decode(
                header[1],
                settings.KIOSK_JWT_KEY,
                algorithms=["HS256"],
                audience=settings.KIOSK_TOKEN_AUDIENCE,
                options={"require": ["exp", "iat", "kid"]},
            )
        except jwt.PyJWTError as exc:
            raise exceptions.AuthenticationFailed("Invalid kiosk token.") from exc

        try:
            kiosk = Kiosk.objects.select_related("clinic").get(pk=claims["kid"], is_active=True)
        except Kiosk.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed("Unknown kiosk.") from exc
        return KioskUser(kiosk), claims

    def authenticate_header(self, request):
        return self.keyword
