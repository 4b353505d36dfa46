from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse

from api.security import require_admin


class AuditLog:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):  # reach: request
        await self.app(scope, receive, send)


class UnusedMiddleware:
    async def __call__(self, scope, receive, send):  # reach: none
        return None


async def conflict_handler(request, exc):  # reach: request
    return JSONResponse({"error": "conflict"}, status_code=409)


def exception_handler(request, exc):  # reach: none
    return JSONResponse({}, status_code=500)


admin = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])


@admin.post("/flush")
async def flush_cache():  # reach: request
    return {"flushed": True}


app = FastAPI()
app.add_middleware(AuditLog)
app.add_exception_handler(ValueError, conflict_handler)
app.include_router(admin, prefix="/v1")
