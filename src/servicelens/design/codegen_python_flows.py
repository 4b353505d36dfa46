"""FastAPI bodies of the flows that are more than one query: login, refresh-token
rotation, an idempotent payment with a provider call, and the safe-redirect helper."""
from __future__ import annotations

SAFE_URL = '''

BLOCKED_HOSTS = frozenset(h for h in os.environ.get("BLOCKED_HOSTS", "").split(",") if h)


def is_safe_url(url: str) -> bool:
    """A shortener redirects anywhere by design, but never to a non-web scheme
    (javascript:, data:) or to a host flagged as malicious."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.hostname not in BLOCKED_HOSTS'''



LOGIN_RATE_LIMIT = '''

LOGIN_ATTEMPTS_PER_WINDOW = int(os.environ.get("LOGIN_ATTEMPTS_PER_WINDOW", "10"))
LOGIN_WINDOW_SECONDS = 300


async def enforce_login_rate_limit(request: Request, email: str) -> None:
    """Fixed-window attempt counters per client IP and per account, shared by every instance
    through Redis: they cap guessing and how much hashing CPU an attacker can make us spend."""
    client_ip = request.client.host if request.client else "unknown"
    redis = request.app.state.redis
    for key in (f"login:ip:{client_ip}", f"login:acct:{email}"):
        attempts = await redis.incr(key)
        if attempts == 1:
            await redis.expire(key, LOGIN_WINDOW_SECONDS)
        if attempts > LOGIN_ATTEMPTS_PER_WINDOW:
            raise Problem(429, "Too many login attempts", f"retry after {LOGIN_WINDOW_SECONDS} seconds")'''


def login_body(const: str) -> str:
    return f'''    await enforce_login_rate_limit(request, body.email.lower())
    async with request.app.state.db.acquire() as conn:
        row = await conn.fetchrow({const}, body.email.lower())
    stored = row["password_hash"] if row else DUMMY_HASH
    try:
        await asyncio.to_thread(HASHER.verify, stored, body.password)  # ~25 ms CPU, off the event loop
    except VerificationError:
        raise Problem(401, "Invalid email or password") from None
    if row is None:
        raise Problem(401, "Invalid email or password")
    refresh = secrets.token_urlsafe(48)
    async with request.app.state.db.acquire() as conn:
        await conn.execute(SQL_INSERT_REFRESH, uuid.uuid4(), row["id"], uuid.uuid4(),
                           hashlib.sha256(refresh.encode()).hexdigest(), datetime.now(timezone.utc) + REFRESH_TTL)
    return token_pair(row["id"], refresh)
'''


def refresh_body() -> str:
    return '''    presented = hashlib.sha256(body.refresh_token.encode()).hexdigest()
    now = datetime.now(timezone.utc)
    reused = False
    async with request.app.state.db.acquire() as conn:
        async with conn.transaction():
            row = await conn.fetchrow(SQL_REFRESH_LOOKUP, presented)
            if row is None or row["expires_at"] <= now:
                raise Problem(401, "Invalid refresh token")
            if row["revoked_at"] is not None:
                # A rotated token came back: it was stolen or replayed. Revoke the whole family
                # (committed before we answer, so the attacker's copy dies too).
                await conn.execute(SQL_REVOKE_FAMILY, row["family_id"])
                reused = True
            else:
                refresh = secrets.token_urlsafe(48)
                await conn.execute(SQL_REVOKE_ONE, row["id"])
                await conn.execute(SQL_INSERT_REFRESH, uuid.uuid4(), row["user_id"], row["family_id"],
                                   hashlib.sha256(refresh.encode()).hexdigest(), now + REFRESH_TTL)
    if reused:
        raise Problem(401, "Refresh token reuse detected; please sign in again")
    return token_pair(row["user_id"], refresh)
'''


def charge_body(const: str, args: str) -> str:
    return f'''    async with request.app.state.db.acquire() as conn:
        async with conn.transaction():
            row = await conn.fetchrow({const}, {args})
            if row is None:  # the key was seen before: replay, never charge twice
                row = await conn.fetchrow(SQL_PAYMENT_BY_KEY, user_id, idempotency_key)
                if row is None or row["request_hash"] != request_hash:
                    raise Problem(422, "Idempotency-Key reused with a different request")
                return {{k: v for k, v in dict(row).items() if k != "request_hash"}}
    try:
        resp = await request.app.state.http.post(
            os.environ["PROVIDER_URL"], json={{"amount": body.amount_minor, "currency": body.currency,
                                               "payment_method": body.payment_method}},
            headers={{"Idempotency-Key": f"{{user_id}}:{{idempotency_key}}"}})
        resp.raise_for_status()
        status, provider_ref = "succeeded", str(resp.json().get("id", ""))
    except httpx.TimeoutException:
        status, provider_ref = "unknown", None  # a reconciliation worker asks the provider later
    except httpx.HTTPError:
        status, provider_ref = "failed", None
    async with request.app.state.db.acquire() as conn:
        async with conn.transaction():
            row = await conn.fetchrow(SQL_SETTLE_PAYMENT, status, provider_ref, row["id"])
            await conn.execute(SQL_OUTBOX, row["id"], f"payment.{{status}}", body.model_dump_json())
    return {{k: v for k, v in dict(row).items() if k != "request_hash"}}
'''
