"""Handler methods a registered class view inherits.

    class ModelList(MethodView):            # a project base: registered nowhere itself
        def get(self): ...
    class Invoices(ModelList): model = Invoice
    bp.add_url_rule("/invoices", view_func=Invoices.as_view("invoices"))

`GET /invoices` runs `ModelList.get`: the registration of `Invoices` binds the methods of its
bases that neither it nor a nearer base overrides (Python's method resolution, depth first
as written), so the endpoint is listed at the registered path instead of the base being
listed as a handler registered nowhere.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence, TypeVar

Route = TypeVar("Route")
_DEPTH = 8  # base chains deeper than this are not followed (and cycles end)


def inherited_methods(candidates: Sequence[tuple[str, Route]], qualname: Callable[[Route], str],
                      bases: Mapping[str, tuple[str, ...]], same: Callable[[str, str], bool]
                      ) -> Callable[[str], list[tuple[str, Route]]]:
    """A lookup, built once: registered class name -> (module, route) of each handler method
    it inherits and does not override; `same` says whether a dotted name as written names a
    project-wide key."""
    methods: dict[str, list[tuple[str, Route]]] = {}
    for module, route in candidates:
        name = qualname(route)
        if "." in name:
            methods.setdefault(f"{module}.{name.rsplit('.', 1)[0]}", []).append((module, route))
    resolve = class_resolver(set(methods) | set(bases), same)

    def inherited(target: str) -> list[tuple[str, Route]]:
        start = resolve(target)
        if start is None or not bases.get(start):
            return []
        chosen: dict[str, tuple[str, Route]] = {}
        for cls in _linear(start, bases, resolve):
            for module, route in methods.get(cls, ()):
                chosen.setdefault(qualname(route).rsplit(".", 1)[-1], (module, route))
        own = methods.get(start, [])
        return [pair for pair in chosen.values() if pair not in own]

    return inherited


def registered_ancestors(targets: Sequence[str], bases: Mapping[str, tuple[str, ...]],
                         same: Callable[[str, str], bool]) -> frozenset[str]:
    """Project-wide keys of the classes some registered class inherits from: a handler method
    of one that stays unbound is overridden wherever it is served, so it is no endpoint."""
    resolve = class_resolver(bases, same)

    found: set[str] = set()
    for target in targets:
        start = resolve(target)
        if start is not None:
            found.update(_linear(start, bases, resolve)[1:])
    return frozenset(found)


def _linear(start: str, bases: Mapping[str, tuple[str, ...]], resolve: Callable[[str], str | None]) -> list[str]:
    order: list[str] = []

    def visit(cls: str, depth: int) -> None:
        if cls in order or depth > _DEPTH:
            return
        order.append(cls)
        for base in bases.get(cls, ()):
            key = resolve(base)
            if key is not None:
                visit(key, depth + 1)

    visit(start, 0)
    return order


def class_resolver(keys: Iterable[str], same: Callable[[str, str], bool]) -> Callable[[str], str | None]:
    """A dotted class name as written -> the one project-wide key it names (None when none or
    several do): candidates share its last part, `same` decides."""
    by_last: dict[str, list[str]] = {}
    for key in keys:
        by_last.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    # a project names the same few bases thousands of times (`graphene.ObjectType`, `Meta`), each
    # against every class sharing its last part: answer each name once
    answered: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if name not in answered:
            candidates = by_last.get(name.rsplit(".", 1)[-1], ())
            found = [key for key in candidates if same(key, name)]
            # `from shop.api import ShopViewSet`, which `shop/api/__init__.py` re-exports from `.viewsets`
            found = found or [key for key in candidates if reexported_as(key, name, same)]
            answered[name] = found[0] if len(found) == 1 else None
        return answered[name]

    return resolve


def reexported_as(key: str, name: str, same: Callable[[str, str], bool]) -> bool:
    """`pkg.views.misc.HomeView` is `pkg.views.HomeView` when `pkg/views/__init__.py`
    re-exports it: the same last name, the named module a package the defining one is in."""
    if same(key, name):
        return True
    module, _, last = key.rpartition(".")
    named_module, _, named_last = name.rpartition(".")
    if last != named_last or not named_module:
        return False
    while "." in module:
        module = module.rsplit(".", 1)[0]
        if same(module, named_module):
            return True
    return False
