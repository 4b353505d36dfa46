"""Django passes a view only the variables of the URL patterns bound to it, by name.

Not a rule. A view parameter with a default that no URL pattern of the project names
(`def get(self, request, book_id, readthrough_id=None)` served by `create-readthrough/`) always
holds its default, so a lookup keyed by it (`if readthrough_id: get_object_or_404(ReadThrough,
id=readthrough_id)`) never runs on a request. Function views and the handler methods of class-based
views alike (analysis/url_kwargs.py asks the same of taint flows, for function views).

Only Django views, only defaulted parameters (a required one no pattern names is filled some other
way or the view cannot be called), never `pk`/`slug` or a REST framework viewset's (routers name
their lookups where no URLconf text shows them), and never in a project with no URLconf or one
passing a group by position only (`re_path(r"^(\\d+)/$", view)`).
"""
from __future__ import annotations

from servicelens import ir
from servicelens.frameworks.django_urls import url_patterns
from servicelens.taint.scope import HandlerInfo, ModuleScope

_ROUTER_NAMED = frozenset({"pk", "slug", "id", "uuid", "lookup"})


def url_routes(module: ir.Module, scope: ModuleScope) -> tuple[str, ...]:
    """The routes of this file's URL patterns (none unless it assigns `urlpatterns`);
    frameworks.url_segments.routed_variables reads the project's together."""
    if not any(isinstance(s, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "urlpatterns" for t in s.targets)
               for s in module.body):
        return ()
    return tuple(p.route for p in url_patterns(module, scope.imports))


def defaulted_view_params(function: ir.Function, cls: ir.ClassDef | None, handler: HandlerInfo) -> frozenset[str]:
    """The parameters after `request` of a Django view (a function, or a class-based view's method)
    that have a default: the ones a URL pattern may leave out."""
    if handler.framework != "django" or (cls is not None and any(
            "viewset" in (ir.dotted_name(base) or "").lower() for base in cls.bases)):
        return frozenset()
    params = list(function.params)
    if cls is not None and params[:1] and params[0].name in ("self", "cls"):
        params = params[1:]
    if not params or params[0].name != "request":
        return frozenset()
    return frozenset(p.name for p in params[1:] if p.kind in ("positional", "keyword") and p.default is not None
                     and p.name not in _ROUTER_NAMED)
