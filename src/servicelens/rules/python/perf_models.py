"""ORM model definitions read off the IR: Django models and SQLAlchemy/SQLModel classes.

The N+1 rule needs to know which attributes are lazy relations; the index rule needs to
know which columns carry an index. Both come from the model classes, which usually live
in another file than the query, so they travel as small frozen facts into `combine`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.rules.python._common import const_str
from servicelens.taint.scope import ModuleScope

_DJANGO_REL = {"ForeignKey": "fk", "OneToOneField": "o2o", "ManyToManyField": "m2m", "ParentalKey": "fk",
               "TreeForeignKey": "fk", "GenericRelation": "m2m", "ParentalManyToManyField": "m2m"}
# field classes the ORM indexes unless told not to, each with the keyword that turns the index off:
# Django indexes slugs and every foreign key (`db_index=False`); peewee's `ForeignKeyField` sets
# `index=True` itself. SQLAlchemy/SQLModel foreign keys carry no index unless asked (`_indexed`).
_INDEXED_BY_DEFAULT = {"SlugField": "db_index", "ForeignKey": "db_index", "OneToOneField": "db_index",
                       "TreeForeignKey": "db_index", "ParentalKey": "db_index", "AutoField": "db_index",
                       "BigAutoField": "db_index", "UUIDField_pk": "db_index", "ForeignKeyField": "index"}
_SA_REL = {"relationship", "Relationship", "relation"}
_SA_COL = {"Column", "mapped_column", "Field"}


@dataclass(frozen=True, slots=True)
class ModelField:
    name: str
    kind: str  # fk | o2o | m2m | rel (SQLAlchemy relationship) | column
    target: str  # related model as written ("Customer", "app.Customer") for relations
    related_name: str
    indexed: bool
    lazy: str  # SQLAlchemy relationship loading strategy ("select" by default)
    line: int
    low_cardinality: bool = False  # boolean, or a closed set of values (choices=, Enum): an index rarely pays
    references: bool = False  # a SQLAlchemy/SQLModel column with a foreign-key constraint
    unique: bool = False  # the database keeps it unique (primary key, unique=True, one-to-one)


@dataclass(frozen=True, slots=True)
class ModelFact:
    qualname: str  # module.Class
    name: str
    orm: str  # django | sqlalchemy
    fields: tuple[ModelField, ...]
    index_leads: tuple[str, ...]  # first column of every Meta index / unique constraint
    bases: tuple[str, ...]
    path: str
    line: int
    table: str = ""  # __tablename__ / Meta.db_table / Django's default "<app>_<model>"
    managed: bool = True  # False: Meta.managed is not True, the schema is owned elsewhere

    def field(self, name: str) -> ModelField | None:
        return next((f for f in self.fields if f.name == name), None)


def shared_models(module: ir.Module, scope: ModuleScope) -> tuple[ModelFact, ...]:
    """`models_of` once per file, shared by the rules that ask (n-plus-one, missing-index,
    unbounded-query, object-level authorization)."""
    return scope.memo("perf_models.models_of", lambda: models_of(module, scope))


def models_of(module: ir.Module, scope: ModuleScope) -> tuple[ModelFact, ...]:
    classes = {c.qualname: c for c in module.classes}
    out = []
    for cls in module.classes:
        fields = tuple(_fields(cls, scope))
        orm = _orm(cls, fields)
        if orm is None:
            continue
        meta = classes.get(f"{cls.qualname}.Meta")
        if orm == "sqlalchemy":
            fields += tuple(_plain_columns(cls, {f.name for f in fields}))
        leads = tuple(_index_leads(meta)) + tuple(_table_args_leads(cls))
        bases = tuple(scope.qualify(ir.dotted_name(b) or "", None, set()) or (ir.dotted_name(b) or "") for b in cls.bases)
        out.append(ModelFact(f"{module.module_name}.{cls.qualname}", cls.name, orm, fields, leads, bases,
                             module.path, cls.line, _table(cls, meta, orm, module.path), _managed(meta)))
    return tuple(out)


def _orm(cls: ir.ClassDef, fields: tuple[ModelField, ...]) -> str | None:
    bases = " ".join(ir.dotted_name(b) or "" for b in cls.bases)
    body_names = {t.id for s in cls.body if isinstance(s, ir.Assign) for t in s.targets if isinstance(t, ir.Name)}
    if "__tablename__" in body_names or any(k.name == "table" for k in cls.keywords) or "Base" in bases:
        return "sqlalchemy" if fields or "__tablename__" in body_names else None
    if "Model" in bases or (fields and any(f.kind in ("fk", "o2o", "m2m") for f in fields)):
        return "django"
    return None


def _fields(cls: ir.ClassDef, scope: ModuleScope) -> Iterator[ModelField]:
    for stmt in cls.body:
        if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name):
            continue
        name = stmt.targets[0].id
        call = stmt.value
        if not isinstance(call, ir.Call):
            continue
        func = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
        if func in _DJANGO_REL:
            yield ModelField(name, _DJANGO_REL[func], _target(call.arg(0, "to")), const_str(call.kwarg("related_name")) or "",
                             not _false(call.kwarg("db_index")), "", stmt.line,
                             unique=_DJANGO_REL[func] == "o2o" or _unique(call))
        elif func in _SA_REL:
            lazy = const_str(call.kwarg("lazy")) or _sa_kwargs_lazy(call) or "select"
            yield ModelField(name, "rel", _target(call.arg(0, "argument")), const_str(call.kwarg("back_populates")) or "",
                             False, lazy, stmt.line)
        elif func.endswith("Field") or func in _SA_COL:
            yield ModelField(name, "column", "", "", _indexed(func, call), "", stmt.line,
                             _low_cardinality(func, call, stmt.annotation), _references(call), _unique(call))


# few distinct values, or values a B-tree index does not serve (JSON documents, arrays)
_LOW_CARD_TYPES = frozenset({"BooleanField", "NullBooleanField", "Boolean", "Enum", "bool", "JSONField", "JSON",
                             "JSONB", "ArrayField", "ARRAY", "HStoreField", "SearchVectorField"})


def _unique(call: ir.Call) -> bool:
    return _true(call.kwarg("unique")) or _true(call.kwarg("primary_key"))


def _low_cardinality(func: str, call: ir.Call, annotation: ir.Expr | None) -> bool:
    """Booleans and enumerated columns: a few distinct values, so an index alone rarely helps."""
    if func in _LOW_CARD_TYPES or call.kwarg("choices") is not None:
        return True
    typed = [call.args[0]] if func in ("Column", "mapped_column") and call.args else []
    names = {n.id if isinstance(n, ir.Name) else n.attr for e in typed + ([annotation] if annotation else [])
             for n in ir.walk_expr(e) if isinstance(n, (ir.Name, ir.Attr))}
    return bool(names & _LOW_CARD_TYPES)


def _plain_columns(cls: ir.ClassDef, known: set[str]) -> Iterator[ModelField]:
    """SQLModel `name: str | None = None` and SQLAlchemy 2 `name: Mapped[str]`: columns with no index."""
    for stmt in cls.body:
        if not isinstance(stmt, ir.Assign) or stmt.annotation is None or len(stmt.targets) != 1:
            continue
        target = stmt.targets[0]
        if not isinstance(target, ir.Name) or target.id in known or target.id.startswith("_") \
                or isinstance(stmt.value, ir.Call):
            continue
        names = {n.id for n in ir.walk_expr(stmt.annotation) if isinstance(n, ir.Name)}
        if names & {"ClassVar", "relationship", "Relationship"}:
            continue
        yield ModelField(target.id, "column", "", "", False, "", stmt.line, "bool" in names)


def _managed(meta: ir.ClassDef | None) -> bool:
    for stmt in meta.body if meta else ():
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "managed" for t in stmt.targets):
            return _true(stmt.value)
    return True


def _table(cls: ir.ClassDef, meta: ir.ClassDef | None, orm: str, path: str) -> str:
    """The table name migrations and SQL refer to."""
    for stmt in (meta.body if meta else ()) + cls.body:
        if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id in ("__tablename__", "db_table")
                                               for t in stmt.targets):
            return const_str(stmt.value) or ""
    if orm == "sqlalchemy":
        return cls.name.lower()  # SQLModel's default
    parts = path.split("/")
    app = parts[-3] if parts[-2:-1] == ["models"] and len(parts) > 2 else (parts[-2] if len(parts) > 1 else "")
    return f"{app}_{cls.name.lower()}"


def _target(expr: ir.Expr | None) -> str:
    if expr is None:
        return ""
    return const_str(expr) or ir.dotted_name(expr) or ""


def _false(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is False


def _true(expr: ir.Expr | None) -> bool:
    return isinstance(expr, ir.Const) and expr.value is True


def _indexed(func: str, call: ir.Call) -> bool:
    if any(_true(call.kwarg(k)) for k in ("db_index", "unique", "primary_key", "index")):
        return True
    if call.kwarg("foreign_key") is not None:
        return False  # SQLModel foreign keys carry no index unless asked
    if any(isinstance(a, ir.Call) and (ir.dotted_name(a.func) or "").endswith("ForeignKey") for a in call.args):
        return False
    return func in _INDEXED_BY_DEFAULT and not _false(call.kwarg(_INDEXED_BY_DEFAULT[func]))


def _references(call: ir.Call) -> bool:
    """`Column(Integer, ForeignKey("users.id"))`, `mapped_column(ForeignKey(...))`, `Field(foreign_key=...)`."""
    return call.kwarg("foreign_key") is not None or any(
        isinstance(a, ir.Call) and (ir.dotted_name(a.func) or "").endswith("ForeignKey") for a in call.args)


def _sa_kwargs_lazy(call: ir.Call) -> str:
    """SQLModel: Relationship(sa_relationship_kwargs={"lazy": "selectin"})."""
    kwargs = call.kwarg("sa_relationship_kwargs")
    if isinstance(kwargs, ir.DictExpr):
        for key, value in zip(kwargs.keys, kwargs.values):
            if const_str(key) == "lazy":
                return const_str(value) or ""
    return ""


def _index_leads(meta: ir.ClassDef | None) -> Iterator[str]:
    """First field of each Meta index/constraint (a composite index serves filters on its lead)."""
    if meta is None:
        return
    for stmt in meta.body:
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        target = stmt.targets[0] if stmt.targets else None
        name = target.id if isinstance(target, ir.Name) else ""
        if name in ("indexes", "constraints"):
            for node in ir.walk_expr(stmt.value):
                if isinstance(node, ir.Call):
                    fields = node.kwarg("fields")
                    if isinstance(fields, ir.Seq) and fields.elts:
                        yield (const_str(fields.elts[0]) or "").lstrip("-")
                    elif node.args and not fields and (ir.dotted_name(node.func) or "").endswith(("Index", "Constraint")):
                        yield _expression_lead(node.args[0])
        elif name in ("unique_together", "index_together") and isinstance(stmt.value, ir.Seq):
            first = stmt.value.elts[0] if stmt.value.elts else None
            group = first if isinstance(first, ir.Seq) else stmt.value
            for seq in (stmt.value.elts if isinstance(first, ir.Seq) else (group,)):
                if isinstance(seq, ir.Seq) and seq.elts:
                    yield const_str(seq.elts[0]) or ""


def _expression_lead(expr: ir.Expr) -> str:
    """`Index(Upper("email"), ...)` serves `email__iexact` ("upper:email"); `Index(F("x"))` serves x."""
    if isinstance(expr, ir.Call) and expr.args:
        func = (ir.dotted_name(expr.func) or "").rsplit(".", 1)[-1]
        inner = const_str(expr.args[0]) or (const_str(expr.args[0].args[0]) if isinstance(expr.args[0], ir.Call)
                                             and expr.args[0].args else None) or ""
        if func in ("Upper", "Lower"):
            return f"upper:{inner}"
        return inner if func == "F" else ""
    return (const_str(expr) or "").lstrip("-")


def _table_args_leads(cls: ir.ClassDef) -> Iterator[str]:
    """SQLAlchemy __table_args__ = (Index("ix", "col", ...), UniqueConstraint("col", ...))."""
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                isinstance(t, ir.Name) and t.id == "__table_args__" for t in stmt.targets):
            for node in ir.walk_expr(stmt.value):
                if isinstance(node, ir.Call):
                    func = (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1]
                    strings = [const_str(a) for a in node.args if const_str(a)]
                    if func == "Index" and len(strings) >= 2:
                        yield strings[1] or ""
                    elif func in ("UniqueConstraint", "PrimaryKeyConstraint") and strings:
                        yield strings[0] or ""
