import hmac
import logging
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import User

log = logging.getLogger(__name__)

PIN_RESET_TTL = timedelta(minutes=15)


def start_pin_reset(session: Session, email: str) -> str | None:
    user = session.scalars(select(User).where(User.email == email)).one_or_none()
    if user is None:
        return None
    code = "".join(str(random.randint(0, 9)) for _ in range(6))
    user.pin_reset_code = code
    user.pin_reset_expires_at = datetime.now(timezone.utc) + PIN_RESET_TTL
    session.commit()
    return code


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def confirm_pin_reset(session: Session, email: str, code: str, new_password_hash: str) -> bool:
    user = find_user_by_email(session, email)
    if user is None or not user.pin_reset_code or user.pin_reset_expires_at is None:
        return False
    if user.pin_reset_expires_at < datetime.now(timezone.utc):
        return False
    if not hmac.compare_digest(user.pin_reset_code, code):
        return False
    user.password_hash = new_password_hash
    user.pin_reset_code = None
    user.pin_reset_expires_at = None
    session.commit()
    log.info("pin reset completed for user %s", user.id)
    return True
