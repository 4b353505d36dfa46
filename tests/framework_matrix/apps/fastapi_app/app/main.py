from contextlib import asynccontextmanager

from fastapi import BackgroundTasks, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware

from app.routers import items


@asynccontextmanager
async def lifespan(app):  # reach: startup
    warm_cache()
    yield


def warm_cache():  # reach: startup
    return None


app = FastAPI(lifespan=lifespan)
app.include_router(items.router, prefix="/api")


class TimingMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):  # reach: request
        return await call_next(request)


app.add_middleware(TimingMiddleware)


@app.middleware("http")
async def add_request_id(request: Request, call_next):  # reach: request
    response = await call_next(request)
    response.headers["X-Request-Id"] = "1"
    return response


class QuotaExceeded(Exception):
    pass


@app.exception_handler(QuotaExceeded)
async def quota_handler(request: Request, exc: QuotaExceeded):  # reach: request
    return JSONResponse({"error": "quota"}, status_code=429)


def send_receipt(email: str):  # reach: task
    return email


@app.post("/orders")
async def create_order(background_tasks: BackgroundTasks):  # reach: request
    background_tasks.add_task(send_receipt, "a@example.org")
    return {"ok": True}


async def report(request: Request):  # reach: request
    return JSONResponse({})


app.add_api_route("/reports", report, methods=["GET"])
