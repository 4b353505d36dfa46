import logging
import time
import uuid
from dataclasses import dataclass

import falcon
import jwt

from stagepass.security import decode_access_token

log = logging.getLogger("stagepass.http")

REDACTED_HEADERS = {"AUTHORIZATION", "COOKIE", "X-PARTNER-KEY", "PAYGATE-SIGNATURE"}


@dataclass(frozen=True)
class Principal:
    id: int
    role: str


class RequestIdMiddleware:
    def process_request(self, req, resp):
        req.context.request_id = req.get_header("X-Request-Id") or uuid.uuid4().hex
        req.context.started = time.monotonic()

    def process_response(self, req, resp, resource, req_succeeded):
        resp.set_header("X-Request-Id", req.context.request_id)


class AccessLogMiddleware:
    def process_response(self, req, resp, resource, req_succeeded):
        elapsed_ms = (time.monotonic() - req.context.started) * 1000
        headers = {name: ("***" if name in REDACTED_HEADERS else value) for name, value in req.headers.items()}
        log.info("%s %s -> %s in %.1fms", req.method, req.path, resp.status, elapsed_ms,
                 extra={"request_id": req.context.request_id, "headers": headers})


class BodyLimitMiddleware:
    def __init__(self, max_bytes):
        self.max_bytes = max_bytes

    def process_request(self, req, resp):
        if req.method in ("POST", "PUT", "PATCH"):
            length = req.content_length
            if length is None and req.get_header("Transfer-Encoding"):
                raise falcon.HTTPLengthRequired(title="Content-Length required")
            if length is not None and length > self.max_bytes:
                raise falcon.HTTPPayloadTooLarge(title="Request body too large")


class AuthMiddleware:
    def __init__(self, settings):
        self.settings = settings

    def process_resource(self, req, resp, resource, params):
        if req.method == "OPTIONS" or resource is None:
            return
        if getattr(resource, "auth_exempt", False):
            return
        scheme, _, token = (req.get_header("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise falcon.HTTPUnauthorized(title="Authentication required", challenges=["Bearer"])
        try:
            claims = decode_access_token(self.settings, token)
        except jwt.InvalidTokenError as exc:
            log.info("rejected bearer token: %s", type(exc).__name__)
            raise falcon.HTTPUnauthorized(title="Invalid token", challenges=["Bearer"])
        req.context.user = Principal(id=int(claims["sub"]), role=claims["role"])


def handle_unexpected(req, resp, ex, params):
    request_id = getattr(req.context, "request_id", "-")
    log.exception("unhandled error on %s %s", req.method, req.path, extra={"request_id": request_id})
    raise falcon.HTTPInternalServerError(
        title="Internal error",
        description=f"Something went wrong. Reference: {request_id}",
    )
