import json
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from .clients import make_payments_client
from .config import settings
from .routers import admin, auth, bookings, ops, payments, properties
from .routers.bookings import BookingConflict

logging.basicConfig(level=logging.INFO)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.payments_http = make_payments_client()
    try:
        yield
    finally:
        await app.state.payments_http.aclose()


app = FastAPI(
    title="bookings-svc",
    version="2.3.0",
    debug=settings.environment == "development",
    lifespan=lifespan,
)


@app.exception_handler(BookingConflict)
async def booking_conflict_handler(request: Request, exc: BookingConflict) -> Response:
    body = {"detail": str(exc), "path": request.url.path}
    return Response(content=json.dumps(body), status_code=409, media_type="application/json")


app.include_router(auth.router)
app.include_router(bookings.router)
app.include_router(payments.router)
app.include_router(properties.router)
app.include_router(admin.router)
app.include_router(ops.router)
