import json

from aiohttp import web

_STATUS = {
    400: web.HTTPBadRequest,
    401: web.HTTPUnauthorized,
    403: web.HTTPForbidden,
    404: web.HTTPNotFound,
    409: web.HTTPConflict,
    413: web.HTTPRequestEntityTooLarge,
    422: web.HTTPUnprocessableEntity,
    429: web.HTTPTooManyRequests,
    502: web.HTTPBadGateway,
}


def json_error(status: int, message: str, **extra) -> web.HTTPException:
    payload = {"error": message, **extra}
    exc_cls = _STATUS[status]
    if exc_cls is web.HTTPRequestEntityTooLarge:
        return exc_cls(max_size=extra.get("max_size", 0), actual_size=extra.get("actual_size", 0),
                       text=json.dumps(payload), content_type="application/json")
    return exc_cls(text=json.dumps(payload), content_type="application/json")


async def read_json(request: web.Request) -> dict:
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise json_error(400, "request body must be valid JSON")
    if not isinstance(data, dict):
        raise json_error(400, "request body must be a JSON object")
    return data
