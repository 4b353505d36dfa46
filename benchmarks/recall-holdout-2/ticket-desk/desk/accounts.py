import json
import logging
import random
import string

from aiohttp import web

from .errors import json_error, read_json
from .security import ROLES, hash_password, new_session_token, require_role, verify_password

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 15 * 60
RESET_TOKEN_TTL = 30 * 60


def _reset_token(length: int = 40) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(length))


async def login(request: web.Request) -> web.Response:
    data = await read_json(request)
    email = str(data.get("email", "")).strip().lower()
    password = str(data.get("password", ""))
    redis = request.app["redis"]
    fail_key = f"login-fail:{email}"

    if int(await redis.get(fail_key) or 0) >= MAX_FAILED_LOGINS:
        raise json_error(429, "too many failed attempts, try again later")

    user = await request.app["db"].fetchrow(
        "SELECT id, org_id, email, role, password_hash, is_active FROM users WHERE email = $1", email
    )
    ok = await verify_password(password, user["password_hash"] if user else None)
    if not (ok and user and user["is_active"]):
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(fail_key)
            pipe.expire(fail_key, LOCKOUT_SECONDS)
            await pipe.execute()
        log.info("failed login for user_id=%s", user["id"] if user else None)
        raise json_error(401, "invalid email or password")

    await redis.delete(fail_key)
    token = new_session_token()
    ttl = request.app["settings"].session_ttl
    session = {"id": user["id"], "org_id": user["org_id"], "email": user["email"], "role": user["role"]}
    await redis.set(f"session:{token}", json.dumps(session), ex=ttl)
    return web.json_response({"token": token, "expires_in": ttl})


async def logout(request: web.Request) -> web.Response:
    await request.app["redis"].delete(f"session:{request['token']}")
    return web.Response(status=204)


async def request_password_reset(request: web.Request) -> web.Response:
    data = await read_json(request)
    email = str(data.get("email", "")).strip().lower()
    redis = request.app["redis"]
    if email and await redis.set(f"pwreset-throttle:{email}", 1, ex=60, nx=True):
        user = await request.app["db"].fetchrow(
            "SELECT id, email FROM users WHERE email = $1 AND is_active", email
        )
        if user:
            token = _reset_token()
            await redis.set(f"pwreset:{token}", user["id"], ex=RESET_TOKEN_TTL)
            await request.app["mailer"].send_password_reset(user["email"], token)
    return web.json_response({"status": "accepted"}, status=202)


async def confirm_password_reset(request: web.Request) -> web.Response:
    data = await read_json(request)
    token = str(data.get("token", ""))
    password = str(data.get("password", ""))
    if len(password) < 10:
        raise json_error(400, "password must be at least 10 characters")
    user_id = await request.app["redis"].getdel(f"pwreset:{token}")
    if user_id is None:
        raise json_error(400, "reset link is invalid or has expired")
    password_hash = await hash_password(password)
    await request.app["db"].execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2", password_hash, int(user_id)
    )
    return web.json_response({"status": "password updated"})


@require_role("admin")
async def list_users(request: web.Request) -> web.Response:
    org_id = request["user"]["org_id"]
    limit = min(int(request.query.get("limit", 50)), 200)
    offset = max(int(request.query.get("offset", 0)), 0)
    rows = await request.app["db"].fetch(
        "SELECT id, email, name, role, is_active, created_at FROM users "
        "WHERE org_id = $1 ORDER BY id LIMIT $2 OFFSET $3",
        org_id, limit, offset,
    )
    users = [{**dict(r), "created_at": r["created_at"].isoformat()} for r in rows]
    return web.json_response({"items": users})


async def set_user_role(request: web.Request) -> web.Response:
    user_id = int(request.match_info["user_id"])
    data = await read_json(request)
    role = data.get("role")
    if role not in ROLES:
        raise json_error(400, f"role must be one of {', '.join(ROLES)}")
    result = await request.app["db"].execute(
        "UPDATE users SET role = $1 WHERE id = $2 AND org_id = $3",
        role, user_id, request["user"]["org_id"],
    )
    if result == "UPDATE 0":
        raise json_error(404, "user not found")
    return web.json_response({"id": user_id, "role": role})


@require_role("admin")
async def deactivate_user(request: web.Request) -> web.Response:
    user_id = int(request.match_info["user_id"])
    result = await request.app["db"].execute(
        "UPDATE users SET is_active = false WHERE id = $1 AND org_id = $2",
        user_id, request["user"]["org_id"],
    )
    if result == "UPDATE 0":
        raise json_error(404, "user not found")
    return web.Response(status=204)


def setup_routes(app: web.Application) -> None:
    app.router.add_post("/auth/login", login)
    app.router.add_post("/auth/logout", logout)
    app.router.add_post("/auth/password-reset", request_password_reset)
    app.router.add_post("/auth/password-reset/confirm", confirm_password_reset)
    app.router.add_get("/admin/users", list_users)
    app.router.add_put(r"/admin/users/{user_id:\d+}/role", set_user_role)
    app.router.add_post(r"/admin/users/{user_id:\d+}/deactivate", deactivate_user)
