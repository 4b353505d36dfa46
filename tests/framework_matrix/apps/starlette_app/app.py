from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route


async def homepage(request):  # reach: request
    return JSONResponse({"hello": "world"})


async def user_detail(request):  # reach: request
    return JSONResponse({"user": request.path_params["user_id"]})


class Accounts(HTTPEndpoint):
    async def get(self, request):  # reach: request
        return JSONResponse([])

    async def post(self, request):  # reach: request
        return JSONResponse({}, status_code=201)


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):  # reach: request
        return await call_next(request)


async def server_error(request, exc):  # reach: request
    return JSONResponse({"error": "internal"}, status_code=500)


routes = [
    Route("/", homepage),
    Mount("/users", routes=[Route("/{user_id}", user_detail)]),
    Route("/accounts", Accounts),
]

app = Starlette(routes=routes, middleware=[Middleware(AuditMiddleware)],
                exception_handlers={500: server_error})
