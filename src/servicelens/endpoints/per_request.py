"""What a Flask/FastAPI app runs before every request of what it is registered on: Flask request
hooks (`@bp.before_request`, `@app.before_app_request`, URL value preprocessors) and ASGI
`@app.middleware("http")` functions. Shared by endpoints.hooks (which records them) and
endpoints.principals (which judges such a function on its own even when it is a closure)."""
from __future__ import annotations

from servicelens import ir

ROUTER = "router"  # runs for the routes of the object it is registered on
APP = "app"  # runs for every route of the application
# `url_value_preprocessor` hooks run before every route too, handed the URL's parameters
HOOK_SCOPES = {"before_request": ROUTER, "before_app_request": APP,
          "url_value_preprocessor": ROUTER, "app_url_value_preprocessor": APP}


def registers_per_request(decorator: ir.Expr) -> bool:
    """`@app.before_request` and friends, or `@app.middleware("http")`."""
    target = decorator.func if isinstance(decorator, ir.Call) else decorator
    return (isinstance(target, ir.Attr) and target.attr in HOOK_SCOPES) or is_http_middleware(decorator)


def is_http_middleware(decorator: ir.Expr) -> bool:
    """`@app.middleware("http")` (FastAPI/Starlette)."""
    return isinstance(decorator, ir.Call) and isinstance(decorator.func, ir.Attr) \
        and decorator.func.attr == "middleware" and bool(decorator.args) \
        and isinstance(decorator.args[0], ir.Const) and decorator.args[0].value == "http"
