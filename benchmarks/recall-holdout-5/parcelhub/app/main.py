import logging
import time
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.cache import redis
from app.clients import close_clients, init_clients
from app.config import get_settings
from app.models import SessionLocal, engine
from app.routes import admin, auth, files, orders, products, users, webhooks
from app.services import ServiceError

log = logging.getLogger("parcelhub")
settings = get_settings()


@asynccontextmanager
async def lifespan(app: FastAPI):
    init_clients()
    yield
    await close_clients()
    await redis.close()
    await engine.dispose()


app = FastAPI(
    title="ParcelHub",
    version="0.14.2",
    lifespan=lifespan,
    docs_url="/docs" if settings.environment != "production" else None,
    redoc_url=None,
)

app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.cors_origins,
    allow_credentials=True,
    allow_methods=["GET", "POST", "PATCH", "DELETE"],
    allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
)


@app.middleware("http")
async def access_log(request: Request, call_next):
    request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
    started = time.perf_counter()
    response = await call_next(request)
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.info(
        "%s %s -> %s in %.1fms rid=%s",
        request.method, request.url.path, response.status_code, elapsed_ms, request_id[:64],
    )
    response.headers["X-Request-Id"] = request_id[:64]
    return response


@app.exception_handler(ServiceError)
async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


@app.exception_handler(Exception)
async def unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "internal error"}, status_code=500)


@app.get("/healthz", include_in_schema=False)
async def healthz() -> dict:
    async with SessionLocal() as session:
        await session.execute(text("SELECT 1"))
    await redis.ping()
    return {"status": "ok"}


for module in (auth, users, products, orders, admin, webhooks, files):
    app.include_router(module.router, prefix="/api/v1")
