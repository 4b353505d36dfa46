"""Django and REST framework views that answer only through what a base of a base implements.

    class ShopListView(ListView): paginate_by = 20            # shop/base.py
    class OrderList(ShopListView):                            # shop/views.py, bound in urls.py
        def get_queryset(self): ...

`GET /orders/` runs `ListView.get`, which calls `OrderList.get_queryset`. The view defines no
handler method, and its own bases are project classes, so one file cannot tell which verbs it
answers. Each file lists such classes (`candidates`, with the line and the auth its own
declaration shows); project-wide, `inherited_routes` follows the bases through the project's
classes to the framework's generic bases (endpoints.drf.INHERITED) and makes one route per verb
no project class on the way defines. The routes are `registered=False`: the inventory keeps them
only where a URLconf or router binds the class, like every other inherited route.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from servicelens import ir
from servicelens.endpoints.drf import INHERITED, runs_own_action
from servicelens.endpoints.route import RouteFact

_HANDLER_NAMES = frozenset(name for names in INHERITED.values() for name in names) | {"get", "post", "put", "patch",
                                                                                     "delete", "head", "options"}
_VIEWSET_VERBS = {"list": "GET", "retrieve": "GET", "create": "POST", "update": "PUT", "partial_update": "PATCH",
                  "destroy": "DELETE"}
_DEPTH = 8  # base chains deeper than this are not followed (and cycles end)


@dataclass(frozen=True, slots=True)
class GenericView:
    """A class of a Django module with project bases and no handler method of its own."""

    qualname: str
    line: int
    auth: str
    auth_evidence: str


def candidates(module: ir.Module, direct: Callable[[ir.ClassDef], bool],
               auth: Callable[[ir.ClassDef], tuple[str, str]]) -> tuple[GenericView, ...]:
    """Classes defining no handler and not already generic by a direct base (`direct`)."""
    found = []
    for cls in module.classes:
        if not cls.bases or direct(cls):
            continue
        if any(method.rsplit(".", 1)[-1] in _HANDLER_NAMES for method in cls.methods):
            continue
        decided, evidence = auth(cls)
        found.append(GenericView(cls.qualname, cls.line, decided, evidence))
    return tuple(found)


def inherited_routes(module: str, views: Sequence[GenericView], bases: Mapping[str, tuple[str, ...]],
                     defined: Mapping[str, frozenset[str]], resolve: Callable[[str], str | None]) -> list[RouteFact]:
    """Routes of `views` (classes of `module`) through their project bases. `bases`: class key ->
    its dotted bases; `defined`: class key -> the handler names the class defines itself;
    `resolve`: `inherited_routes.class_resolver` over `bases`, built once for every module."""
    routes = []
    for view in views:
        names = _answered(f"{module}.{view.qualname}", bases, defined, resolve)
        for name in names:
            verb = _VIEWSET_VERBS.get(name, name.upper())
            routes.append(RouteFact(f"{view.qualname}.{name}", "django", (verb,), "", view.line, view.auth,
                                    view.auth_evidence, registered=False))
    return routes


def _answered(start: str, bases: Mapping[str, tuple[str, ...]], defined: Mapping[str, frozenset[str]],
              resolve: Callable[[str], str | None]) -> list[str]:
    """Handler names a framework base of a project ancestor implements, that no project class of
    the chain defines; [] unless the chain passes through a project class (direct bases are
    handled per file)."""
    seen: set[str] = set()
    framework: list[str] = []
    own: set[str] = set()
    through_project = False

    def visit(key: str, depth: int) -> None:
        nonlocal through_project
        if key in seen or depth > _DEPTH:
            return
        seen.add(key)
        own.update(defined.get(key, ()))
        for base in bases.get(key, ()):
            project = resolve(base)
            if project is not None and project != key:
                through_project = through_project or depth == 0
                visit(project, depth + 1)
            else:
                framework.extend(INHERITED.get(base.rsplit(".", 1)[-1], ()))

    visit(start, 0)
    if not through_project:
        return []
    # the view's own `create` is its POST route already (endpoints.drf `runs_own_action`)
    mine = defined.get(start, frozenset())
    return [name for name in dict.fromkeys(framework) if name not in own and not runs_own_action(name, mine)]
