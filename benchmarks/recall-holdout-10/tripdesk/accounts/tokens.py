import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from accounts.models import PasswordResetToken, User

RESET_TTL = timedelta(minutes=30)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_reset_token(user: User) -> str:
    raw = secrets.token_urlsafe(32)
    PasswordResetToken.objects.create(user=user, token_hash=_digest(raw))
    return raw


def consume_reset_token(raw: str) -> User | None:
    cutoff = timezone.now() - RESET_TTL
    updated = PasswordResetToken.objects.filter(
        token_hash=_digest(raw), used=False, created_at__gte=cutoff
    ).update(used=True)
    if updated != 1:
        return None
    return PasswordResetToken.objects.select_related("user").get(token_hash=_digest(raw)).user
