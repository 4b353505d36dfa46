import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .container import build_container, engine
from .routers import admin, hooks, trips, users, vehicles

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.container = build_container()
    try:
        yield
    finally:
        await app.state.container.aclose()
        await engine.dispose()


app = FastAPI(title="fleet-tracker", version="1.4.0", lifespan=lifespan)

for module in (vehicles, trips, users, admin, hooks):
    app.include_router(module.router, prefix="/api/v1")


@app.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
