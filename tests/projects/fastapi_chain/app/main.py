from fastapi import APIRouter, FastAPI

from app import routes


class VersionedRouter(APIRouter):
    """A project's own router type: takes `prefix=` like APIRouter."""


api = VersionedRouter(prefix="/api")
api.include_router(routes.router, prefix="/v1")

app = FastAPI()
app.include_router(api)
