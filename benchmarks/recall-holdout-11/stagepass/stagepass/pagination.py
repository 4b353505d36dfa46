import base64
import binascii

import falcon

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def encode_cursor(last_id):
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def decode_cursor(raw):
    if not raw:
        return None
    padded = raw + "=" * (-len(raw) % 4)
    try:
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise falcon.HTTPBadRequest(title="Invalid cursor")


def page_params(req, default=DEFAULT_LIMIT, maximum=MAX_LIMIT):
    limit = req.get_param_as_int("limit", min_value=1, max_value=maximum, default=default)
    after_id = decode_cursor(req.get_param("cursor"))
    return limit, after_id


def page(items, limit, key="id"):
    next_cursor = encode_cursor(items[-1][key]) if len(items) == limit else None
    return {"items": items, "next_cursor": next_cursor}
