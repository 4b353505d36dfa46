import falcon

from stagepass.cache import build_redis
from stagepass.settings import get_settings


def require_role(*roles):
    allowed = frozenset(roles)

    def hook(req, resp, resource, params):
        user = getattr(req.context, "user", None)
        if user is None or user.role not in allowed:
            raise falcon.HTTPForbidden(title="Forbidden", description="Insufficient role")

    return hook


def require_partner_key(req, resp, resource, params):
    supplied = req.get_header("X-Partner-Key") or ""
    if supplied != get_settings().partner_api_key:
        raise falcon.HTTPUnauthorized(title="Invalid partner key")
    req.context.partner = True


def require_idempotency_key(req, resp, resource, params):
    key = req.get_header("Idempotency-Key")
    if not key or len(key) > 64:
        raise falcon.HTTPBadRequest(title="Idempotency-Key header required (max 64 chars)")
    req.context.idempotency_key = key


def rate_limited(bucket, window=60):
    def hook(req, resp, resource, params):
        settings = get_settings()
        client = build_redis(settings)
        key = f"rl:{bucket}:{req.remote_addr}"
        count = client.incr(key)
        if count == 1:
            client.expire(key, window)
        if count > getattr(settings, f"{bucket}_rate_limit"):
            raise falcon.HTTPTooManyRequests(title="Slow down", retry_after=window)

    return hook
