"""A handler's own route, with the line that protects it added.

Authentication and rate-limit findings are about a route, so the fix is that route: its
decorator with its own path and method, its own function name and parameters, in its own
framework, with the one thing that is missing (a login requirement, a limiter) added in
the place the framework expects it. A framework with no idiom we can name gets no code.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace

_DRF_BASES = ("APIView", "ViewSet", "GenericAPIView", "ModelViewSet", "GenericViewSet")


@dataclass(frozen=True, slots=True)
class Handler:
    framework: str  # flask | fastapi | django | tornado | aiohttp ...
    name: str  # the function (or method) name
    params: tuple[str, ...] = ()  # parameter names, `self` included for methods
    methods: tuple[str, ...] = ()
    path: str = ""
    router: str = ""  # the app/router object the route is declared on
    class_name: str = ""
    class_bases: tuple[str, ...] = ()
    is_async: bool = False
    def_line: str = ""  # the handler's own `def` line, when the caller has the source
    decorators: tuple[str, ...] = ()  # its own one-line decorators, when the caller has the source
    class_decorators: tuple[str, ...] = ()  # the enclosing class's own decorators, likewise

    @property
    def drf(self) -> bool:
        return any(b.rsplit(".", 1)[-1] in _DRF_BASES or "rest_framework" in b for b in self.class_bases)


def _def(handler: Handler, extra: str = "", first: bool = False) -> str:
    """The handler's def line (its own when known) with `extra` added to the parameters: last,
    or `first` (after `self`) for a parameter without a default."""
    line = " ".join(handler.def_line.split())
    if line.startswith(("def ", "async def ")) and line.endswith(":") and line.count("(") == line.count(")"):
        return _with_param(line, extra, first) if extra else line
    params = list(handler.params)
    if extra:
        params.insert(1 if params[:1] == ["self"] else 0, extra) if first else params.append(extra)
    prefix = "async def" if handler.is_async else "def"
    return f"{prefix} {handler.name}({', '.join(params)}):" + ("" if handler.def_line else "  # signature as it is")


def _with_param(line: str, extra: str, first: bool) -> str:
    head, _, rest = line.partition("(")
    params, _, tail = rest.rpartition(")")
    params = params.strip().rstrip(",")
    if not params:
        return f"{head}({extra}){tail}"
    if not first:
        return f"{head}({params}, {extra}){tail}"
    if params == "self" or params.startswith("self,"):
        return f"{head}(self, {extra}{params[4:]}){tail}"
    return f"{head}({extra}, {params}){tail}"


def _route(handler: Handler, extra: str = "") -> str:
    """The route decorator as the handler has it (or as the framework writes it), '' when the
    path is not known here."""
    if handler.decorators and not extra:
        return "\n".join(handler.decorators) + "\n"
    if not handler.path or handler.framework not in ("flask", "fastapi"):
        return ""
    router = handler.router.rsplit(".", 1)[-1] or ("app" if handler.framework == "flask" else "router")
    methods = [m for m in handler.methods if m != "*"] or ["GET"]
    path = handler.path.replace('"', '\\"')
    tail = f", {extra}" if extra else ""
    if len(methods) == 1:
        return f'@{router}.{methods[0].lower()}("{path}"{tail})\n'
    if handler.framework == "flask":
        listed = ", ".join(f'"{m}"' for m in methods)
        return f'@{router}.route("{path}", methods=[{listed}]{tail})\n'
    listed = ", ".join(f'"{m}"' for m in methods)
    return f'@{router}.api_route("{path}", methods=[{listed}]{tail})\n'


def _in_class(handler: Handler, body: str) -> str:
    """`body` indented into the handler's class (shown by its name) when it is a method."""
    if not handler.class_name:
        return body
    bases = ", ".join(b.rsplit(".", 1)[-1] for b in handler.class_bases) or "object"
    indented = "\n".join(("    " + line) if line else "" for line in body.split("\n"))
    decorators = "".join(f"{d}\n" for d in handler.class_decorators)
    return f"{decorators}class {handler.class_name}({bases}):\n{indented}"


def require_auth(handler: Handler) -> str:
    """The handler with an authenticated principal required ('' when the framework has no idiom)."""
    body = "    ...  # body unchanged"
    if handler.framework == "flask":
        return f"{_route(handler)}@login_required\n{_def(handler)}\n{body}"
    if handler.framework == "fastapi":
        route = _route(handler, "dependencies=[Depends(get_current_user)]")
        if route and not handler.decorators:
            return f"{route}{_def(handler)}\n{body}"
        return f"{_route(handler)}{_def(handler, 'user: User = Depends(get_current_user)')}\n{body}"
    if handler.framework == "django":
        if handler.class_name and handler.drf:
            return _in_class(handler, f"permission_classes = [IsAuthenticated]\n\n{_def(handler)}\n{body}")
        if handler.class_name:
            return _in_class(handler, f'@method_decorator(login_required)\n{_def(handler)}\n{body}')
        return f"@login_required\n{_def(handler)}\n{body}"
    if handler.framework == "tornado" and handler.class_name:
        return _in_class(handler, f"@tornado.web.authenticated\n{_def(handler)}\n{body}")
    return ""


def rate_limit(handler: Handler, rate: str) -> str:
    """The handler with a per-client limit of `rate` ("5/minute") ('' when there is no idiom)."""
    body = "    ...  # body unchanged"
    if handler.framework == "flask":
        return f'{_route(handler)}@limiter.limit("{rate}")\n{_def(handler)}\n{body}'
    if handler.framework == "fastapi":
        # slowapi reads the client address from a `request: Request` parameter
        needs_request = "request" not in handler.params and "request" not in handler.def_line
        return (f'{_route(handler)}@limiter.limit("{rate}")\n'
                f'{_def(handler, "request: Request" if needs_request else "", first=True)}\n{body}')
    if handler.framework == "django":
        count, _, unit = rate.partition("/")
        if handler.class_name and handler.drf:
            scope = handler.class_name.lower()
            throttle = (f'throttle_scope = "{scope}"  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["{scope}"] = "{rate}"\n'
                        "throttle_classes = [ScopedRateThrottle]")
            method = f"\n\n{_def(handler)}\n{body}" if handler.name != handler.class_name else ""
            return _in_class(handler, throttle + method)
        decorator = f'@ratelimit(key="ip", rate="{count}/{unit[:1] or "m"}", block=True)'
        if handler.class_name:
            return _in_class(handler, f"@method_decorator({decorator[1:]})\n{_def(handler)}\n{body}")
        return f"{decorator}\n{_def(handler)}\n{body}"
    return ""


def def_header(lines: list[str], def_line: int) -> str:
    """The `def` statement starting at 1-based `def_line`, joined onto one line when its
    parameters span several ('' when it does not close within a few lines)."""
    parts: list[str] = []
    for line in lines[def_line - 1:def_line + 11]:
        parts.append(line.split("#", 1)[0].strip() if "#" in line and '"' not in line and "'" not in line else line.strip())
        joined = " ".join(parts).replace("( ", "(").replace(" )", ")")
        if joined.count("(") == joined.count(")") and joined.rstrip().endswith(":"):
            return joined
    return ""


def own_decorators(lines: list[str], def_line: int) -> tuple[str, ...]:
    """The one-line decorators right above the 1-based `def_line` of a source file."""
    found: list[str] = []
    index = def_line - 2
    while index >= 0 and lines[index].strip().startswith("@"):
        found.append(lines[index].strip())
        index -= 1
    return tuple(reversed(found))


@dataclass(frozen=True, slots=True)
class RoleCheck:
    """How the reviewed module already checks roles, when it does somewhere else: the fix then
    uses the project's own guard instead of inventing one."""

    decorator: str = ""  # a decorator line another route of the module carries: "@admin_required"
    call: str = ""  # a guard helper of the module to call first: "_ensure_admin()"
    dependency: str = ""  # a FastAPI dependency that yields an admin: "get_current_active_superuser"


_BODY = "    ...  # body unchanged"


def require_admin(handler: Handler, check: RoleCheck = RoleCheck()) -> str:
    """The handler with a role check added where its framework puts one ('' when there is no
    idiom or no honest place for it)."""
    if handler.framework == "flask" and not handler.class_name:
        first = f"    {check.call}\n" if check.call else "" if check.decorator else \
            "    if not current_user.is_admin:\n        abort(403)\n"
        guard = f"{check.decorator}\n" if check.decorator and not check.call else ""
        return f"{_route(handler)}{guard}{_def(handler)}\n{first}{_BODY}"
    if handler.framework == "fastapi":
        return _fastapi_admin(handler, check)
    if handler.framework == "django":
        return _django_admin(handler, check)
    return ""


def _django_admin(handler: Handler, check: RoleCheck) -> str:
    if handler.class_name and handler.drf:
        return _in_class(handler, f"permission_classes = [IsAdminUser]\n\n{_def(handler)}\n{_BODY}")
    if handler.class_name:
        request = handler.params[1] if len(handler.params) > 1 and handler.params[0] == "self" else "self.request"
        return _in_class(handler, f"{_def(handler)}\n    if not {request}.user.is_staff:\n"
                                  f"        raise PermissionDenied\n{_BODY}")
    own = "".join(f"{d}\n" for d in handler.decorators)
    if check.call and not check.decorator:
        return f"{own}{_def(handler)}\n    {check.call}\n{_BODY}"
    guard = check.decorator or "@user_passes_test(lambda u: u.is_staff)"
    return f"{own}{guard}\n{_def(handler)}\n{_BODY}"


def _fastapi_admin(handler: Handler, check: RoleCheck) -> str:
    """The caller's dependency swapped for one that only admits admins: the module's own when it
    has one, else `require_admin` built on the dependency the handler already uses."""
    caller = _user_dependency(_def(handler))
    if caller is None:
        if not check.dependency:
            return ""
        return f"{_route(handler, f'dependencies=[Depends({check.dependency})]')}{_def(handler)}\n{_BODY}"
    param, annotation, dependency = caller
    line = _def(handler)
    if check.dependency:
        return f"{_route(handler)}{_swap_dependency(line, dependency, check.dependency)}\n{_BODY}"
    typed = f": {annotation}" if annotation else ""
    guard = (f"def require_admin({param}{typed} = Depends({dependency})){' -> ' + annotation if annotation else ''}:\n"
             f"    if not {param}.is_admin:\n        raise HTTPException(status_code=403, detail=\"Admins only\")\n"
             f"    return {param}\n\n\n")
    return f"{guard}{_route(handler)}{_swap_dependency(line, dependency, 'require_admin')}\n{_BODY}"


def _user_dependency(def_line: str) -> tuple[str, str, str] | None:
    """(parameter, annotation, dependency) of the parameter that receives the caller:
    `user: User = Depends(get_current_user)`."""
    try:
        tree = ast.parse(def_line.split("  #", 1)[0] + "\n    pass")
    except SyntaxError:
        return None
    function = tree.body[0]
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    args = function.args.args + function.args.kwonlyargs
    defaults = [None] * (len(function.args.args) - len(function.args.defaults)) + list(function.args.defaults) \
        + list(function.args.kw_defaults)
    for arg, default in zip(args, defaults):
        if isinstance(default, ast.Call) and isinstance(default.func, ast.Name) and default.func.id in ("Depends", "Security") \
                and default.args and re.search(r"(?i)user|principal|account|caller", ast.unparse(default.args[0])):
            annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
            return arg.arg, annotation, ast.unparse(default.args[0])
    return None


def _swap_dependency(line: str, old: str, new: str) -> str:
    return re.sub(rf"\b(Depends|Security)\(\s*{re.escape(old)}\s*\)", rf"\1({new})", line, count=1)


def drop_decorators(handler: Handler, names: frozenset[str]) -> str:
    """The handler (and its class) with the decorators that name one of `names` removed: the
    fix for a check switched off by decorator (`@csrf_exempt`)."""
    def kept(decorators: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d for d in decorators if not set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", d)) & names)

    clean = replace(handler, decorators=kept(handler.decorators), class_decorators=kept(handler.class_decorators))
    own = "".join(f"{d}\n" for d in clean.decorators)
    return _in_class(clean, f"{own}{_def(clean)}\n{_BODY}")


def on_flask_app(app: str, creation: str, factory: str, lines: list[str], header: str = "") -> str:
    """`lines` (naming the app as `{app}`) placed right after the line creating the Flask
    application, inside its factory when it is created in one; `header` (imports) above."""
    body = [creation] + [line.format(app=app) for line in lines]
    top = header + ("\n\n\n" if factory else "\n\n") if header else ""
    if factory:
        indented = "\n".join(f"    {line}" for line in body)
        return f"{top}{factory}\n{indented}\n    ...  # rest unchanged"
    return top + "\n".join(body)


def protect_flask_app(app: str, creation: str, factory: str = "") -> str:
    """The line creating the Flask application with CSRF protection installed on it (inside its
    factory when it is created in one), and the session cookie kept to same-site requests."""
    return on_flask_app(app, creation, factory, ["CSRFProtect({app})", '{app}.config.update(SESSION_COOKIE_SAMESITE="Lax")'],
                        "from flask_wtf.csrf import CSRFProtect")


_ROUTE_METHODS = ("get", "post", "put", "patch", "delete", "api_route", "route")


def with_response_model(handler: Handler, schema: str, returned: str = "") -> str:
    """The FastAPI route with `response_model=schema` on its own decorator, ending with the
    statement `returned` that the schema now filters ('' when the route decorator is not known)."""
    from servicelens.fixcode.source import with_keywords

    decorators = list(handler.decorators)
    for index, decorator in enumerate(decorators):
        callee = decorator.lstrip("@").split("(", 1)[0].rsplit(".", 1)[-1]
        if callee in _ROUTE_METHODS:
            fixed = with_keywords(decorator, callee, {"response_model": schema}, replace_existing=True)
            if fixed is None:
                return ""
            decorators[index] = fixed
            own = "".join(f"{d}\n" for d in decorators)
            tail = f"\n    {returned}  # now filtered through {schema}" if returned else ""
            return f"{own}{_def(handler)}\n    ...{tail}" if returned else f"{own}{_def(handler)}\n{_BODY}"
    return ""
