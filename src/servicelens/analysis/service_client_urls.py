"""Classes that request this service's own routes at an address their caller hands in.

A package often ships, beside its server, a client of that server: an SDK class whose caller
passes the base URL (`Client("http://host:9997")`) and whose methods send requests to the
service's routes (`self.session.get(f"{self.base_url}/v1/models")`). Such code runs in the
process of whoever makes the client (a user's script, the project's CLI, another service), not in
the server answering those routes. This module only finds the classes; who makes them, and so
where they run, is decided in analysis/service_clients.py.

The reading is by meaning, never by names: an HTTP request (a call named after an HTTP method,
`get`/`post`/.../`request`) whose URL is written as an address handed in (the instance's state or
a parameter of the method) followed by a literal path the service's endpoint inventory declares.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

# the HTTP client calls a request is made with: named after the HTTP method, or the generic one
_REQUESTS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
_ANY = "*"  # a path segment a parameter fills
# where the source can write a literal path right after an address (see `may_request_own_routes`):
# an f-string's interpolation followed by `/` (`f"{self.base}/v1"`), a string literal starting with
# `/` after a `+` (`self.base + "/v1"`, also across lines, in parentheses, after a backslash) or after
# another string literal it is implicitly joined to (`f"{self.base}" "/v1"`)
_PATH_AFTER_ADDRESS = re.compile(r"""\}/|\+[\s\\(]*[rRbBuUfF]{0,2}["']+/|["'][\s\\(]+[rRbBuUfF]{0,2}["']+/""")
_PATH_ENDS = ("}/", '"/', "'/")  # every match of `_PATH_AFTER_ADDRESS` ends with one: looked for first
_REQUEST_CALL = re.compile(r"\.\s*(?:" + "|".join(sorted(_REQUESTS)) + r")\b")


def route_shapes(paths: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """The service's route paths as segments, `*` for each parameter (`{uid}`, `<int:pk>`,
    `:id`). The root and catch-all routes (`/{path:path}`, `*`) name no particular route."""
    shapes = set()
    for path in paths:
        segments = tuple(_ANY if _parameter(s) else s for s in path.strip("^$").split("/") if s)
        if segments and any(s != _ANY for s in segments) and not any(_catch_all(s) for s in path.split("/")):
            shapes.add(segments)
    return frozenset(shapes)


def _parameter(segment: str) -> bool:
    return segment.startswith(("{", "<", ":")) or "{" in segment or "(?P" in segment


def _catch_all(segment: str) -> bool:
    return ":path" in segment or segment in ("*", "(.*)") or segment.startswith("*")


def may_request_own_routes(text: str) -> bool:
    """Can the module hold a class `own_route_requests` finds anything in? Decided from its text
    before any parse: such a request is a method call named in `_REQUESTS` whose URL is an f-string
    or a `+` chain with literal text starting with `/` right after its first, handed-in part, and
    the source of that can only be written as `_PATH_AFTER_ADDRESS` says (a comment between the `+`
    and the literal, or a slash written as an escape, is not looked for)."""
    return ("class" in text and any(end in text for end in _PATH_ENDS)
            and _PATH_AFTER_ADDRESS.search(text) is not None and _REQUEST_CALL.search(text) is not None)


def own_route_requests(node: ast.ClassDef, shapes: frozenset[tuple[str, ...]]) -> tuple[tuple[str, int], ...]:
    """(path, line) of each request the class's methods send to one of the service's routes at an
    address handed in: `f"{self.base_url}/v1/models/{uid}"` or `self.base + "/v1/models"`, written in
    the call or in a local the call passes on."""
    if not shapes:
        return ()
    found = []
    for method in node.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = frozenset(a.arg for a in (*method.args.posonlyargs, *method.args.args, *method.args.kwonlyargs))
        assigned = _local_assignments(method)
        for call in _requests(method):
            for argument in (*call.args[:2], *(k.value for k in call.keywords if k.arg == "url")):
                path = _handed_in_path(argument, assigned, params)
                if path and _matches(path, shapes):
                    found.append((path, call.lineno))
                    break
    return tuple(found)


def _requests(method: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(method):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REQUESTS:
            yield node


def _local_assignments(method: ast.AST) -> dict[str, ast.expr]:
    """A local's value when the method binds it exactly once (`url = f"{self.base}/v1/x"`)."""
    seen: dict[str, list[ast.expr]] = {}
    for node in ast.walk(method):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            seen.setdefault(node.targets[0].id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            seen.setdefault(node.target.id, []).append(node.value)  # `url: str = ...` binds once too
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            seen.setdefault(node.target.id, []).extend([node.value] * 2)  # `url += ...`: no single value
    return {name: values[0] for name, values in seen.items() if len(values) == 1}


def _handed_in_path(expr: ast.expr, assigned: dict[str, ast.expr], params: frozenset[str]) -> str:
    """The path written after an address handed in (`{}` for each interpolated part), "" when the
    URL does not start with one."""
    if isinstance(expr, ast.Name) and expr.id in assigned:
        expr = assigned[expr.id]
    parts = _parts(expr)
    if len(parts) < 2 or isinstance(parts[0], str) or not _handed_in(parts[0], params):
        return ""
    text = "".join(part if isinstance(part, str) else "{}" for part in parts[1:])
    return text.split("?", 1)[0] if text.startswith("/") else ""


def _parts(expr: ast.expr) -> list[str | ast.expr]:
    """An f-string or a `+` chain as its literal texts and interpolated expressions, in order."""
    if isinstance(expr, ast.JoinedStr):
        return [v.value if isinstance(v, ast.Constant) and isinstance(v.value, str)
                else v.value if isinstance(v, ast.FormattedValue) else v for v in expr.values]
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _parts(expr.left) + _parts(expr.right)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    return [expr]


def _handed_in(expr: ast.expr | str, params: frozenset[str]) -> bool:
    """The instance's state (`self.base_url`, `self._cfg.url`) or a parameter of the method: an
    address whoever made the client or called the method chose."""
    root = expr
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id in params


def _matches(path: str, shapes: frozenset[tuple[str, ...]]) -> bool:
    """Does the written path name one of the routes: segment by segment, a parameter on either
    side matching anything, the path equal to a route or, from two segments on, to its tail (a
    base URL that already holds the API's prefix)? The path must spell two literal segments: a
    lone `/health`, `/token` or `/search` is every other service's route too."""
    segments = tuple(_ANY if "{}" in s else s for s in path.split("/") if s)
    if sum(1 for s in segments if s != _ANY) < 2:
        return False
    for shape in shapes:
        if (len(segments) == len(shape) or 2 <= len(segments) < len(shape)) and all(a == b or _ANY in (a, b)
                                               for a, b in zip(segments, shape[len(shape) - len(segments):])):
            return True
    return False
