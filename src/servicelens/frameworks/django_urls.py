"""Django URL configuration: which path reaches which view, across `include()`s.

Per file, `url_patterns` reads `urlpatterns` (path/re_path/url entries, include()s and DRF
router registrations). Across files, `resolve_view_paths` walks from the root URLconfs
(URL modules nobody includes) down the includes and returns the full path of every view.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from servicelens import ir
from servicelens.frameworks.pattern_lists import is_as_view, pattern_lists
from servicelens.frameworks.regex_routes import regex_route

_ROUTE_CALLS = {"path", "re_path", "url"}


@dataclass(frozen=True, slots=True)
class UrlPattern:
    # "view" | "include" | "router" (a local router's registration, under an include) |
    # "registration" (a router's registration; `router` names it) | "router-include"
    # (`include(routers.router.urls)` of a router of another module; `target` names it)
    kind: str
    route: str  # the pattern as written, regex anchors removed
    target: str  # dotted view / included module / viewset class / router
    line: int
    router: str = ""  # for a "registration": the project-wide name of the router
    # `ViewSet.as_view({"get": "list", "post": "create"})`: on the class's pattern, the actions
    # the map binds there (the class answers nothing else at that path); on an action's
    # pattern (`target` = `ViewSet.list`), the verbs that reach it
    actions: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    name: str = ""  # `path(..., name="login")`: the URL name a middleware may exempt by
    # decorators the URLconf wraps the view in (`path("me/", login_required(views.me))`,
    # `cache_page(60)(views.stats)`), as project-wide names: they run before the view like its own
    wrappers: tuple[str, ...] = ()
    # (helper, argument index, decorator): the pattern was handed to a project helper together with
    # decorators (`decorated_patterns([login_required], path(...))`); whether the helper applies the
    # argument at that index to its patterns' views is decided by its body (endpoints.pattern_decorators)
    helper_wrappers: tuple[tuple[str, int, str], ...] = ()


def url_patterns(module: ir.Module, imports: Mapping[str, str]) -> tuple[UrlPattern, ...]:
    """The module's urlpatterns, and the registrations of the routers it builds (`router =
    DefaultRouter(); router.register(r"users", UsersViewSet)`), which a URLconf of another
    module includes by `include(router.urls)`."""
    registrations = _own_router_registrations(module, imports)
    if not any(t.startswith(("django.urls", "django.conf.urls", "rest_framework")) or t.endswith(".urlpatterns")
               for t in imports.values()):
        return registrations
    routers = _router_registrations(module, imports)
    # module-level names a pattern may use: lists of patterns, and views bound once
    # (`order_list = OrderViewSet.as_view({"get": "list"})`) then named in `path(...)`
    lists = pattern_lists(module)
    found: list[UrlPattern] = list(registrations)
    for part in lists.pop("urlpatterns", ir.Seq(0, 0, "list", ())).elts:
        found.extend(_patterns_in(part, module, imports, routers, lists, 0))
    return tuple(found)


def _patterns_in(expr: ir.Expr, module: ir.Module, imports: Mapping[str, str],
                 routers: dict[str, list[tuple[str, str, int]]], lists: Mapping[str, ir.Expr],
                 depth: int) -> list[UrlPattern]:
    found: list[UrlPattern] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Call) and _callee(node) not in _ROUTE_CALLS and depth < 4 \
                and (handed := _handed_with_decorators(node, module, imports, lists)) is not None:
            patterns_args, decorators = handed
            for arg in patterns_args:
                found.extend(replace(p, helper_wrappers=p.helper_wrappers + decorators)
                             for p in _patterns_in(arg, module, imports, routers, lists, depth + 1))
            continue
        if isinstance(node, ir.Call) and _callee(node) in _ROUTE_CALLS:
            # a route's own arguments are not walked again: the list it includes is served
            # under its prefix only (`re_path(r"^api/", include(api_patterns))`)
            pattern = _pattern(node, module, imports, routers, lists, depth)
            if pattern is not None:
                found.extend(pattern)
            continue
        if isinstance(node, ir.Name):
            found.extend(_spliced(node, module, imports, routers, lists, depth))
        if isinstance(node, ir.Attr) and node.attr == "urls" and (name := ir.dotted_name(node.value)):
            # `urlpatterns = [...] + router.urls` / `urlpatterns += router.urls`: the router's
            # registrations at the URLconf's own level, as `include(router.urls)` under ""
            found.extend(_router_urls(name, "", node.line, module, imports, routers))
            continue
        stack.extend(reversed(ir.child_exprs(node)))
    return found


def _router_urls(name: str, route: str, line: int, module: ir.Module, imports: Mapping[str, str],
                 routers: dict[str, list[tuple[str, str, int]]]) -> list[UrlPattern]:
    """A router's `.urls` served under `route`: the registrations of a router this module builds,
    else the router another module builds, resolved project-wide."""
    if name in routers:
        return [UrlPattern("router", route + prefix, target, at) for prefix, target, at in routers[name]]
    return [UrlPattern("router-include", route, _qualify(name, module, imports), line)]


def _handed_with_decorators(call: ir.Call, module: ir.Module, imports: Mapping[str, str],
                            lists: Mapping[str, ir.Expr]) -> tuple[list[ir.Expr], tuple[tuple[str, int, str], ...]] | None:
    """`decorated_patterns([can_view_map, never_cache], path(...), *map_urls)`: a call of a named
    function handed patterns (route calls, or this module's pattern lists) and, at other positions,
    what may be decorators (names, decorator factories called, lists of them). Returns the pattern
    arguments and (helper, index, decorator) for each decorator; None for any other call (`include`,
    `i18n_patterns(path(...))` that is handed patterns alone)."""
    helper = _qualify(ir.dotted_name(call.func) or "", module, imports) if isinstance(call.func, (ir.Name, ir.Attr)) else ""
    if not helper or _callee(call) == "include":
        return None
    patterns: list[ir.Expr] = []
    decorators: list[tuple[str, int, str]] = []
    for index, arg in enumerate(call.args):
        if _holds_patterns(arg, lists, imports):
            patterns.append(arg)
            continue
        for element in (arg.elts if isinstance(arg, ir.Seq) else (arg,)):
            named = ir.dotted_name(element.func if isinstance(element, ir.Call) else element)
            if named:
                decorators.append((helper, index, _qualify(named, module, imports)))
    return (patterns, tuple(decorators)) if patterns and decorators else None


def _holds_patterns(arg: ir.Expr, lists: Mapping[str, ir.Expr], imports: Mapping[str, str]) -> bool:
    """A route call, a list of them, or a pattern list (`*map_urls`, `api_patterns`, another URLconf's
    `urlpatterns`)."""
    for node in ir.walk_expr(arg):
        if isinstance(node, ir.Call) and _callee(node) in _ROUTE_CALLS:
            return True
        if isinstance(node, ir.Name) and (isinstance(lists.get(node.id), ir.Seq)
                                          or imports.get(node.id, "").endswith(".urlpatterns")):
            return True
    return False


def _unwrapped(view: ir.Expr, module: ir.Module, imports: Mapping[str, str]) -> tuple[ir.Expr, tuple[str, ...]]:
    """`login_required(views.me)` -> (`views.me`, (login_required,)); `cache_page(60)(views.stats)` ->
    (`views.stats`, (cache_page,)); nested wrappers outermost first. A class view's `as_view(...)`
    and `include(...)` are what they are, not wrappers."""
    wrappers: list[str] = []
    while isinstance(view, ir.Call) and not is_as_view(view) and len(view.args) == 1 and not view.kwargs \
            and _callee(view) != "include":
        func = view.func.func if isinstance(view.func, ir.Call) else view.func  # a decorator factory's call
        named = ir.dotted_name(func)
        if not named:
            break
        wrappers.append(_qualify(named, module, imports))
        view = view.args[0]
    return view, tuple(wrappers)


def _spliced(name: ir.Name, module: ir.Module, imports: Mapping[str, str],
             routers: dict[str, list[tuple[str, str, int]]], lists: Mapping[str, ir.Expr],
             depth: int) -> list[UrlPattern]:
    """`urlpatterns = [*cycle_urls, *other]` / `base + extra`: an imported module's
    `urlpatterns` spliced in serves its patterns unprefixed, like `path("", include(...))`;
    a list of this module spliced in contributes its own patterns."""
    imported = imports.get(name.id, "")
    if imported.endswith(".urlpatterns"):
        return [UrlPattern("include", "", imported.rsplit(".", 1)[0], name.line)]
    if isinstance(lists.get(name.id), ir.Seq) and depth < 4:
        return _patterns_in(lists[name.id], module, imports, routers, _without(lists, name.id), depth + 1)
    return []


def _without(lists: Mapping[str, ir.Expr], name: str) -> dict[str, ir.Expr]:
    """`lists` but `name`: inside a list's expansion its own name (`api = api + [...]`,
    `api = format_suffix_patterns(api)`) adds nothing it does not already hold."""
    return {key: value for key, value in lists.items() if key != name}


def _pattern(call: ir.Call, module: ir.Module, imports: Mapping[str, str],
             routers: dict[str, list[tuple[str, str, int]]], lists: Mapping[str, ir.Expr] | None = None,
             depth: int = 0) -> list[UrlPattern] | None:
    route_arg, view_arg = call.arg(0, "route"), call.arg(1, "view")
    wrappers: tuple[str, ...] = ()
    if view_arg is not None:
        view_arg, wrappers = _unwrapped(view_arg, module, imports)
    literal = isinstance(route_arg, ir.Const) and isinstance(route_arg.value, str)
    including = isinstance(view_arg, ir.Call) and _callee(view_arg) == "include"
    # `path(settings.BASE_PATH, include(_patterns))`: a prefix the settings decide, shown as none
    if view_arg is None or not (literal or including):
        return None
    route = _clean(route_arg.value) if isinstance(route_arg, ir.Const) and isinstance(route_arg.value, str) else ""
    if isinstance(view_arg, ir.Call) and _callee(view_arg) == "include":
        inner = view_arg.args[0] if view_arg.args else None
        if isinstance(inner, ir.Seq) and inner.elts and not all(isinstance(e, ir.Call) for e in inner.elts):
            inner = inner.elts[0]  # include(("app.urls", "namespace")), include(([path(...)], "namespace"))
        if isinstance(inner, ir.Seq) and inner.elts and all(isinstance(e, ir.Call) for e in inner.elts) \
                and depth < 4:  # include([path("", view), ...]): the patterns, under this prefix
            return [replace(p, route=route + p.route)
                    for p in _patterns_in(inner, module, imports, routers, lists or {}, depth + 1)]
        if isinstance(inner, ir.Const) and isinstance(inner.value, str):
            return [UrlPattern("include", route, inner.value, call.line)]
        # include(app_patterns) / include((app_patterns, "app")): a list of this module
        local = lists.get(inner.id) if lists and isinstance(inner, ir.Name) and depth < 4 else None
        local = local if isinstance(local, ir.Seq) else None
        if local is not None:
            return [replace(p, route=route + p.route)
                    for p in _patterns_in(local, module, imports, routers, _without(lists, inner.id), depth + 1)]
        # `from .urls_v2 import urlpatterns as tenant_urls` ... include((tenant_urls, "tenant")):
        # another module's patterns, under this prefix
        imported = imports.get(inner.id, "") if isinstance(inner, ir.Name) else ""
        if imported.endswith(".urlpatterns"):
            return [UrlPattern("include", route, imported.rsplit(".", 1)[0], call.line)]
        # `from app import urls as app_urls` ... include(app_urls): the module itself (a name the
        # review has no URLconf for includes nothing)
        if imported:
            return [UrlPattern("include", route, imported, call.line)]
        name = ir.dotted_name(inner.value) if isinstance(inner, ir.Attr) and inner.attr == "urls" else None
        return _router_urls(name, route, call.line, module, imports, routers) if name is not None else None
    if isinstance(view_arg, ir.Name) and is_as_view((lists or {}).get(view_arg.id)):
        view_arg = (lists or {})[view_arg.id]  # `order_list = OrderViewSet.as_view({"get": "list"})` above the list
    as_view = is_as_view(view_arg)
    target = view_arg.func.value if as_view else view_arg  # type: ignore[union-attr]
    dotted = ir.dotted_name(target)
    if dotted is None:
        return None
    view = _qualify(dotted, module, imports)
    # `OrderViewSet.as_view({"get": "list", "post": "create"})`: these actions answer here
    mapped = _action_map(view_arg.arg(0, "actions")) if as_view else {}  # type: ignore[union-attr]
    named = call.arg(2, "name")
    name = named.value if isinstance(named, ir.Const) and isinstance(named.value, str) else ""
    return [UrlPattern("view", route, view, call.line, actions=tuple(mapped), name=name, wrappers=wrappers)] + \
        [UrlPattern("view", route, f"{view}.{action}", call.line, methods=verbs, name=name, wrappers=wrappers)
         for action, verbs in mapped.items()]


def _action_map(expr: ir.Expr | None) -> dict[str, tuple[str, ...]]:
    """`{"get": "retrieve", "put": "update"}` -> {"retrieve": ("GET",), "update": ("PUT",)}; a
    method may be named by its `__name__` (`{"get": OrderViewSet.retrieve.__name__}`)."""
    if not isinstance(expr, ir.DictExpr):
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for key, value in zip(expr.keys, expr.values):
        if isinstance(value, ir.Attr) and value.attr == "__name__" and isinstance(value.value, ir.Attr):
            action = value.value.attr
        elif isinstance(value, ir.Const) and isinstance(value.value, str):
            action = value.value
        else:
            continue
        verb = key.value.upper() if isinstance(key, ir.Const) and isinstance(key.value, str) else ""
        found[action] = found.get(action, ()) + ((verb,) if verb else ())
    return found


def mapped_actions(patterns_by_module: Mapping[str, Sequence[UrlPattern]]
                   ) -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """What explicit `as_view({...})` maps bind: (`pkg.ViewSet.action` -> its verbs, and
    `pkg.ViewSet` -> the only actions it answers, for a class every pattern binds by a map)."""
    verbs: dict[str, tuple[str, ...]] = {}
    only: dict[str, set[str]] = {}
    plain: set[str] = set()
    for patterns in patterns_by_module.values():
        for pattern in patterns:
            if pattern.kind == "view" and pattern.methods:
                verbs[pattern.target] = tuple(dict.fromkeys(verbs.get(pattern.target, ()) + pattern.methods))
            elif pattern.kind == "view" and pattern.actions:
                only.setdefault(pattern.target, set()).update(pattern.actions)
            elif pattern.kind in ("view", "router", "registration"):
                plain.add(pattern.target)
    return verbs, {view: frozenset(actions) for view, actions in only.items() if view not in plain}


def _router_registrations(module: ir.Module, imports: Mapping[str, str]) -> dict[str, list[tuple[str, str, int]]]:
    """`router.register(r"orders", OrderViewSet)` -> {"router": [("orders/", "app.views.OrderViewSet", line)]}."""
    found: dict[str, list[tuple[str, str, int]]] = {}
    for stmt in ir.walk_stmts(module.body):  # `if settings.IMPORTERS_ENABLED: router.register(...)` too
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) and isinstance(stmt.value.func, ir.Attr) \
                and stmt.value.func.attr == "register" and len(stmt.value.args) >= 2:
            prefix, viewset = stmt.value.args[0], ir.dotted_name(stmt.value.args[1])
            router = ir.dotted_name(stmt.value.func.value)
            if isinstance(prefix, ir.Const) and isinstance(prefix.value, str) and viewset and router:
                found.setdefault(router, []).append(
                    (_clean(prefix.value).rstrip("/") + "/", _qualify(viewset, module, imports), stmt.line))
    return found


def _own_router_registrations(module: ir.Module, imports: Mapping[str, str]) -> tuple[UrlPattern, ...]:
    """Registrations on routers this module builds (`router = routers.DefaultRouter(...)`), and on
    a router it imports (`from shop.api import router; router.register(r"orders", OrderViewSet)`,
    the project's own router instance, of any class): each is served where a URLconf includes
    that router's `urls` (`resolve_view_paths`)."""
    built = {t.id for stmt in module.body if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call)
             and _callee(stmt.value).endswith("Router") for t in stmt.targets if isinstance(t, ir.Name)}
    return tuple(UrlPattern("registration", prefix, target, line,
                            f"{module.module_name}.{router}" if router in built else _qualify(router, module, imports))
                 for router, entries in _router_registrations(module, imports).items()
                 if router in built or router.partition(".")[0] in imports
                 for prefix, target, line in entries)


def resolve_view_paths(patterns_by_module: Mapping[str, Sequence[UrlPattern]]) -> dict[str, str]:
    """Dotted view (function, class, or viewset) -> full URL path, starting at root URLconfs."""
    registered: dict[str, list[UrlPattern]] = {}
    for patterns in patterns_by_module.values():
        for pattern in patterns:
            if pattern.kind == "registration":
                registered.setdefault(pattern.router, []).append(pattern)
    included = {p.target for patterns in patterns_by_module.values() for p in patterns if p.kind == "include"}
    reached = {_find_module(inc, patterns_by_module) for inc in included}
    roots = [m for m in sorted(patterns_by_module) if m not in included and m not in reached]
    paths: dict[str, str] = {}

    def walk(module: str, prefix: str, depth: int) -> None:
        if depth > 8:
            return
        for pattern in patterns_by_module.get(module, ()):
            full = prefix + pattern.route
            if pattern.kind == "include":
                target = _find_module(pattern.target, patterns_by_module)
                if target is not None:
                    walk(target, full, depth + 1)
            elif pattern.kind == "router-include":
                router = _find_module(pattern.target, registered)
                for registration in registered.get(router or "", ()):
                    paths.setdefault(registration.target, "/" + (full + registration.route).lstrip("/"))
            elif pattern.kind == "registration":
                continue  # reached through the URLconf that includes its router
            else:
                paths.setdefault(pattern.target, "/" + full.lstrip("/"))

    for root in roots:
        walk(root, "", 0)
    return paths


def view_names(patterns_by_module: Mapping[str, Sequence[UrlPattern]]) -> dict[str, frozenset[str]]:
    """Dotted view -> the URL names its patterns give it (`name="login"`)."""
    found: dict[str, set[str]] = {}
    for patterns in patterns_by_module.values():
        for pattern in patterns:
            if pattern.kind == "view" and pattern.name:
                found.setdefault(pattern.target, set()).add(pattern.name)
    return {view: frozenset(names) for view, names in found.items()}


def view_path(paths: Mapping[str, str], key: str) -> str:
    """The path of the view `key` (`pkg.views.orders.OrderViewSet.list`), also where the
    URLconf imports it through a package that re-exports it (`pkg.views.OrderViewSet.list`)."""
    direct = paths.get(key)
    if direct is not None:
        return direct
    parts = key.split(".")
    first_class = next((i for i, part in enumerate(parts) if part[:1].isupper()), len(parts) - 1)
    module, tail = parts[:first_class], ".".join(parts[first_class:])
    for length in range(len(module), 0, -1):
        candidate = ".".join(module[:length]) + "." + tail
        found = {p for name, p in paths.items() if name == candidate or name.endswith("." + candidate)
                 or candidate.endswith("." + name)}
        if len(found) == 1:
            return found.pop()
        if found:
            return ""  # ambiguous: several views of that name
    return ""


def _find_module(dotted: str, modules: Mapping[str, Sequence[UrlPattern]]) -> str | None:
    """The module an include names: module names come from paths (`src.shop.urls`, or `acts.urls`
    under a review root that is the package itself) while includes say `shop.urls` /
    `pkg.acts.urls`; the match sharing the most parts wins (`acts.urls` over a top-level `urls`),
    and a top-level module is matched only by its own name (an installed app's `jet.urls` is not
    the project's root `urls`, which would then never be walked as a root)."""
    if dotted in modules:
        return dotted
    # a module named by its last parts only must share at least two of them: a top-level `urls`
    # is not what `include("jet.urls")` of an installed app names
    matches = [m for m in modules if m.endswith("." + dotted) or ("." in m and dotted.endswith("." + m))]
    if len(matches) > 1:
        longest = max(min(m.count("."), dotted.count(".")) for m in matches)
        matches = [m for m in matches if min(m.count("."), dotted.count(".")) == longest]
    return matches[0] if len(matches) == 1 else None


def _qualify(dotted: str, module: ir.Module, imports: Mapping[str, str]) -> str:
    head, _, rest = dotted.partition(".")
    if head in imports and head != "*":
        return imports[head] + (f".{rest}" if rest else "")
    star = _star_source(head, module)
    return f"{star or module.module_name}.{dotted}"


def _star_source(name: str, module: ir.Module) -> str:
    """`from .views import *` then `path("", Home.as_view())`: a name the URLconf neither defines
    nor imports by name comes from the module it star-imports, when it star-imports exactly one
    (of several, which one binds the name is not known here); "" otherwise. A package that
    re-exports its submodules (`views/__init__.py: from .home import *`) is matched by its
    package prefix later (view_path)."""
    if any(name == d.qualname for d in (*module.classes, *module.functions)) \
            or any(isinstance(s, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in s.targets)
                   for s in module.body):
        return ""
    stars = {i.target for i in module.imports if i.local == "*" and i.target}
    return stars.pop() if len(stars) == 1 else ""


def _callee(call: ir.Call) -> str:
    return (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]


def _clean(route: str) -> str:
    """Regex routes lose their anchors and optional groups, and named groups become `<name>`,
    or `<path:name>` when their pattern may match a `/` (frameworks.regex_routes)."""
    return regex_route(route)
