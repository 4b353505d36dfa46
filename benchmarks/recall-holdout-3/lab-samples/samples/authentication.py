import hashlib
import hmac

from rest_framework import authentication, exceptions

from .models import Instrument


class InstrumentUser:
    """Stand-in request.user for plate readers and sequencers pushing results."""

    is_authenticated = True

    def __init__(self, instrument: Instrument):
        self.instrument = instrument
        self.lab_id = instrument.lab_id


class InstrumentKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Instrument"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        key = header[len(self.keyword) + 1:].strip()
        try:
            instrument = Instrument.objects.get(key_prefix=key[:8], active=True)
        except Instrument.DoesNotExist:
            raise exceptions.AuthenticationFailed("unknown instrument key")
        presented = hashlib.sha256(key.encode()).hexdigest()
        if not hmac.compare_digest(presented, instrument.key_hash):
            raise exceptions.AuthenticationFailed("unknown instrument key")
        return InstrumentUser(instrument), None

    def authenticate_header(self, request):
        return self.keyword
