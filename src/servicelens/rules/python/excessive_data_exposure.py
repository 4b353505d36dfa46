"""Excessive data exposure: a whole model, password hash and internal fields included, sent to
the client.

## What it finds
- DRF `ModelSerializer` with `fields = "__all__"`, an `exclude`, or an explicit list that
  includes sensitive fields (password, password_hash, token, secret, api_key, ssn, card
  number, internal notes ...) that are not `write_only`, when the model's fields are visible
  (model in the same module, or Django's own `User`);
- a DRF `ModelSerializer` whose `Meta.depth` nests a relation path to the user model
  (`ForeignKey(settings.AUTH_USER_MODEL)`, `OneToOneField(User)`, through other models of the
  project up to `depth` levels): DRF serialises each nested row with every field, so the user's
  password hash, email and staff flags go out with every object (a field the serializer declares
  itself, an excluded or unlisted relation, is not nested);
- in a request handler, a model instance dumped whole into the response:
  `jsonify(user.__dict__)`, `vars(account)`, `model_to_dict(user)` without `fields=`,
  `{c.name: getattr(user, c.name) for c in User.__table__.columns}` (or `_meta.fields`),
  `serializers.serialize("json", User.objects.all())` without `fields=`,
  `User.objects.values()` / `.values_list()` with no column names, `dict(row)` of a
  `SELECT *` user row;
- a FastAPI path operation that returns an ORM object with a sensitive column while having no
  `response_model` (or using the ORM/table model itself as the response model).

## Why it matters
The client receives every column, including ones the UI never shows: password hashes (cracked
offline), reset and API tokens (account takeover), SSNs and card data (a reportable breach),
staff notes. "The front end hides it" is not access control: anyone can read the JSON.

## Example
```python
class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = "__all__"
```
Use instead:
```python
        fields = ["id", "username", "first_name", "last_name"]
```

## Fix
Serialise through an explicit allow-list: a serializer/schema listing the public fields, a
FastAPI `response_model=UserPublic`, `model_to_dict(obj, fields=[...])`.

## Known problems
Sensitive fields are judged by name. Models defined in another file are unknown, so a
serializer of such a model is not reported (false negative). `__dict__` / `model_to_dict`
dumps are reported only for user-like objects or models with visible sensitive fields.
A custom `to_dict()` / `to_json()` method is not looked into.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.fixcode import strip_comment
from servicelens.fixcode.exposure import only_public, public_name, public_serializer_meta
from servicelens.fixcode.routes import Handler, def_header, own_decorators, with_response_model
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, contribution
from servicelens.rules.python import _access as access
from servicelens.rules.python import _orm as orm
from servicelens.rules.python._common import const_str, is_test_path
from servicelens.taint.scope import ModuleScope

_USERISH = frozenset({"user", "account", "customer", "member", "profile", "employee", "admin", "person", "staff",
                      "patient", "credential", "login", "usr"})
_STORAGE_WORDS = frozenset({"db", "in", "orm", "table", "model", "entity", "record", "row"})
_RESPONSES = frozenset({"jsonify", "JsonResponse", "Response", "make_response", "JSONResponse", "HttpResponse",
                        "dumps", "ORJSONResponse", "UJSONResponse"})
_SELECT_STAR = re.compile(r"(?is)\bselect\s+\*\s+from\b")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or "migrations/" in module.path:
        return
    classes = orm.model_classes(module)
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None:
            continue
        yield from _dumps(module, function, classes, file_index(module, scope))
        if handler.framework == "fastapi":
            yield from _fastapi_returns(module, function, classes)


# ---------------------------------------------------------------- serializers

_NOTHING = orm.ModelFacts((), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> orm.ModelFacts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> orm.ModelFacts:
    """This file's models and serializer `Meta`s; judged in `combine`, where every file's models are known."""
    if is_test_path(module.path):
        return orm.ModelFacts((), ())
    return orm.ModelFacts(tuple(orm.model_classes(module).values()), tuple(orm.meta_facts(module, dict(scope.imports), file_index(module, scope))))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    project = orm.project_fields(dict(per_file))
    relations = orm.project_relations(dict(per_file))
    for _, facts in sorted(per_file.items()):
        if isinstance(facts, orm.ModelFacts):
            for meta in facts.metas:
                if meta.kind == "serializer":
                    found = list(_serializer(meta, project))
                    yield from found or _nested_users(meta, relations)


def _serializer(meta: orm.MetaFact, project: dict[str, tuple[str, ...]]) -> Iterator[Finding]:
    known = orm.fields_of(meta, project)
    candidates = meta.listed or (known if meta.all_fields else None)
    sensitive = tuple(f for f in candidates or () if orm.is_sensitive(f) and f not in meta.hidden)
    if sensitive:
        yield _finding(meta.path, meta.line, meta.end_line, f"{meta.owner} serialises {_spell(sensitive)}",
                       f"The serializer `{meta.owner}` puts {_spell(sensitive)} of every {meta.model or 'object'} "
                       "into its output", f"{meta.owner}:{','.join(sensitive)}",
                       _serializer_fix(meta, candidates or (), sensitive))


def _nested_users(meta: orm.MetaFact, relations: dict[str, tuple[tuple[str, str], ...]]) -> Iterator[Finding]:
    """DRF `Meta.depth = n` serialises each relation, `n` levels down, as a nested ModelSerializer with
    every field of the related model: reaching the user model hands out the user's password hash,
    email and staff flags with every object."""
    if meta.depth < 1:
        return
    nested = tuple(path for path in _paths_to_user(meta.model, relations, meta.depth)
                   if path.split(".")[0] not in meta.hidden + meta.declared
                   and (meta.all_fields or path.split(".")[0] in meta.listed))
    if nested:
        yield _finding(meta.path, meta.line, meta.end_line,
                       f"{meta.owner} nests the whole user row of {_spell(nested)} (depth={meta.depth})",
                       f"`depth = {meta.depth}` makes `{meta.owner}` serialise {_spell(nested)} as a nested serializer "
                       "with every field of the user model, including its password hash, email and staff flags",
                       f"{meta.owner}:depth:{','.join(nested)}",
                       Fix("Drop `depth` and declare the nested relation with a serializer that lists public fields "
                           f"(`{nested[0]} = PublicUserSerializer(read_only=True)`).", "", ""))


def _paths_to_user(model: str, relations: dict[str, tuple[tuple[str, str], ...]], depth: int) -> tuple[str, ...]:
    """`enrollment.user`: relation paths of at most `depth` steps from `model` to the user model."""
    found: list[str] = []
    frontier = [(model, "")]
    for _ in range(depth):
        step = []
        for current, prefix in frontier:
            for field, target in relations.get(current, ()):
                path = f"{prefix}{field}"
                if target == "user":
                    found.append(path)
                elif target != current:
                    step.append((target, path + "."))
        frontier = step
    return tuple(dict.fromkeys(found))


def _serializer_fix(meta: orm.MetaFact, candidates: tuple[str, ...], sensitive: tuple[str, ...]) -> Fix:
    withheld = tuple(dict.fromkeys(sensitive + meta.hidden))
    public = tuple(f for f in candidates if f not in withheld)
    if meta.all_fields and "id" not in public:
        public = ("id", *public)  # `__all__` includes the implicit primary key
    code = public_serializer_meta(meta.model, public, withheld) if meta.model and public else ""
    return Fix("List the public fields explicitly, and make secrets write-only.", code, "python" if code else "")


# ---------------------------------------------------------------- whole objects dumped in handlers

def _dumps(module: ir.Module, function: ir.Function, classes: dict[str, orm.ModelClass],
           index: FileIndex) -> Iterator[Finding]:
    models = _bound_models(function)
    select_star = any(_SELECT_STAR.search(str(n.value)) for n in index.block_of_kind(function.body, ir.Const)
                      if isinstance(n.value, str))
    returned = _returned_names(function)
    for stmt in index.walk_stmts(function.body):
        for node in index.stmt_nodes(stmt):
            dumped = _dumped_object(node, select_star)
            if dumped is None or not _reaches_client(stmt, node, returned):
                continue
            how, obj = dumped
            fields = _sensitive_fields(obj, models, classes)
            if fields is None:
                continue
            name = ir.dotted_name(obj) or _last(obj) or "object"
            yield _finding(module.path, node.line, node.end_line if isinstance(node, ir.Call) else node.line,
                           f"Whole `{name}` object sent to the client ({how})",
                           f"`{how}` copies every attribute of `{name}` into the response"
                           + (f", including {_spell(fields)}" if fields else ", including its password hash and "
                              "any token or internal field the model has"),
                           f"{how}:{name}",
                           _dump_fix(module, node, obj, name, models, classes), sure=bool(fields))


def _dump_fix(module: ir.Module, node: ir.Expr, obj: ir.Expr, name: str, models: dict[str, str],
              classes: dict[str, orm.ModelClass]) -> Fix:
    """The dumping line itself sending the model's non-secret fields (or a named constant of them)."""
    model = _model_of_expr(obj, models)
    public = tuple(f for f in classes[model].fields if not orm.is_sensitive(f)) if model in classes else ()
    line = getattr(node, "line", 0)
    code = only_public(module.lines[line - 1] if line else "", public, public_name(model, name)) or ""
    return Fix("Build the response from named public fields (or a serializer/schema that lists them).", code,
               "python" if code else "")


_EVERY_COLUMN = re.compile(r"(__table__\.columns|__table__\.c|__mapper__\.(columns|attrs|column_attrs)|"
                           r"_meta\.(fields|concrete_fields|get_fields))$")


def _every_column(node: ir.Comprehension) -> ir.Expr | None:
    """`{c.name: getattr(user, c.name) for c in User.__table__.columns}` (or `_meta.fields`): the
    object whose every column the comprehension copies."""
    if not node.iters:
        return None
    source = node.iters[0].func if isinstance(node.iters[0], ir.Call) else node.iters[0]
    if not _EVERY_COLUMN.search(ir.dotted_name(source) or ""):
        return None
    for part in (node.elt, node.value):
        for inner in ir.walk_expr(part) if part is not None else ():
            if isinstance(inner, ir.Call) and _last(inner.func) == "getattr" and len(inner.args) >= 2:
                return inner.args[0]
    return None


def _dumped_object(node: ir.Expr, select_star: bool) -> tuple[str, ir.Expr] | None:
    if isinstance(node, ir.Attr) and node.attr == "__dict__":
        return "__dict__", node.value
    if isinstance(node, ir.Comprehension):
        obj = _every_column(node)
        return ("every column", obj) if obj is not None else None
    if not isinstance(node, ir.Call):
        return None
    name = _last(node.func)
    if name == "vars" and len(node.args) == 1:
        return "vars()", node.args[0]
    if name == "model_to_dict" and node.args and node.kwarg("fields") is None and node.kwarg("exclude") is None:
        return "model_to_dict()", node.args[0]
    if name == "serialize" and len(node.args) >= 2 and node.kwarg("fields") is None and \
            const_str(node.args[0]) in ("json", "xml", "yaml", "python", "jsonl"):
        return "serializers.serialize()", node.args[1]
    if name in ("values", "values_list") and not node.args and not node.kwargs and isinstance(node.func, ir.Attr) \
            and _manager_chain(node.func.value):
        return f"QuerySet.{name}() of every column", node.func.value
    if select_star and name == "dict" and len(node.args) == 1 and not isinstance(node.args[0], ir.Call):
        return "dict(row)", node.args[0]
    if select_star and name == "_asdict" and isinstance(node.func, ir.Attr):
        return "row._asdict()", node.func.value
    return None


def _manager_chain(expr: ir.Expr) -> bool:
    """`User.objects.filter(...)`: a Django queryset, whose `.values()` with no column names
    returns every concrete field of each row (a `dict.values()` is not one)."""
    return any(isinstance(n, ir.Attr) and n.attr in ("objects", "_default_manager") and isinstance(n.value, ir.Name)
               for n in ir.walk_expr(expr))


def _sensitive_fields(obj: ir.Expr, models: dict[str, str], classes: dict[str, orm.ModelClass]) -> tuple[str, ...] | None:
    """The sensitive fields the dumped object carries: () when unknown but user-like, None when
    there is no reason to think it holds secrets."""
    model = _model_of_expr(obj, models)
    if model in classes:
        fields = tuple(f for f in classes[model].fields if orm.is_sensitive(f))
        return fields or None
    spelled = (ir.dotted_name(obj) or _last(obj) or "").rsplit(".", 1)[-1]
    if access.name_words(spelled) & _USERISH or (model and access.name_words(model) & _USERISH):
        return ()
    return None


def _model_of_expr(obj: ir.Expr, models: dict[str, str]) -> str:
    if isinstance(obj, ir.Name) and obj.id in models:
        return models[obj.id]
    for node in ir.walk_expr(obj):
        if isinstance(node, ir.Attr) and node.attr in ("objects", "query") and isinstance(node.value, ir.Name):
            return node.value.id
    return ""


def _bound_models(function: ir.Function) -> dict[str, str]:
    """`user = User.objects.get(...)` / `session.get(User, id)` / `param: User`: name -> model class name."""
    out: dict[str, str] = {}
    for param in function.params:
        head = _last(param.annotation) if isinstance(param.annotation, (ir.Name, ir.Attr)) else ""
        if head[:1].isupper():
            out[param.name] = head
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            model = _model_in(stmt.value)
            if model:
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        out[target.id] = model
    return out


def _model_in(expr: ir.Expr) -> str:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and node.attr in ("objects", "query") and isinstance(node.value, ir.Name) \
                and node.value.id[:1].isupper():
            return node.value.id
        if isinstance(node, ir.Call) and _last(node.func) in ("get", "select", "query", "get_or_404", "get_object_or_404") \
                and node.args and isinstance(node.args[0], ir.Name) and node.args[0].id[:1].isupper():
            return node.args[0].id
    return ""


def _returned_names(function: ir.Function) -> set[str]:
    """Names whose value ends up in a return statement (directly or through one assignment)."""
    direct = {n.id for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return) and s.value is not None
              for n in ir.walk_expr(s.value) if isinstance(n, ir.Name)}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and \
                any(isinstance(t, ir.Name) and t.id in direct for t in stmt.targets):
            direct |= {n.id for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Name)}
    return direct


def _reaches_client(stmt: ir.Stmt, node: ir.Expr, returned: set[str]) -> bool:
    if isinstance(stmt, ir.Return):
        return True
    if isinstance(stmt, ir.Assign):
        if any(isinstance(t, ir.Name) and t.id in returned for t in stmt.targets):
            return True
    for expr in ir.stmt_exprs(stmt):
        for call in ir.walk_expr(expr):
            if isinstance(call, ir.Call) and _last(call.func) in _RESPONSES and \
                    any(node is n for a in (*call.args, *(k.value for k in call.kwargs)) for n in ir.walk_expr(a)):
                return True
    return False


# ---------------------------------------------------------------- FastAPI return values

def _fastapi_returns(module: ir.Module, function: ir.Function, classes: dict[str, orm.ModelClass]) -> Iterator[Finding]:
    declared = _response_model(function)
    if declared is not None and not (declared in classes and classes[declared].orm):
        return  # a schema decides what is sent
    models = _bound_models(function)
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Return) or not isinstance(stmt.value, ir.Name):
            continue
        model = declared or models.get(stmt.value.id, "")
        fields = _orm_sensitive(model, classes)
        if not fields:
            continue
        how = f"response_model={model} is the table model itself" if declared else "no response_model"
        yield _finding(module.path, stmt.line, stmt.end_line,
                       f"`{stmt.value.id}` ({model}) returned with {how}",
                       f"FastAPI serialises the {model} row as it is ({how}), so the response carries "
                       f"{_spell(fields) if fields != ('?',) else 'every column'}", f"fastapi:{model}:{stmt.value.id}",
                       _schema_fix(module, function, stmt, model, classes), sure=fields != ("?",))


def _schema_fix(module: ir.Module, function: ir.Function, stmt: ir.Stmt, model: str,
                classes: dict[str, orm.ModelClass]) -> Fix:
    """The route with a public schema as its response model: the module's own (`UserPublic`) when
    it declares one for this model, else `<Model>Public` for the project to write."""
    existing = next((c.name for c in classes.values() if not c.orm and c.name != model and c.name.startswith(model)
                     and not any(orm.is_sensitive(f) for f in c.fields)), "")
    schema = existing or f"{model}Public"
    route = Handler("fastapi", function.name, tuple(p.name for p in function.params),
                    def_line=def_header(module.lines, function.line), decorators=own_decorators(module.lines, function.line))
    code = with_response_model(route, schema, strip_comment(module.line_text(stmt.line)))
    if code and not existing:
        withheld = ", ".join(f for f in classes[model].fields if orm.is_sensitive(f)) if model in classes else ""
        code = f"# {schema}: a schema with {model}'s public fields{' (no ' + withheld + ')' if withheld else ''}\n{code}"
    return Fix("Declare a public schema as the response model.", code, "python" if code else "")


def _response_model(function: ir.Function) -> str | None:
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call):
            value = decorator.kwarg("response_model")
            if value is not None:
                return _last(value) or "?"
    if function.returns is not None:
        return _last(function.returns) or "?"
    return None


def _orm_sensitive(model: str, classes: dict[str, orm.ModelClass]) -> tuple[str, ...]:
    if model in classes and classes[model].orm:
        return tuple(f for f in classes[model].fields if orm.is_sensitive(f))
    parts = access.name_words(model)
    return ("?",) if parts & _USERISH and parts & _STORAGE_WORDS and model not in classes else ()


def _finding(path: str, line: int, end_line: int, title: str, what: str, key: str, fix: Fix,
             sure: bool = True) -> Finding:
    """`sure`: the sensitive fields were seen; otherwise only the object's name suggests them."""
    return make_finding(
        "excessive-data-exposure", Location(path, line, end_line or line), title,
        f"{what}. Anyone who can call the endpoint reads them in the raw JSON, whatever the UI shows: "
        "password hashes are cracked offline, tokens and keys are replayed, personal data leaks.",
        confidence=Confidence.HIGH if sure else Confidence.MEDIUM,
        fix=fix, rule=RULE.id, key=key,
    )


def _spell(fields: tuple[str, ...]) -> str:
    return "`" + "`, `".join(fields) + "`" if fields and fields != ("?",) else "the password hash and internal fields"


_last = ir.last_name


RULE = Rule("py-excessive-data-exposure", frozenset({"excessive-data-exposure"}), "python", check,
            collect=collect, combine=combine)
