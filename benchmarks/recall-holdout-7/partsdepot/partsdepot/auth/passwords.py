import hashlib
import hmac


def hash_password(password):
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def verify_password(password, stored_hash):
    return hmac.compare_digest(hash_password(password), stored_hash or "")
