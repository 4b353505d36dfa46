"""Class-based views whose object lookup the framework makes: REST framework's `get_object()`
and Django's `SingleObjectMixin.get_object()` filter the view's queryset (`queryset`,
`get_queryset()`, or `model`'s default manager) by the URL's `pk`/`slug`, so the queryset is the
only scope the object ever gets.

A generic view or viewset that answers detail actions (retrieve, update, destroy; Django's
DetailView/UpdateView/DeleteView; or a method that calls `self.get_object()`), authenticated by
plain login only (`IsAuthenticated`, `LoginRequiredMixin`), whose queryset selects every row of
a model with nothing tied to the caller, hands any signed-in user any row by id: the documented
shape of an IDOR in both frameworks. So does a `get_queryset` that ties rows to the caller only
in a branch for the list action: the detail actions get the chain it returns after that branch. Pure facts about one class; broken_object_authorization
decides what to report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.rules.python import _access as access

# bases whose inherited actions look one object up with `get_object()` (rest_framework.generics,
# rest_framework.mixins, rest_framework.viewsets)
DETAIL_BASES = frozenset({"RetrieveModelMixin", "UpdateModelMixin", "DestroyModelMixin", "ModelViewSet",
                          "ReadOnlyModelViewSet", "RetrieveAPIView", "UpdateAPIView", "DestroyAPIView",
                          "RetrieveUpdateAPIView", "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView",
                          # django.views.generic: a row by the URL's pk or slug
                          "DetailView", "UpdateView", "DeleteView", "BaseDetailView", "BaseUpdateView",
                          "BaseDeleteView"})
# the detail bases that change or delete the object, not only show it
WRITE_BASES = frozenset({"UpdateModelMixin", "DestroyModelMixin", "ModelViewSet", "UpdateAPIView", "DestroyAPIView",
                         "RetrieveUpdateAPIView", "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView",
                         "UpdateView", "DeleteView", "BaseUpdateView", "BaseDeleteView"})
# a class that only authenticates (django.contrib.auth.mixins); any other mixin may check the object
PLAIN_MIXINS = frozenset({"LoginRequiredMixin"})
# the names those inherited actions are routed under (viewset actions, generic-view verbs)
DETAIL_ACTIONS = frozenset({"retrieve", "update", "partial_update", "destroy", "get", "put", "patch", "delete",
                            "post"})
# permission classes that only authenticate: any other may check the object (`has_object_permission`)
PLAIN_PERMISSIONS = frozenset({"IsAuthenticated", "IsAuthenticatedOrReadOnly"})
# filter backends that narrow by query parameters, never by the caller
PLAIN_FILTERS = frozenset({"DjangoFilterBackend", "SearchFilter", "OrderingFilter"})
# a class method overriding one of these decides the lookup, the permissions or the rows itself
_OWN_DECISIONS = frozenset({"get_object", "get_permissions", "check_object_permissions", "filter_queryset",
                            "initial", "dispatch", "has_permission", "test_func", "get_permission_required"})
# mixins and bases that decide access beyond a login (django.contrib.auth.mixins, django-guardian,
# django-rules): the object may be checked there
_ACCESS_MIXINS = re.compile(r"Permission|UserPassesTest|Owner|Access|Role|Staff|Superuser|Admin")
_MANAGERS = frozenset({"objects", "_default_manager"})
_PERMISSIONS_EVIDENCE = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class DetailView:
    """One view class whose framework-made lookup is not scoped to the caller."""

    cls: ir.ClassDef
    queryset: ir.Expr  # the unscoped `Model.objects...` chain, or `model = Model` (its default manager)
    login_only: bool  # declares login-only access (`[IsAuthenticated]`, `LoginRequiredMixin`); False: left to settings
    lookups: tuple[ir.Function, ...]  # methods of the class that call `self.get_object()`
    inherited: bool  # answers detail actions through its bases
    writes: bool  # its bases update or delete the object, or a method of its own looks it up


def unscoped_detail_views(module: ir.Module) -> Iterator[DetailView]:
    functions = {f.qualname: f for f in module.functions}
    for cls in module.classes:
        if not any(ir.last_name(b).endswith(("View", "ViewSet", "Mixin")) for b in cls.bases):
            continue  # not a view by its own bases (a project base class is not followed)
        methods = {m.rsplit(".", 1)[-1]: functions[m] for m in cls.methods if m in functions}
        if set(methods) & _OWN_DECISIONS:
            continue
        inherited = any(ir.last_name(b) in DETAIL_BASES for b in cls.bases) and \
            not {"retrieve", "update", "destroy", "get", "put", "delete"} & set(methods)
        lookups = tuple(f for f in methods.values() if _calls_get_object(f))
        if not inherited and not lookups:
            continue
        if any(_ACCESS_MIXINS.search(ir.last_name(b)) for b in cls.bases):
            continue
        declared = _class_value(cls, "permission_classes")
        plain = _plain_permissions(declared) if declared is not None else None
        if plain is False or not _plain_filters(_class_value(cls, "filter_backends")):
            continue
        queryset = _unscoped_queryset(cls, methods)
        if queryset is None:
            continue
        login_only = bool(plain) or any(ir.last_name(b) in PLAIN_MIXINS for b in cls.bases)
        writes = bool(lookups) or any(ir.last_name(b) in WRITE_BASES for b in cls.bases)
        yield DetailView(cls, queryset, login_only, lookups, inherited, writes)


def plain_route_permissions(evidence: str) -> bool:
    """`permission_classes = [IsAuthenticated]`, `DEFAULT_PERMISSION_CLASSES = [rest_framework.
    permissions.IsAuthenticated]`, `LoginRequiredMixin`, `@login_required` on dispatch: the route's
    auth, as the endpoint inventory explains it, only authenticates."""
    if evidence in PLAIN_MIXINS or evidence in ("@login_required", "LoginRequiredMiddleware"):
        return True
    match = _PERMISSIONS_EVIDENCE.search(evidence)
    if match is None:
        return False
    names = [n.strip().rsplit(".", 1)[-1] for part in match.group(1).split(",") for n in part.split("&")]
    return bool(names) and all(n in PLAIN_PERMISSIONS for n in names)


def _calls_get_object(function: ir.Function) -> bool:
    return any(isinstance(n, ir.Call) and ir.dotted_name(n.func) == "self.get_object"
               for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))


def _class_value(cls: ir.ClassDef, name: str) -> ir.Expr | None:
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None \
                and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
            return stmt.value
    return None


def _plain_permissions(value: ir.Expr) -> bool:
    """Every class listed only authenticates (`[IsAuthenticated]`); composed or custom classes
    (`IsOwner`, `IsAuthenticated & HasTeamAccess`) may check the object."""
    elements = value.elts if isinstance(value, ir.Seq) else ()
    names = [ir.last_name(e) for e in elements]
    return bool(names) and all(isinstance(e, (ir.Name, ir.Attr)) for e in elements) \
        and all(n in PLAIN_PERMISSIONS for n in names)


def _plain_filters(value: ir.Expr | None) -> bool:
    if value is None:
        return True
    elements = value.elts if isinstance(value, ir.Seq) else (value,)
    return all(isinstance(e, (ir.Name, ir.Attr)) and ir.last_name(e) in PLAIN_FILTERS for e in elements)


def _unscoped_queryset(cls: ir.ClassDef, methods: dict[str, ir.Function]) -> ir.Expr | None:
    """The queryset the lookup filters, when it selects rows with no condition on the caller:
    `queryset = Invoice.objects.all()`, Django's `model = Invoice` (every row of its default
    manager), or a `get_queryset` that only returns such chains and never reads the request, the
    URL kwargs or anything else of the view."""
    method = methods.get("get_queryset")
    if method is None:
        value = _class_value(cls, "queryset")
        if value is None:
            model = _class_value(cls, "model")
            return model if isinstance(model, (ir.Name, ir.Attr)) and ir.last_name(model)[:1].isupper() else None
        return _manager_chain(value) if isinstance(value, ir.Call) else None
    statements = [s for s in ir.walk_stmts(method.body)
                  if not (isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Const))]  # docstrings
    if any(isinstance(n, ir.Name) and n.id == "self" for s in statements for e in ir.stmt_exprs(s)
           for n in ir.walk_expr(e)):
        # `self.request.user`, `self.kwargs[...]`, `super().get_queryset()` via self: the view decides,
        # unless it scopes only the list it answers and hands every other action all rows
        return _scoped_for_list_only(method)
    returns = [s for s in statements if isinstance(s, ir.Return)]
    if len(returns) != 1 or len(statements) != 1 or not isinstance(returns[0].value, ir.Call):
        return None
    return _manager_chain(returns[0].value)


def _scoped_for_list_only(method: ir.Function) -> ir.Call | None:
    """`qs = Enrollment.objects.all()`, `if self.action == "list": return qs.filter(user=...)`,
    `return qs`: the caller's scope is applied in a branch taken only for the list action, and
    the chain returned after it is what `get_object()` filters for retrieve, update, destroy and
    every `@action(detail=True)`. That chain, when it selects rows with no condition on the caller
    (a top-level `return` of it, directly or through a local bound once to it); else None."""
    chains: dict[str, ir.Call] = {}
    branched = False
    for stmt in method.body:
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Const):
            continue  # the docstring
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                and isinstance(stmt.value, ir.Call) and (chain := _manager_chain(stmt.value)) is not None:
            chains[stmt.targets[0].id] = chain
        elif isinstance(stmt, ir.If) and not stmt.orelse and _list_action_test(stmt.test):
            branched = True
        elif isinstance(stmt, ir.Return) and branched:
            value = stmt.value
            if isinstance(value, ir.Name):
                return chains.get(value.id)
            return _manager_chain(value) if isinstance(value, ir.Call) else None
        else:
            return None
    return None


def _list_action_test(test: ir.Expr) -> bool:
    """`self.action == "list"`, `self.action in ("list",)`: true only for the list action (no
    detail action named beside it)."""
    if not isinstance(test, ir.Compare) or ir.dotted_name(test.left) != "self.action" or len(test.ops) != 1 \
            or test.ops[0] not in ("==", "in"):
        return False
    named = [n.value for c in test.comparators for n in ir.walk_expr(c) if isinstance(n, ir.Const)]
    return "list" in named and all(isinstance(v, str) and v not in DETAIL_ACTIONS for v in named)


def _manager_chain(call: ir.Call) -> ir.Call | None:
    """`Model.objects.select_related(...).filter(active=True)`: a chain from a model's manager
    whose conditions are constants (never the caller, never an owner-named field)."""
    root: ir.Expr | None = None
    for node in ir.walk_expr(call):
        if isinstance(node, ir.Attr) and node.attr in _MANAGERS and isinstance(node.value, (ir.Name, ir.Attr)):
            root = node
        if not isinstance(node, ir.Call):
            continue
        if ir.last_name(node.func) in ("Q", "Subquery", "Exists", "OuterRef", "F"):
            return None  # a condition built elsewhere may name the caller
        for kw in node.kwargs:
            if kw.name is None or any(access.name_words(p) & _OWNER_WORDS for p in kw.name.split("__")):
                return None
        if not all(isinstance(n, ir.Const) for v in (*node.args, *(k.value for k in node.kwargs))
                   for n in ir.walk_expr(v)):
            return None
    return call if root is not None else None


# field names that tie a row to someone: a condition on one of them scopes the queryset (the
# words broken_object_authorization reads in a lookup's keywords)
_OWNER_WORDS = frozenset({"user", "owner", "tenant", "org", "organization", "organisation", "account", "customer",
                          "company", "team", "workspace", "member", "author", "creator", "merchant", "seller",
                          "buyer", "profile", "patient", "employee", "created", "client"})
