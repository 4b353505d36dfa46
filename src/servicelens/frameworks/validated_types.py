"""Parameter types FastAPI/pydantic parse strictly: what reaches the handler cannot spell a path,
a query, markup or a line break.

`int`, a UUID, `Literal[...]`, an enum's members, a string that must match a plain anchored
pattern (frameworks.constrained_text), and the aliases a project names them by: its own module's
(`ItemId = Annotated[str, Path(pattern=r"^[a-z0-9-]+$")]`) and, through `imported`, another
module's (frameworks.project_types reads them from every file before the per-file pass).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from servicelens import ir
from servicelens.frameworks.constrained_text import constrains_text

SCALAR_TYPES = frozenset({
    "int", "float", "bool", "UUID", "UUID1", "UUID3", "UUID4", "UUID5", "Decimal", "datetime", "date", "time",
    "timedelta", "PositiveInt", "NegativeInt", "NonNegativeInt", "NonPositiveInt", "PositiveFloat",
    "NonNegativeFloat", "StrictInt", "StrictBool", "StrictFloat", "conint", "confloat", "condecimal", "None",
})
_WRAPPERS = frozenset({"Optional", "Union", "list", "List", "set", "Set", "frozenset", "FrozenSet", "tuple",
                       "Tuple", "Sequence"})
# Django's `TextChoices`/`IntegerChoices` are enums too: `Kind(value)` raises unless it names a member
ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "IntFlag", "Flag", "TextChoices", "IntegerChoices"})


def _nowhere(_dotted: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class KnownTypes:
    """The names an annotation may use for a validated value: the module's own enums and aliases
    (by name), and a test of a dotted name as written in the module (`AgentId`, `ids.AgentId`,
    `id_path` of a call) against what other modules of the project define."""

    local: frozenset[str] = frozenset()
    imported: Callable[[str], bool] = field(default=_nowhere)

    def names(self, dotted: str) -> bool:
        return dotted.rsplit(".", 1)[-1] in self.local or self.imported(dotted)


def constrains(expr: ir.Expr | None, known: KnownTypes) -> bool:
    """A constraint call with a plain anchored pattern (`Path(pattern=...)`), or a call of a
    project function that returns one (`id_path()` with `def id_path(): return Path(pattern=...)`)."""
    return constrains_text(expr) or isinstance(expr, ir.Call) and known.imported(ir.dotted_name(expr.func) or "")


def validated_scalar(annotation: ir.Expr, known: KnownTypes) -> bool:
    """`int`, `UUID4 | None`, `list[int]`, `Annotated[int, Path(gt=0)]`, an Enum, a known alias."""
    if isinstance(annotation, ir.Const):
        return annotation.value is None
    if isinstance(annotation, ir.Call):  # conint(gt=0), constr(pattern=r"^[a-z]+$")
        return constrains(annotation, known) or validated_scalar(annotation.func, known)
    if isinstance(annotation, ir.BinOp) and annotation.op == "|":
        return validated_scalar(annotation.left, known) and validated_scalar(annotation.right, known)
    generic = generic_parts(annotation)
    if generic is not None:
        outer, items = generic
        if outer == "Annotated":  # `Annotated[str, Path(pattern=...)]` is constrained by its metadata
            return bool(items) and (validated_scalar(items[0], known) or any(constrains(i, known) for i in items[1:]))
        if outer == "Literal":
            return True
        if outer in _WRAPPERS:
            return bool(items) and all(validated_scalar(item, known) for item in items)
        return False
    dotted = ir.dotted_name(annotation) or ""
    return dotted.rsplit(".", 1)[-1] in SCALAR_TYPES or known.names(dotted)


def generic_parts(annotation: ir.Expr) -> tuple[str, tuple[ir.Expr, ...]] | None:
    """`Optional[int]` -> ("Optional", (int,)), whether lowered as a subscript or as a type node."""
    if isinstance(annotation, ir.Subscript):
        index = annotation.index
        items = index.elts if isinstance(index, ir.Seq) else (index,)
        return (ir.dotted_name(annotation.value) or "").rsplit(".", 1)[-1], tuple(items)
    if isinstance(annotation, ir.Opaque) and annotation.kind == "generic_type" and len(annotation.children) == 2:
        outer, params = annotation.children
        items = params.children if isinstance(params, ir.Opaque) else (params,)
        return (ir.dotted_name(outer) or "").rsplit(".", 1)[-1], tuple(items)
    return None


def module_validated_names(module: ir.Module, imported: Callable[[str], bool] = _nowhere) -> frozenset[str]:
    """Names of this module a parameter typed with only takes validated values: its enums (only
    their members) and its type aliases of a validated type (`ItemId = Annotated[str,
    Path(pattern=r"^[a-z0-9-]+$")]`, `Slug = constr(pattern=...)`, `Ids = list[UUID]`,
    `type Code = ...`), an alias of another module's alias included."""
    enums = {cls.name for cls in module.classes
             if {(ir.dotted_name(b) or "").rsplit(".", 1)[-1] for b in cls.bases} & ENUM_BASES}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name) and not isinstance(stmt.value, ir.Const) \
                and validated_scalar(stmt.value, KnownTypes(frozenset(enums), imported)):
            enums.add(stmt.targets[0].id)
    return frozenset(enums)
