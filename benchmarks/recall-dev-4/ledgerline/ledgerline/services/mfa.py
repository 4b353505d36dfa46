import base64
import hashlib
import hmac
import struct
import time


def _hotp(secret: bytes, counter: int) -> str:
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def totp_matches(secret_b32: str | None, code: str, window: int = 1) -> bool:
    if not secret_b32:
        return False
    secret = base64.b32decode(secret_b32, casefold=True)
    counter = int(time.time()) // 30
    return any(hmac.compare_digest(_hotp(secret, counter + delta), code) for delta in range(-window, window + 1))
