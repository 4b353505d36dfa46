"""What a router prefix built by an expression certainly contributes to its routes' paths.

    app.include_router(views.router_ui, prefix=trim_slash(self.url_prefix) + "/admin")
    app.include_router(users.router, prefix=f"{settings.API_PREFIX}/users")

The configured part (`url_prefix`, `API_PREFIX`) is a deployment's choice the review cannot know, and
is shown as nothing, as a prefix that is only a setting always was; the literal parts are the code's
own, and every deployment serves the routes below them. So the prefix is what is constant in it, in
order: `/admin`, `/users`. A prefix with no literal part at all stays unknown (None).
"""
from __future__ import annotations

import re

from servicelens import ir


def constant_prefix(expr: ir.Expr | None) -> str | None:
    """The literal parts of a string-building expression (a literal, `a + b` concatenations, an
    f-string) joined in order; None when it has none."""
    parts = _literal_parts(expr) if expr is not None else None
    return "".join(parts) if parts else None


def constant_path(expr: ir.Expr | None) -> str | None:
    """A route path written as a string-building expression (`@app.get(f"{APP_PREFIX}/api/items")`):
    its literal parts, as `constant_prefix` reads a router's prefix, with the slashes a dropped
    setting leaves doubled (`f"/api/{VERSION}/items"` -> `/api/items`) written once. A literal is
    itself; an expression with no literal part is None (the route's path stays unknown)."""
    if isinstance(expr, ir.Const):
        return expr.value if isinstance(expr.value, str) else None
    joined = constant_prefix(expr)
    return re.sub(r"/{2,}", "/", joined) if joined else None


def _literal_parts(expr: ir.Expr) -> list[str] | None:
    if isinstance(expr, ir.Const):
        return [expr.value] if isinstance(expr.value, str) else None
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        left, right = _literal_parts(expr.left), _literal_parts(expr.right)
        return (left or []) + (right or []) if left is not None or right is not None else None
    if isinstance(expr, ir.FormattedString):
        found = [part.value for part in expr.parts if isinstance(part, ir.Const) and isinstance(part.value, str)]
        return found or None
    return None
