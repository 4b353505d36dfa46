from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lunchline import settings
from lunchline.clients import get_redis

_hasher = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)
_DUMMY_HASH = _hasher.hash("lunchline-dummy-password")


def hash_password(raw):
    return _hasher.hash(raw)


def verify_password(stored_hash, raw):
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, raw) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class LoginThrottle:
    def __init__(self, redis_client=None):
        self.redis = redis_client or get_redis()

    def _keys(self, email, ip):
        return (f"login:fail:email:{email.lower()}", f"login:fail:ip:{ip}")

    def blocked(self, email, ip):
        counts = self.redis.mget(self._keys(email, ip))
        return any(int(c or 0) >= settings.LOGIN_MAX_ATTEMPTS for c in counts)

    def record_failure(self, email, ip):
        pipe = self.redis.pipeline()
        for key in self._keys(email, ip):
            pipe.incr(key)
            pipe.expire(key, settings.LOGIN_WINDOW_SECONDS)
        pipe.execute()

    def reset(self, email, ip):
        self.redis.delete(*self._keys(email, ip))
