"""One-time codes for the patient portal (sent by SMS)."""
import hashlib
import hmac
import random
import string

from django.conf import settings
from django.core.cache import cache

CODE_LENGTH = 6


def generate_code():
    return "".join(random.choices(string.digits, k=CODE_LENGTH))


def _digest(patient_id, code):
    return hmac.new(settings.SECRET_KEY.encode(), f"{patient_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _cache_key(patient_id):
    return f"portal-otp:{patient_id}"


def store_code(patient_id, code):
    cache.set(_cache_key(patient_id), _digest(patient_id, code), timeout=settings.PORTAL_OTP_TTL_SECONDS)


def check_code(patient_id, code):
    stored = cache.get(_cache_key(patient_id))
    if not stored:
        return False
    if hmac.compare_digest(stored, _digest(patient_id, code)):
        cache.delete(_cache_key(patient_id))
        return True
    return False
