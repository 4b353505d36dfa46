"""What the models, schemas and serializers of one module look like: which classes are ORM
models (Django, SQLAlchemy, Flask-SQLAlchemy, SQLModel tables), which are request/response
schemas (Pydantic, SQLModel without `table=True`), their field names, and the `Meta` of DRF
serializers and Django model forms.

Shared by mass-assignment (which fields a client must not set) and excessive-data-exposure
(which fields a client must not see). Field lists are read from the class body only, plus
the fields Django's own user classes are known to carry; a model defined in another file is
unknown, and the rules then say less rather than guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex
from servicelens.rules.python._common import const_str, words

_ORM_BASES = frozenset({"Model", "Base", "DeclarativeBase", "AbstractUser", "AbstractBaseUser", "PermissionsMixin",
                        "Document", "DynamicDocument", "TimeStampedModel"})
_SCHEMA_BASES = frozenset({"BaseModel", "Schema", "ModelSchema", "SQLAlchemyAutoSchema", "SQLAlchemySchema"})
# Fields Django's user classes bring with them (django.contrib.auth.models).
_INHERITED = {
    "AbstractBaseUser": ("password", "last_login"),
    "PermissionsMixin": ("is_superuser", "groups", "user_permissions"),
    "AbstractUser": ("password", "last_login", "is_superuser", "groups", "user_permissions", "username",
                     "email", "is_staff", "is_active", "date_joined"),
}
DJANGO_USER_FIELDS = _INHERITED["AbstractUser"]

_PRIVILEGED_WORDS = frozenset({"role", "roles", "admin", "staff", "superuser", "balance", "credit", "credits",
                               "permission", "permissions", "verified", "approved", "owner", "tenant", "org",
                               "organization", "organisation", "premium", "tier", "wallet", "quota", "discount",
                               "price", "privilege", "privileges", "groups"})
_PRIVILEGED_EXACT = frozenset({"user", "user_id", "account_id", "customer_id", "created_by", "is_active", "status"})
_SENSITIVE_WORDS = frozenset({"password", "passwd", "pwd", "secret", "token", "apikey", "ssn", "cvv", "cvc", "salt",
                              "otp", "mfa", "totp", "private", "internal", "hashed", "pin"})


@dataclass(frozen=True, slots=True)
class ModelClass:
    name: str
    line: int
    fields: tuple[str, ...]
    orm: bool  # a table (True) or a validation schema (False)
    # (field, target) of its relation fields; target "user" for the user model
    # (`ForeignKey(settings.AUTH_USER_MODEL)`): a serializer with `depth` nests whole related rows
    relations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MetaSpec:
    """The `class Meta` of a serializer or model form."""

    owner: ir.ClassDef
    kind: str  # "serializer" | "form"
    model: str  # the model's class name as written ("User"), "" if not a plain name
    fields_stmt: ir.Assign | None
    all_fields: bool  # fields = "__all__" (or no `fields`, only `exclude`)
    listed: tuple[str, ...]  # names in `fields` when listed
    exclude: tuple[str, ...]
    read_only: tuple[str, ...]
    write_only: tuple[str, ...]
    depth: int = 0  # DRF `Meta.depth`: relations nested as whole serialised rows, this many levels


def is_privileged(field: str) -> bool:
    """A field a client must not set on itself: role, is_admin, balance, owner ..."""
    return field in _PRIVILEGED_EXACT or bool(_PRIVILEGED_WORDS & set(words(field)))


def is_sensitive(field: str) -> bool:
    """A field a client must not see: password hashes, tokens, secrets, card and identity numbers."""
    parts = set(words(field))
    return bool(parts & _SENSITIVE_WORDS) or "card_number" in field or {"api", "key"} <= parts or \
        {"social", "security"} <= parts


def model_classes(module: ir.Module) -> dict[str, ModelClass]:
    """ORM models and schemas of the module, by class name; bases defined in the module count too.
    Several rules ask it of every file: laid out once per module, each caller gets its own copy."""
    found = module.derived.get(_MODELS_KEY)
    if found is None:
        found = module.derived[_MODELS_KEY] = _model_classes(module)
    return dict(found)  # type: ignore[call-overload]


_MODELS_KEY = "orm-model-classes"


def _model_classes(module: ir.Module) -> dict[str, ModelClass]:
    found: dict[str, ModelClass] = {}
    for cls in sorted(module.classes, key=lambda c: c.line):
        kind = _kind(cls, found)
        if kind is None:
            continue
        inherited = [f for b in cls.bases for f in _INHERITED.get(_last(b), ())]
        inherited += [f for b in cls.bases if _last(b) in found for f in found[_last(b)].fields]
        own = [name for stmt in cls.body if isinstance(stmt, ir.Assign) for name in _field_names(stmt)]
        fields = tuple(dict.fromkeys(inherited + own))
        related = tuple((name, target) for stmt in cls.body if isinstance(stmt, ir.Assign)
                        and (target := _relation_target(stmt.value)) for name in _field_names(stmt))
        inherited_related = tuple(r for b in cls.bases if _last(b) in found for r in found[_last(b)].relations)
        found[cls.name] = ModelClass(cls.name, cls.line, fields, kind == "orm", inherited_related + related)
    return found


def _kind(cls: ir.ClassDef, known: dict[str, ModelClass]) -> str | None:
    names = [_last(b) for b in cls.bases]
    if "SQLModel" in names:
        table = next((k.value for k in cls.keywords if k.name == "table"), None)
        return "orm" if isinstance(table, ir.Const) and table.value is True else "schema"
    if any(n in known for n in names):
        return "orm" if any(known[n].orm for n in names if n in known) else "schema"
    if any(n in _SCHEMA_BASES for n in names):
        return "schema"
    if any(n in _ORM_BASES for n in names) or _declares_columns(cls):
        return "orm"
    return None


def _declares_columns(cls: ir.ClassDef) -> bool:
    """`models.CharField(...)`, `db.Column(...)`, `mapped_column(...)` in the body: a model whose base
    (`ModelWithMetadata`, `TimestampMixin`) is defined in another file."""
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call):
            name = ir.dotted_name(stmt.value.func) or ""
            last = name.rsplit(".", 1)[-1]
            if last in ("Column", "mapped_column", "ForeignKey", "OneToOneField", "ManyToManyField") or \
                    name.startswith("models.") and last.endswith("Field"):
                return True
    return False


_RELATIONS = frozenset({"ForeignKey", "OneToOneField", "ManyToManyField"})
# how a Django model names the user model as a relation target
_USER_TARGETS = frozenset({"AUTH_USER_MODEL", "User", "get_user_model", "auth.User"})


def _relation_target(value: ir.Expr | None) -> str:
    """The model a relation field points at (its class name), "user" for the user model
    (`ForeignKey(settings.AUTH_USER_MODEL)`, `OneToOneField(User)`, `ForeignKey(get_user_model())`,
    `ForeignKey("auth.User")`), "" when the value is no relation."""
    if not isinstance(value, ir.Call) or _last(value.func) not in _RELATIONS:
        return ""
    target = value.arg(0, "to")
    if isinstance(target, ir.Const) and isinstance(target.value, str):
        name = target.value.rsplit(".", 1)[-1]
    elif target is not None:
        name = _last(target.func if isinstance(target, ir.Call) else target)
    else:
        return ""
    return "user" if name in _USER_TARGETS else name


def _field_names(stmt: ir.Assign) -> list[str]:
    out = []
    for target in stmt.targets:
        if isinstance(target, ir.Name) and not target.id.startswith("_") and target.id not in (
                "objects", "Meta", "model_config", "Config", "REQUIRED_FIELDS", "USERNAME_FIELD", "EMAIL_FIELD"):
            if not target.id.isupper():
                out.append(target.id)
    return out


def meta_specs(module: ir.Module) -> list[MetaSpec]:
    """Every DRF ModelSerializer / HyperlinkedModelSerializer and Django ModelForm `Meta` in the module."""
    by_name = {c.qualname: c for c in module.classes}
    out = []
    for cls in module.classes:
        kind = _serializer_kind(cls, by_name)
        meta = by_name.get(f"{cls.qualname}.Meta")
        if kind is None or meta is None:
            continue
        values = {t.id: s for s in meta.body if isinstance(s, ir.Assign) for t in s.targets if isinstance(t, ir.Name)}
        fields_stmt = values.get("fields")
        model = values["model"].value if "model" in values else None
        fields_value = fields_stmt.value if fields_stmt else None
        extra = values["extra_kwargs"].value if "extra_kwargs" in values else None
        # marshmallow-sqlalchemy's auto schemas generate a field for every column unless `fields` lists them
        auto = kind == "serializer" and _auto_schema(cls, by_name)
        all_fields = const_str(fields_value) == "__all__" or (fields_stmt is None and ("exclude" in values or auto))
        out.append(MetaSpec(
            owner=cls, kind=kind, model=_last(model) if model is not None else "",
            fields_stmt=fields_stmt or values.get("exclude") or (values.get("model") if auto else None),
            all_fields=all_fields,
            listed=_names(fields_value), exclude=_names(values["exclude"].value if "exclude" in values else None),
            read_only=_names(values["read_only_fields"].value if "read_only_fields" in values else None)
            + _extra(extra, "read_only"),
            write_only=_extra(extra, "write_only") + _names(values["load_only"].value if "load_only" in values else None),
            depth=_depth(values.get("depth")),
        ))
    return out


def _depth(stmt: ir.Assign | None) -> int:
    value = stmt.value if stmt is not None else None
    return value.value if isinstance(value, ir.Const) and isinstance(value.value, int) \
        and not isinstance(value.value, bool) else 0


def _serializer_kind(cls: ir.ClassDef, by_name: dict[str, ir.ClassDef],
                     seen: frozenset[str] = frozenset()) -> str | None:
    """`seen`: the classes already on the way up. Bases are matched by their last name, so a module
    may close a loop (`class BaseAPIView(views.APIView)` beside its own `class APIView(BaseAPIView)`)."""
    seen = seen | {cls.qualname}
    for base in cls.bases:
        name = _last(base)
        if name in ("ModelSerializer", "HyperlinkedModelSerializer") or name in _AUTO_SCHEMAS:
            return "serializer"
        if name == "ModelForm":
            return "form"
        parent = by_name.get(name)
        if parent is not None and parent.qualname not in seen:
            found = _serializer_kind(parent, by_name, seen)
            if found is not None:
                return found
    return None


# marshmallow-sqlalchemy (also through Flask-Marshmallow's `ma.`): a schema generated from the model
_AUTO_SCHEMAS = frozenset({"SQLAlchemyAutoSchema", "ModelSchema", "TableSchema"})


def _auto_schema(cls: ir.ClassDef, by_name: dict[str, ir.ClassDef], seen: frozenset[str] = frozenset()) -> bool:
    seen = seen | {cls.qualname}  # a loop of last names ends (see _serializer_kind)
    for base in cls.bases:
        parent = by_name.get(_last(base))
        if _last(base) in _AUTO_SCHEMAS or (parent is not None and parent.qualname not in seen
                                            and _auto_schema(parent, by_name, seen)):
            return True
    return False


def _names(expr: ir.Expr | None) -> tuple[str, ...]:
    if isinstance(expr, ir.Seq):
        return tuple(v for v in (const_str(e) for e in expr.elts) if v)
    return ()


def _extra(expr: ir.Expr | None, flag: str) -> tuple[str, ...]:
    """Fields with `flag` (write_only / read_only) set in `extra_kwargs = {"password": {"write_only": True}}`."""
    if not isinstance(expr, ir.DictExpr):
        return ()
    out = []
    for key, value in zip(expr.keys, expr.values):
        name = const_str(key) if key is not None else None
        if name and isinstance(value, ir.DictExpr) and any(
                const_str(k) == flag and isinstance(v, ir.Const) and v.value is True
                for k, v in zip(value.keys, value.values) if k is not None):
            out.append(name)
    return tuple(out)


def _last(expr: ir.Expr | None) -> str:
    if expr is None:
        return ""
    if isinstance(expr, ir.Call):  # get_user_model()
        return _last(expr.func)
    if isinstance(expr, ir.Attr):
        return expr.attr
    return (ir.dotted_name(expr) or "").rsplit(".", 1)[-1]


def known_fields(model: str, classes: dict[str, ModelClass], imports: dict[str, str]) -> tuple[str, ...] | None:
    """Fields of `model`: from the module, or Django's own `User` / `get_user_model()`."""
    if model in classes:
        return classes[model].fields
    target = imports.get(model, "")
    if model == "get_user_model" or target == "django.contrib.auth.models.User":
        return DJANGO_USER_FIELDS
    return None


# ---------------------------------------------------------------- cross-file facts

@dataclass(frozen=True, slots=True)
class MetaFact:
    """A serializer/form `Meta`, reduced to what the cross-file step needs (picklable, cached per file)."""

    path: str
    line: int
    end_line: int
    owner: str
    kind: str
    model: str
    all_fields: bool
    listed: tuple[str, ...]
    hidden: tuple[str, ...]  # never in the output: exclude, write_only
    protected: tuple[str, ...]  # never taken from the input: exclude, read_only, set by the server
    used_for_writes: bool
    local_fields: tuple[str, ...] | None  # fields when the model is visible from this file
    depth: int = 0  # DRF `Meta.depth`
    declared: tuple[str, ...] = ()  # fields the serializer declares itself: they replace what `depth` nests


@dataclass(frozen=True, slots=True)
class ModelFacts:
    models: tuple[ModelClass, ...]
    metas: tuple[MetaFact, ...]


def project_relations(per_file: dict[str, object]) -> dict[str, tuple[tuple[str, str], ...]]:
    """ORM model class name -> its (relation field, target model) pairs, over the project."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for _, facts in sorted(per_file.items()):
        if isinstance(facts, ModelFacts):
            for model in facts.models:
                if model.orm and model.relations:
                    out[model.name] = tuple(dict.fromkeys(out.get(model.name, ()) + model.relations))
    return out


def project_fields(per_file: dict[str, object]) -> dict[str, tuple[str, ...]]:
    """ORM model fields by class name over the whole project; a name defined twice gets the union
    (over-approximating is the safe side for naming fields, never for reporting alone)."""
    out: dict[str, tuple[str, ...]] = {}
    for _, facts in sorted(per_file.items()):
        if isinstance(facts, ModelFacts):
            for model in facts.models:
                if model.orm:
                    out[model.name] = tuple(dict.fromkeys(out.get(model.name, ()) + model.fields))
    return out


def fields_of(meta: MetaFact, project: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    if meta.local_fields is not None:
        return meta.local_fields
    return project.get(meta.model)


_WRITE_VIEWS = re.compile(r"(ModelViewSet|Create\w*View|Update\w*View|ListCreate\w*|RetrieveUpdate\w*|"
                          r"CreateModelMixin|UpdateModelMixin)$")


def meta_facts(module: ir.Module, imports: dict[str, str], index: FileIndex) -> Iterator[MetaFact]:
    classes = model_classes(module)
    server_set = _saved_by_server(module, index)
    # `User = get_user_model()` at module level: Django's user model under a local name
    user_aliases = {t.id for stmt in module.body if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call)
                    and _last(stmt.value.func) == "get_user_model" for t in stmt.targets if isinstance(t, ir.Name)}
    for meta in meta_specs(module):
        if meta.fields_stmt is None:
            continue
        stmt = meta.fields_stmt
        yield MetaFact(
            path=module.path, line=stmt.line, end_line=stmt.end_line, owner=meta.owner.name, kind=meta.kind,
            model=meta.model, all_fields=meta.all_fields, listed=meta.listed,
            hidden=tuple(sorted(set(meta.exclude) | set(meta.write_only) | _declared(meta.owner, "write_only"))),
            protected=tuple(sorted(set(meta.exclude) | set(meta.read_only) | _declared(meta.owner, "read_only")
                                   | server_set)),
            used_for_writes=meta.kind == "form" or _used_for_writes(module, meta.owner.name, index)
            or _writes_itself(meta.owner),
            local_fields=known_fields("get_user_model" if meta.model in user_aliases else meta.model, classes, imports),
            depth=meta.depth,
            declared=tuple(name for stmt in meta.owner.body if isinstance(stmt, ir.Assign) for name in _field_names(stmt)),
        )


def _saved_by_server(module: ir.Module, index: FileIndex) -> set[str]:
    """`serializer.save(owner=request.user)` / `form.instance.owner = ...`: the server sets these fields,
    whatever the client sent."""
    out: set[str] = set()
    for function in module.functions:
        for node in _calls_to("save", function.body, index):
            out.update(kw.name for kw in node.kwargs if kw.name)
    return out


def _calls_to(name: str, body: tuple[ir.Stmt, ...], index: FileIndex) -> tuple[ir.Call, ...]:
    """Calls in `body` whose callee `_last` names `name`, in no particular order: `x.save()`,
    and also `x.save()(...)`, which `_last` reads through the inner call."""
    chained = tuple(c for c in index.block_of_kind(body, ir.Call) if type(c.func) is ir.Call and _last(c.func) == name)
    return index.calls_named(name, body) + chained


def _declared(cls: ir.ClassDef, flag: str) -> set[str]:
    """Serializer fields declared on the class with `read_only=True` / `write_only=True`."""
    out = set()
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call):
            value = stmt.value.kwarg(flag)
            if isinstance(value, ir.Const) and value.value is True or _last(stmt.value.func) in (
                    "SerializerMethodField", "ReadOnlyField", "HiddenField") and flag == "read_only":
                out.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return out


def _writes_itself(cls: ir.ClassDef) -> bool:
    """A serializer that defines `create` / `update` is written through, wherever it is used."""
    return any(m.rsplit(".", 1)[-1] in ("create", "update") for m in cls.methods)


def _used_for_writes(module: ir.Module, serializer: str, index: FileIndex) -> bool:
    """`Serializer(data=...)` in the module, or `serializer_class = Serializer` on a writable view."""
    for function in module.functions:
        if any(node.kwarg("data") is not None for node in _calls_to(serializer, function.body, index)):
            return True
    for cls in module.classes:
        if not any(_WRITE_VIEWS.search(_last(b)) for b in cls.bases):
            continue
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == "serializer_class"
                                                   for t in stmt.targets) and _last(stmt.value) == serializer:
                return True
    return False
