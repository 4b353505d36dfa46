import logging
import random
import string
from datetime import datetime, timedelta, timezone

import jwt

from lunchline.auth.passwords import LoginThrottle, hash_password, verify_password
from lunchline.auth.tokens import decode_reset_token, issue_access_token, issue_reset_token
from lunchline.clients import notify
from lunchline.db import transaction
from lunchline.models import LinkCode
from lunchline.repositories import StudentRepository, UserRepository
from lunchline.services import Conflict, NotFound, ServiceError

log = logging.getLogger(__name__)

LINK_CODE_ALPHABET = string.ascii_uppercase + string.digits


class AccountService:
    def __init__(self, session, throttle=None):
        self.session = session
        self.users = UserRepository(session)
        self.students = StudentRepository(session)
        self.throttle = throttle or LoginThrottle()

    def login(self, email, password, ip):
        if self.throttle.blocked(email, ip):
            raise ServiceError("too many attempts, try again later", code="throttled", status=429)
        user = self.users.by_email(email)
        if not verify_password(user.password_hash if user else None, password) or not user.is_active:
            self.throttle.record_failure(email, ip)
            raise ServiceError("invalid email or password", code="invalid_credentials", status=401)
        self.throttle.reset(email, ip)
        log.info("user %s signed in", user.id)
        return issue_access_token(user)

    def request_password_reset(self, email):
        user = self.users.by_email(email)
        if user is None or not user.is_active:
            return
        token = issue_reset_token(user)
        log.info("password reset issued for user %s: %s", user.id, token)
        notify.send_email(user.email, "password-reset", {"token": token, "name": user.full_name})

    def reset_password(self, token, new_password):
        try:
            claims = decode_reset_token(token)
        except jwt.InvalidTokenError:
            raise ServiceError("invalid or expired reset link", code="invalid_token")
        with transaction(self.session):
            user = self.users.get(int(claims["sub"]))
            if user is None or not user.is_active:
                raise ServiceError("invalid or expired reset link", code="invalid_token")
            user.password_hash = hash_password(new_password)

    def update_profile(self, user_id, changes):
        with transaction(self.session):
            user = self.users.get(user_id)
            return self.users.update_profile(user, changes)

    def create_link_code(self, guardian_id, student_id):
        with transaction(self.session):
            student = self.students.get_for_guardian(student_id, guardian_id)
            if student is None:
                raise NotFound("student not found")
            code = "".join(random.choices(LINK_CODE_ALPHABET, k=8))
            expires = datetime.now(timezone.utc) + timedelta(days=2)
            self.session.add(LinkCode(code=code, student_id=student.id, created_by=guardian_id, expires_at=expires))
        return code, expires

    def redeem_link_code(self, guardian_id, code):
        with transaction(self.session):
            link = self.session.get(LinkCode, code.strip().upper(), with_for_update=True)
            now = datetime.now(timezone.utc)
            if link is None or link.expires_at < now:
                raise NotFound("link code not found or expired")
            if link.used_at is not None:
                raise Conflict("link code already used")
            link.used_at = now
            self.students.add_guardian(link.student_id, guardian_id)
            return link.student_id
