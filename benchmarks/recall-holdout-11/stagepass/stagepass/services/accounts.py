import logging

import jwt

from stagepass.repositories import UserRepository
from stagepass.security import (hash_password, hash_token, issue_access_token, issue_refresh_token,
                                new_reset_code, read_refresh_token, verify_password)
from stagepass.services import InvalidCredentials, InvalidInput, NotFound, TooManyAttempts

log = logging.getLogger(__name__)


class AccountService:
    def __init__(self, db, redis, settings, queue):
        self.db = db
        self.redis = redis
        self.settings = settings
        self.queue = queue

    def _attempt_key(self, email, ip):
        return f"login-attempts:{ip}:{email.strip().lower()}"

    def login(self, email, password, ip):
        key = self._attempt_key(email, ip)
        if int(self.redis.get(key) or 0) >= self.settings.login_max_attempts:
            raise TooManyAttempts("Too many attempts, try again later")
        with self.db.connection() as conn:
            user = UserRepository(conn).get_for_login(email)
        valid = verify_password(user["password_hash"] if user else None, password)
        if not valid or not user["is_active"]:
            pipe = self.redis.pipeline()
            pipe.incr(key)
            pipe.expire(key, self.settings.login_window_seconds)
            pipe.execute()
            raise InvalidCredentials("Invalid e-mail or password")
        self.redis.delete(key)
        return issue_access_token(self.settings, user), issue_refresh_token(self.settings, user)

    def refresh(self, refresh_token):
        try:
            claims = read_refresh_token(self.settings, refresh_token)
        except jwt.InvalidTokenError:
            raise InvalidCredentials("Session expired")
        with self.db.connection() as conn:
            user = UserRepository(conn).get_active(int(claims["sub"]))
        if user is None:
            raise InvalidCredentials("Session expired")
        return issue_access_token(self.settings, user)

    def request_password_reset(self, email):
        from stagepass.jobs import send_reset_code

        with self.db.transaction() as conn:
            users = UserRepository(conn)
            user = users.get_for_login(email)
            if user is None or not user["is_active"]:
                return
            code = new_reset_code()
            users.save_reset_code(user["id"], hash_token(code), self.settings.reset_code_ttl)
        log.info("password reset code %s issued for user %s", code, user["id"])
        self.queue.enqueue(send_reset_code, email, code)

    def confirm_password_reset(self, email, code, new_password):
        if len(new_password) < 10:
            raise InvalidInput("Password must be at least 10 characters")
        with self.db.transaction() as conn:
            users = UserRepository(conn)
            user = users.get_for_login(email)
            accepted = user is not None and users.consume_reset_code(user["id"], hash_token(code))
            if accepted:
                users.set_password(user["id"], hash_password(new_password))
        if not accepted:
            raise InvalidCredentials("Invalid or expired code")

    def profile(self, user_id):
        with self.db.connection() as conn:
            user = UserRepository(conn).get_public(user_id)
        if user is None:
            raise NotFound("User not found")
        return user

    def update_profile(self, user_id, changes):
        if not isinstance(changes, dict) or not changes:
            raise InvalidInput("Expected a JSON object")
        with self.db.transaction() as conn:
            return UserRepository(conn).update_profile(user_id, changes)

    def change_role(self, user_id, role):
        if role not in ("buyer", "organiser", "admin"):
            raise InvalidInput("Unknown role")
        with self.db.transaction() as conn:
            row = UserRepository(conn).set_role(user_id, role)
        if row is None:
            raise NotFound("User not found")
        return row
