"""Exact HTTP methods of Django and REST framework views, and the paths of viewset actions.

  - `@api_view(["GET", "POST"])`, `@require_http_methods([...])`, `@require_POST`: the
    methods a function view answers (otherwise "*");
  - `@action(detail=True, methods=["post"], url_path="set-password")` on a viewset method:
    its methods, and the path below the router prefix (`<pk>/set-password/`);
  - generic views and viewsets that define no handler method themselves answer what their
    base class or mixins implement (`ListCreateAPIView`: GET and POST; `ModelViewSet`: list,
    create, retrieve, update, partial_update, destroy).
"""
from __future__ import annotations

from servicelens import ir

_VERB_DECORATORS = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET", "HEAD")}
_METHOD_LISTS = ("api_view", "require_http_methods")
# what a base class implements: HTTP verbs for views, viewset actions for viewsets
INHERITED: dict[str, tuple[str, ...]] = {
    "ListAPIView": ("get",), "CreateAPIView": ("post",), "RetrieveAPIView": ("get",),
    "UpdateAPIView": ("put", "patch"), "DestroyAPIView": ("delete",), "ListCreateAPIView": ("get", "post"),
    "RetrieveUpdateAPIView": ("get", "put", "patch"), "RetrieveDestroyAPIView": ("get", "delete"),
    "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",), "CreateModelMixin": ("create",), "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"), "DestroyModelMixin": ("destroy",),
    "ListView": ("get",), "DetailView": ("get",), "TemplateView": ("get",), "RedirectView": ("get",),
    "CreateView": ("get", "post"), "UpdateView": ("get", "post"), "FormView": ("get", "post"),
    "DeleteView": ("get", "post"),
    # Django's date-based generic views, and its auth forms' views (FormView / TemplateView shapes)
    "ArchiveIndexView": ("get",), "YearArchiveView": ("get",), "MonthArchiveView": ("get",),
    "WeekArchiveView": ("get",), "DayArchiveView": ("get",), "TodayArchiveView": ("get",),
    "DateDetailView": ("get",), "PasswordChangeView": ("get", "post"), "PasswordResetView": ("get", "post"),
    "PasswordResetConfirmView": ("get", "post"), "PasswordResetDoneView": ("get",),
    "PasswordResetCompleteView": ("get",), "PasswordChangeDoneView": ("get",),
    # django-filter's FilterView: a ListView whose queryset the request's filter narrows
    "FilterView": ("get",),
    # drf-spectacular's schema and documentation views
    "SpectacularAPIView": ("get",), "SpectacularSwaggerView": ("get",), "SpectacularRedocView": ("get",),
}


# a generic view's verb handler hands the request to an action method (`ListCreateAPIView.post`
# runs `self.create`): a view that defines that method answers the verb through it, and its own
# route for the method (`create`: POST) is the one the verb reaches
VERB_ACTIONS: dict[str, tuple[str, ...]] = {"get": ("list", "retrieve"), "post": ("create",), "put": ("update",),
                                            "patch": ("partial_update",), "delete": ("destroy",)}


def runs_own_action(name: str, defined: set[str] | frozenset[str]) -> bool:
    """Whether the inherited handler `name` runs an action method the class defines itself."""
    return any(action in defined for action in VERB_ACTIONS.get(name, ()))


def function_view_methods(function: ir.Function) -> tuple[str, ...]:
    """The methods a function view's decorators allow, or ("*",)."""
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        name = (ir.dotted_name(target) or "").rsplit(".", 1)[-1]
        if name in _VERB_DECORATORS:
            return _VERB_DECORATORS[name]
        if name in _METHOD_LISTS:
            if not isinstance(decorator, ir.Call):
                return ("GET",)  # bare @api_view answers GET only
            listed = _strings(decorator.arg(0, "http_method_names"))
            return listed or (("GET",) if name == "api_view" else ("*",))
    return ("*",)


def action(function: ir.Function) -> tuple[tuple[str, ...], str] | None:
    """`@action(detail=True, methods=["post"])` -> (("POST",), "<pk>/<url_path>/")."""
    for decorator in function.decorators:
        if not isinstance(decorator, ir.Call):
            continue
        if (ir.dotted_name(decorator.func) or "").rsplit(".", 1)[-1] not in ("action", "detail_route", "list_route"):
            continue
        methods = _strings(decorator.kwarg("methods")) or ("GET",)
        detail = decorator.kwarg("detail")
        is_detail = (isinstance(detail, ir.Const) and detail.value is True) or \
            (ir.dotted_name(decorator.func) or "").endswith("detail_route")
        url_path = decorator.kwarg("url_path")
        segment = url_path.value if isinstance(url_path, ir.Const) and isinstance(url_path.value, str) \
            else function.name
        return methods, ("<pk>/" if is_detail else "") + segment.strip("/") + "/"
    return None


def inherited_handlers(cls: ir.ClassDef, defined: set[str]) -> list[str]:
    """Handler names the class gets from its bases and does not define itself, in base order."""
    found: list[str] = []
    for base in cls.bases:
        for name in INHERITED.get((ir.dotted_name(base) or "").rsplit(".", 1)[-1], ()):
            if name not in defined and name not in found and not runs_own_action(name, defined):
                found.append(name)
    return found


def allowed_methods(cls: ir.ClassDef) -> frozenset[str] | None:
    """`http_method_names = ["get", "post"]` on a view class: the only methods it answers
    (every other one gets 405 before a handler runs); None when the class does not say."""
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "http_method_names"
                                               for t in stmt.targets):
            listed = _strings(stmt.value)
            return frozenset(listed) if listed else None
    return None


def _strings(expr: ir.Expr | None) -> tuple[str, ...]:
    if not isinstance(expr, ir.Seq):
        return ()
    return tuple(e.value.upper() for e in expr.elts if isinstance(e, ir.Const) and isinstance(e.value, str))
