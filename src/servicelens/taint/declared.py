"""Declared types: what a parameter or a `self` attribute is, read from its annotation.

A handler takes `svc: TripService = Depends(...)`, a service keeps `self.trips = trips` from
`trips: TripRepository`, a client is injected as `webhooks: httpx.AsyncClient`. Without the
declared type the engine cannot tell which function `svc.list(sort)` or `self.trips.page(sort)`
lands in, nor that `self.webhooks.post(url)` sends a request, so a flow stops at the first
injected object. The annotation is the contract the code itself states; nothing is guessed
from names.
"""
from __future__ import annotations

from typing import Mapping

from servicelens import ir
from servicelens.taint.declared_aliases import aliased_type
from servicelens.taint.declared_returns import returned_type
from servicelens.taint.scope import ModuleScope

# wrappers whose first argument is the declared type itself: typing's, and the markers of dependency-injection
# containers that hand the handler an instance of it (dishka's `FromDishka[UserService]`, injector's `Inject[T]`,
# fastapi-injector's `Injected[T]`)
_OPTIONAL = frozenset({"Optional", "typing.Optional", "Annotated", "typing.Annotated", "FromDishka", "dishka.FromDishka",
                       "Inject", "injector.Inject", "Injected", "fastapi_injector.Injected"})


def annotation_tag(scope: ModuleScope, annotation: ir.Expr | None) -> str | None:
    """`class:<qualified>` for a project class, the model's instance tag (`http-client`) for a
    modelled library type, None for anything else (builtins, unions, unknown libraries)."""
    dotted = _class_name(annotation)
    if dotted is None:
        return None
    qualified = scope.qualify(dotted, None, set())
    if scope.declared_aliases:  # `repo: CustomerRepo`, an alias defined here (a module variable) or imported
        aliased = aliased_type(qualified or f"{scope.name}.{dotted}", scope.declared_aliases)
        if aliased is not None:
            qualified = aliased
    if qualified is None:
        return None
    tag = scope.models.instances.get(qualified)
    if tag is not None:
        return tag
    declared = returned_type(qualified, scope.declared_returns) if scope.declared_returns else None
    if declared is not None and declared in scope.models.instances:
        return scope.models.instances[declared]  # `self.http = build_session(token)`, `-> requests.Session`
    last = qualified.rsplit(".", 1)[-1]
    if not last[:1].isupper() or last.isupper() or not scope.is_project_candidate(qualified):
        return None
    return f"class:{qualified}"


def _class_name(annotation: ir.Expr | None) -> str | None:
    """`TripService` for `TripService`, `Optional[TripService]`, `"TripService"`, `TripService | None`,
    `FromDishka[TripService]`."""
    if isinstance(annotation, ir.Const) and isinstance(annotation.value, str):
        text = annotation.value.strip()
        return text if text.replace(".", "").replace("_", "").isalnum() else None
    if isinstance(annotation, ir.Subscript) and ir.dotted_name(annotation.value) in _OPTIONAL:
        inner = annotation.index.elts[0] if isinstance(annotation.index, ir.Seq) and annotation.index.elts \
            else annotation.index
        return _class_name(inner)
    if isinstance(annotation, ir.Opaque) and annotation.kind == "generic_type" and len(annotation.children) == 2 \
            and ir.dotted_name(annotation.children[0]) in _OPTIONAL:
        params = annotation.children[1]  # how a parameter's `FromDishka[TripService]` is lowered
        inner = params.children[0] if isinstance(params, ir.Opaque) and params.children else params
        return _class_name(inner)
    if isinstance(annotation, ir.BinOp) and annotation.op == "|":
        sides = [s for s in (annotation.left, annotation.right)
                 if not (isinstance(s, ir.Const) and s.value is None)]
        return _class_name(sides[0]) if len(sides) == 1 else None
    if isinstance(annotation, (ir.Name, ir.Attr)):
        return ir.dotted_name(annotation)
    return None


def attribute_annotations(cls: ir.ClassDef, methods: Mapping[str, ir.Function]) -> dict[str, ir.Expr]:
    """attribute -> the expression naming its type: a class-level annotation (`trips: TripRepo`,
    dataclass fields), `self.x: T = ...`, `self.x = param` of a typed `__init__` parameter, or
    `self.x = T(...)` built in `__init__` (a JavaScript/TypeScript `constructor`, whose
    `private readonly x: T` parameters are lowered as `this.x = x`), or `self.x = Cls.shared` copied
    from a class-level annotated attribute (a connection or session the instances share)."""
    found: dict[str, ir.Expr] = {}
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and stmt.annotation is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            found.setdefault(stmt.targets[0].id, stmt.annotation)
    init = methods.get(f"{cls.qualname}.__init__") or methods.get(f"{cls.qualname}.constructor")
    if init is None:
        return found
    class_level = dict(found)
    params = {p.name: p.annotation for p in init.params if p.annotation is not None}
    for stmt in ir.walk_stmts(init.body):
        if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1 or stmt.op is not None:
            continue
        target = stmt.targets[0]
        if not (isinstance(target, ir.Attr) and isinstance(target.value, ir.Name) and target.value.id == "self"):
            continue
        declared = stmt.annotation
        if declared is None and isinstance(stmt.value, ir.Name):
            declared = params.get(stmt.value.id)
        if declared is None and isinstance(stmt.value, ir.Call) and isinstance(stmt.value.func, (ir.Name, ir.Attr)):
            declared = stmt.value.func
        if declared is None and isinstance(stmt.value, ir.Attr) and isinstance(stmt.value.value, ir.Name) \
                and stmt.value.value.id in ("self", "cls", cls.name) and stmt.value.attr in class_level:
            declared = class_level[stmt.value.attr]  # `self.http = LabClient._session`, annotated on the class
        if declared is not None:
            found.setdefault(target.attr, declared)
    return found


def class_attribute_tags(scope: ModuleScope) -> dict[str, dict[str, str]]:
    """class qualname -> attribute -> tag, for every class of the module (see `annotation_tag`)."""
    methods = {f.qualname: f for f in scope.module.functions}
    out: dict[str, dict[str, str]] = {}
    for cls in scope.module.classes:
        tags = {attr: tag for attr, annotation in attribute_annotations(cls, methods).items()
                if (tag := annotation_tag(scope, annotation)) is not None}
        if tags:
            out[cls.qualname] = tags
    return out


def member_classes(scope: ModuleScope) -> tuple[tuple[str, str], ...]:
    """(`module.Class.attr`, the project class it holds) for each attribute the module's classes
    declare to hold an instance of a project class (`self.positions = positions` from
    `positions: PositionRepository`). Another module reaches the attribute through an instance
    (`svc.positions.history(...)` where `svc: VehicleService`): resolvers file the pair like a
    class whose one base is the held class, so the call lands in `PositionRepository.history`."""
    memo: tuple[tuple[str, str], ...] = scope.memo("member-classes", lambda: tuple(
        (f"{scope.name}.{owner}.{attr}", tag[6:])
        for owner, tags in scope.memo("declared-attributes", lambda: class_attribute_tags(scope)).items()
        for attr, tag in tags.items() if tag.startswith("class:")))
    return memo
