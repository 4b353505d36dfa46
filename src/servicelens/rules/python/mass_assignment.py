"""Mass assignment: the request body bound wholesale onto a model, so the client picks which
columns it writes.

## What it finds
- request data spread into an ORM model or query: `User(**request.json)`,
  `Order.objects.create(**request.data)`, `User.query.filter_by(id=id).update(request.json)`,
  `user.__dict__.update(data)`, `for key, value in data.items(): setattr(user, key, value)` (also
  when the key is only tested to exist on the model: `if hasattr(user, key)`,
  `if key in User.__table__.columns`, `not key.startswith("_")`, which every column passes);
- a Pydantic/SQLModel body whose schema carries privileged fields (role, is_admin, balance,
  owner_id ...) dumped onto a model: `User(**payload.dict())`, `user.sqlmodel_update(payload.model_dump())`;
- DRF `ModelSerializer` / Django `ModelForm` with `fields = "__all__"` (or an `exclude`, or an
  explicit list) that leaves privileged fields writable, when the serializer is used for writes
  in the module or the model's fields are visible.

## Why it matters
A client that adds `"is_admin": true`, `"role": "admin"`, `"balance": 1000000` or
`"owner_id": 7` to a sign-up or profile request gets exactly that: privilege escalation, free
credit, or objects moved into someone else's account. GitHub was compromised this way in 2012.

## Example
```python
@app.post("/users")
def create_user():
    user = User(**request.get_json())
    db.session.add(user)
```
Use instead:
```python
    data = UserCreateSchema().load(request.get_json())  # only name, email, password
    user = User(name=data["name"], email=data["email"])
```

## Fix
Bind an explicit allow-list: a schema/serializer/form with only the fields the client may set,
`read_only_fields` for the rest, or assign the fields one by one.

## Known problems
Models, schemas and serializers defined in another file are not read: a serializer with
`fields = "__all__"` whose model lives in models.py is reported only when the same module uses
it for writes, and without naming fields. A handler's request schema imported from another
module (`body: UserCreate`, inherited fields included) is resolved across files when its dump is
bound onto a model: fields named in `exclude=` are subtracted, `include=` is trusted. Allow-list
checks done in helpers are not seen.
A body handed to a project function that copies every key is followed one call away (and on through
functions that pass it on), also into a method the receiver only inherits (`UserRepository(session)
.update(user, data)` with `update` defined on a generic `Repository[T]` base in another module) and
through a module-level instance imported from elsewhere (`from .services import patients;
patients.apply(row, payload)`). Validating the body and then passing the raw dict on
(`Schema.model_validate(data)` as a statement, marshmallow's `validate()` that returns errors,
DRF `is_valid()` followed by `request.data`) still binds every key.
A body a decorator loads with a schema and injects (flask-smorest `@blp.arguments(S)`, webargs
`@use_args(S)`, APIFlask `@app.input(S)`) and then binds key by key is judged by that schema, in
whatever module it is defined: reported when its `class Meta` sets `unknown = INCLUDE` (`load()` then
keeps every key the client sent), or when it declares privileged fields.
A privileged field is judged by its name (role, admin, staff, balance, owner, tenant ...).
A privilege flag (`admin`, `is_staff`, `is_superuser`) a handler sets from the body by name is
reported too, whether the value is copied (`is_admin=body.get("admin")`) or chosen by a branch on
the body (`if body["admin"]: admin = True`): in a model constructor or `create` call, or written on
the caller's own account or on a route anyone may call (another account's flag, set by a signed-in
caller, is broken-function-authorization's). Admin-only handlers are skipped.
Django's own user model is known under `get_user_model()`, an imported `User` or a module-level
alias (`Member = get_user_model()`); a serializer that defines `create`/`update` counts as used
for writes wherever its views live.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.fixcode.binding import allow_listed, allowed_name, meta_class
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution
from servicelens.rules.python import _access as access
from servicelens.rules.python import _orm as orm
from servicelens.rules.python import _mass_calls as mass_calls
from servicelens.rules.python import _body_flags as body_flags
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._project_calls import callee_name, class_bases, function_key
from servicelens.taint.scope import ModuleScope

_CREATES = frozenset({"create", "get_or_create", "update_or_create", "create_user", "create_superuser"})
_SCHEMA_NAME = re.compile(r"(Schema|Serializer|Form|In|Create|Update|Request|Payload|Params|Query|DTO|Input|Body)$")
# `self.get_serializer(data=...)`: DRF builds the view's serializer_class, whose Meta field list is
# judged on its own (see combine)
_VALIDATES = re.compile(r"^(load|validate\w*|clean\w*|model_validate|parse_obj|parse_raw|is_valid|from_json|"
                        r"get_serializer)$")
_ORM_BINDERS = frozenset({"sqlmodel_update", "model_validate", "from_orm", "parse_obj", "from_dict", "populate_obj"})
_DUMPS = frozenset({"dict", "model_dump", "jsonable_encoder", "vars"})
_STRONG = re.compile(r"(?i)(role|admin|staff|superuser|balance|credit|permission|verified|approved|privilege|"
                     r"premium|tier|wallet|quota)")
_FLAGS = re.compile(r"(?i)^(is_)?(admin|staff|superuser|verified|approved)$|balance|credit|wallet|privilege")
Taint = dict[str, tuple[str, ...] | None]  # name -> privileged fields it may carry (None: any key at all)


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or "migrations/" in module.path:
        return
    classes = orm.model_classes(module)
    for function in module.functions:
        yield from _bindings(module, scope, function, classes)
        if function.qualname in scope.handlers and \
                not access.is_admin_only(function, access.enclosing_class(module, function), module):
            yield from _flag_findings(module, function, scope.handlers[function.qualname].auth == "none")


def _flag_findings(module: ir.Module, function: ir.Function, open_route: bool) -> Iterator[Finding]:
    """A privilege flag the handler sets from the body by name (`User(..., admin=admin)` after
    `if body.get("admin"): admin = True`): the allow-list is written out, and still lets the
    client choose the privilege."""
    for write in body_flags.flag_writes(function, open_route):
        target = write.target.rsplit(".", 1)[-1] or "the model"
        yield make_finding(
            "mass-assignment", Location(module.path, write.line, write.end_line),
            f"Request body chooses the privilege flag `{write.field}` of {target}",
            f"`{function.name}` copies `{write.field}` from the request body onto {target}: any caller who adds "
            f"`\"{write.field}\": true` to the JSON gets that privilege (a sign-up that makes its own admin).",
            confidence=Confidence.HIGH,
            fix=Fix(f"Never take `{write.field}` from the client: set it on the server (default False) and "
                    "grant it only through an administrator's action.", "", ""),
            rule=RULE.id, key=f"flag:{function.name}:{write.field}",
        )


# ---------------------------------------------------------------- request data bound in code

def _bindings(module: ir.Module, scope: ModuleScope, function: ir.Function,
              classes: dict[str, orm.ModelClass]) -> Iterator[Finding]:
    index = file_index(module, scope)
    reads_body = _reads_body(function, scope, index)
    taint = _tainted(function, scope, classes, reads_body)
    if not taint and not reads_body:
        return
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.For):
            found = _setattr_loop(stmt, taint, index)
            if found is not None:
                yield _code_finding(module, found[0], found[1], "setattr loop", None, classes)
            continue
        for node in index.stmt_of_kind(stmt, ir.Call):
            bound = _bound_value(node, scope, function, classes)
            if bound is not None:
                carried = _carries(bound[1], taint)
                if carried is not False:
                    yield _code_finding(module, node, carried, bound[0], bound[2], classes)


def _reads_body(function: ir.Function, scope: ModuleScope, index: FileIndex) -> bool:
    """Does any expression of the body read the request body? Asked by `check` and `collect`."""
    known: dict[int, bool] = scope.memo("mass-assignment-reads-body", dict)
    if id(function) not in known:
        known[id(function)] = any(access.is_request_data(n, body_only=True) for n in index.block_nodes(function.body))
    return known[id(function)]


def _tainted(function: ir.Function, scope: ModuleScope, classes: dict[str, orm.ModelClass], reads_body: bool) -> Taint:
    """Names holding the raw body (any key) or a schema-validated body with privileged fields.
    Without seeds, names can only come from a request-body read (`reads_body`): every value
    `flow_names` looks at is an expression of the body."""
    handler = scope.handlers.get(function.qualname)
    seeds: set[str] = set()
    taint: Taint = {}
    for param in function.params:
        if handler is None or param.name not in access.client_params(function, handler):
            continue
        last = _annotation_head(param.annotation)
        if last in ("dict", "Dict", "Any", "Json"):
            seeds.add(param.name)
        elif last in classes:
            fields = tuple(f for f in classes[last].fields if orm.is_privileged(f))
            if fields:
                for name in access.flow_names(function.body, {param.name}, lambda e: False, _validated):
                    taint[name] = fields
    if not seeds and not reads_body:
        return taint
    for name in access.flow_names(function.body, seeds, lambda e: access.is_request_data(e, body_only=True), _validated):
        taint[name] = None
    return taint


def _annotation_head(annotation: ir.Expr | None) -> str:
    """`dict` for `dict[str, Any]`, `UserUpdate` for `UserUpdate`."""
    if isinstance(annotation, ir.Subscript):
        annotation = annotation.value
    elif isinstance(annotation, ir.Opaque) and annotation.kind == "generic_type" and annotation.children:
        annotation = annotation.children[0]
    return _last(annotation)


def _validated(value: ir.Expr) -> bool:
    """Values that no longer carry arbitrary keys: validated, filtered, or one field picked out."""
    if isinstance(value, ir.Await):
        value = value.value
    if isinstance(value, ir.Comprehension):
        return True
    if isinstance(value, ir.Call):
        name = _last(value.func)
        if isinstance(value.func, ir.Attr) and _query_model(value.func.value) is not None:
            return True  # `MailAccount.objects.get(pk=body_id)`: a stored row, not the body
        return bool(_VALIDATES.match(name) or _SCHEMA_NAME.search(name))
    return False


def _carries(expr: ir.Expr, taint: Taint) -> tuple[str, ...] | None | bool:
    """None: raw body (any key); a tuple: the privileged schema fields it carries; False: nothing."""
    if isinstance(expr, ir.Call) and _dump_excludes(expr):
        return False
    if _literal_keyed(expr):
        return False  # `{"display_name": body["display_name"]}`: the keys are the server's allow-list
    for node in ir.walk_expr(expr):
        if access.is_request_data(node, body_only=True):
            return None
        if isinstance(node, ir.Name) and node.id in taint:
            return taint[node.id]
    return False


def _literal_keyed(expr: ir.Expr) -> bool:
    """Mappings whose keys the code spells out: `{"name": body["name"]}`, a list of them, or a
    comprehension building them (`insert(T).values([{"tag_id": t.id} for t in tags])`)."""
    if isinstance(expr, ir.DictExpr):
        return bool(expr.keys) and all(isinstance(k, ir.Const) for k in expr.keys)
    if isinstance(expr, ir.Seq):
        return bool(expr.elts) and all(_literal_keyed(e) for e in expr.elts)
    if isinstance(expr, ir.Comprehension):
        return expr.value is None and _literal_keyed(expr.elt)
    return False


def _dump_excludes(call: ir.Call) -> bool:
    """`payload.model_dump(include={...})` picks its own fields; an `exclude` is trusted too."""
    return _last(call.func) in _DUMPS and \
        (call.kwarg("include") is not None or call.kwarg("exclude") is not None)


def _bound_value(call: ir.Call, scope: ModuleScope, function: ir.Function,
                 classes: dict[str, orm.ModelClass]) -> tuple[str, ir.Expr, str | None] | None:
    """(how, the expression bound, the model name) when `call` writes a mapping onto a model."""
    func = call.func
    spread = next((kw.value for kw in call.kwargs if kw.name is None), None)
    attr = func.attr if isinstance(func, ir.Attr) else ""
    if attr == "update" and isinstance(func, ir.Attr):
        target = func.value
        if isinstance(target, ir.Attr) and target.attr == "__dict__" or \
                isinstance(target, ir.Call) and ir.dotted_name(target.func) == "vars":
            return ("__dict__.update", call.args[0], None) if call.args else None
        model = _query_model(target)
        if model is not None:
            return (".update()", spread or call.args[0], model) if (spread or call.args) else None
    if attr in _ORM_BINDERS and call.args:
        receiver = func.value if isinstance(func, ir.Attr) else None
        model = _last(receiver) if receiver is not None else None
        if attr == "sqlmodel_update" or (model in classes and classes[model].orm):
            return (attr, call.args[0], model if model in classes else None)
    if attr == "values" and _statement_model(func) is not None and (spread is not None or len(call.args) == 1):
        # SQLAlchemy's `update(T).values(mapping)` takes the mapping spread or as one positional dict
        return ("update().values", spread if spread is not None else call.args[0], _statement_model(func))
    if attr == "values" and spread is not None and _query_model(func) is not None:
        return ("update().values", spread, _query_model(func))
    if spread is None:
        return None
    if attr in _CREATES and isinstance(func, ir.Attr):
        model = _query_model(func.value)
        return (f"objects.{attr}", spread, model) if model else None
    name = _last(func)
    if name in classes and classes[name].orm or _imported_model(name, scope):
        return ("constructor", spread, name)
    return None


def _statement_model(expr: ir.Expr) -> str | None:
    """`update(User)...` / `insert(User)...`: the table a SQLAlchemy write statement targets (not a
    Django queryset, whose `.values("id")` reads)."""
    node = expr
    while isinstance(node, (ir.Attr, ir.Call)):
        if isinstance(node, ir.Call) and _last(node.func) in ("update", "insert") and node.args \
                and (isinstance(node.func, ir.Name) or isinstance(node.func.value, ir.Name)):  # `update(T)`, `sa.insert(T)`
            return _last(node.args[0])
        node = node.func if isinstance(node, ir.Call) else node.value
    return None


def _query_model(expr: ir.Expr) -> str | None:
    """`User.objects`, `User.objects.filter(...)`, `User.query.filter_by(...)`, `update(User)`."""
    node = expr
    while isinstance(node, (ir.Attr, ir.Call)):
        if isinstance(node, ir.Call):
            if _last(node.func) in ("update", "insert") and node.args:
                return _last(node.args[0])
            node = node.func
            continue
        if node.attr in ("objects", "query", "_default_manager") and isinstance(node.value, (ir.Name, ir.Attr)):
            return _last(node.value)
        node = node.value
    return None


def _imported_model(name: str, scope: ModuleScope) -> bool:
    target = scope.imports.get(name, "")
    module_path = target.rsplit(".", 1)[0].lower()
    return bool(name[:1].isupper()) and ("model" in module_path or "entit" in module_path) and \
        not _SCHEMA_NAME.search(name) and "schema" not in module_path


def _setattr_loop(loop: ir.For, taint: Taint, index: FileIndex) -> tuple[ir.Call, tuple[str, ...] | None] | None:
    """`for key, value in data.items(): setattr(obj, key, value)` with no test on `key`."""
    key = loop.target.elts[0] if isinstance(loop.target, ir.Seq) and loop.target.elts else loop.target
    if not isinstance(key, ir.Name):
        return None
    carried = _carries(loop.iter, taint)
    if carried is False:
        return None
    for stmt in index.walk_stmts(loop.body):
        if isinstance(stmt, (ir.If, ir.While)) and access.reads(stmt.test, {key.id}) \
                and not _any_attribute_test(stmt.test, key.id):
            return None  # an allow-list or deny-list on the key
        for node in index.stmt_of_kind(stmt, ir.Call):
            if ir.dotted_name(node.func) == "setattr" and len(node.args) == 3 \
                    and access.reads(node.args[1], {key.id}):
                return node, carried  # type: ignore[return-value]
    return None


_ALL_COLUMNS = re.compile(r"__dict__|__table__|__mapper__|(^|\.)_meta(\.|$)|\.(c|columns)$")


def _any_attribute_test(test: ir.Expr, key: str) -> bool:
    """`if hasattr(user, key)`, `if key in User.__table__.columns`: the test admits every attribute
    or column of the model, so it is no allow-list (`is_admin` and `org_id` pass it too)."""
    if isinstance(test, ir.BoolOp) and test.op == "and":
        return all(_any_attribute_test(v, key) for v in test.values if access.reads(v, {key}))
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Call) \
            and isinstance(test.operand.func, ir.Attr) and test.operand.func.attr == "startswith" \
            and ir.dotted_name(test.operand.func.value) == key:
        return True  # `not key.startswith("_")` only keeps out private attributes, never columns
    if isinstance(test, ir.Call) and ir.dotted_name(test.func) == "hasattr" and len(test.args) == 2:
        return isinstance(test.args[1], ir.Name) and test.args[1].id == key
    if isinstance(test, ir.Compare) and test.ops == ("in",) and isinstance(test.left, ir.Name) \
            and test.left.id == key:
        container = test.comparators[0]
        if isinstance(container, ir.Call) and isinstance(container.func, ir.Attr):
            container = container.func.value if container.func.attr == "keys" else container
        return bool(_ALL_COLUMNS.search(ir.dotted_name(container) or "")) and \
            not isinstance(container, (ir.Seq, ir.DictExpr))
    return False


def _code_finding(module: ir.Module, call: ir.Call, carried: tuple[str, ...] | None, how: str,
                  model: str | None, classes: dict[str, orm.ModelClass]) -> Finding:
    if carried is None and model in classes:
        carried = tuple(f for f in classes[model].fields if orm.is_privileged(f)) or None
    target = model or "the model"
    fields = f" (`{'`, `'.join(carried)}` become writable)" if carried else ""
    source = "the request body" if carried is None or model not in classes else "the request schema"
    return make_finding(
        "mass-assignment", Location(module.path, call.line, call.end_line or call.line),
        f"Request body bound wholesale onto {target}{fields}",
        f"{source[0].upper()}{source[1:]} is written onto {target} key by key ({how}), so the client chooses "
        f"which columns it sets{': ' + ', '.join(carried) if carried else ''}. Adding `\"is_admin\": true`, "
        "`\"role\": \"admin\"`, a balance or another user's id to the JSON escalates privileges or moves data.",
        confidence=Confidence.HIGH if carried or how != "constructor" else Confidence.MEDIUM,
        fix=_code_fix(module, call, model, classes),
        rule=RULE.id, key=f"{how}:{model or ''}",
    )


def _code_fix(module: ir.Module, call: ir.Call, model: str | None, classes: dict[str, orm.ModelClass]) -> Fix:
    """The binding line itself, narrowed to an allow-list: the model's own non-privileged
    columns when this file defines it."""
    fields = tuple(f for f in classes[model].fields if not orm.is_privileged(f) and f not in ("id", "pk")) \
        if model in classes else ()
    setattr_loop = ir.dotted_name(call.func) == "setattr" and bool(call.args)
    receiver = (ir.dotted_name(call.args[0]) if setattr_loop else
                ir.dotted_name(call.func.value) if isinstance(call.func, ir.Attr) else "") or ""
    receiver = receiver.split(".", 1)[0] if receiver[:1].islower() else ""
    loop = _loop_header(module, call.line) if setattr_loop else ""
    code = allow_listed("\n".join(module.lines[call.line - 1:(call.end_line or call.line)]),
                        allowed_name(model or "", receiver), fields, loop)
    return Fix("Copy only the fields the client may set (an explicit schema/serializer/form or named "
               "assignments); keep role, ownership and money fields server-side.", code or "", "python" if code else "")


def _loop_header(module: ir.Module, line: int) -> str:
    """The `for` line enclosing 1-based `line` (the nearest less-indented `for` above it)."""
    indent = len(module.lines[line - 1]) - len(module.lines[line - 1].lstrip())
    for text in reversed(module.lines[max(0, line - 12):line - 1]):
        stripped = text.lstrip()
        if len(text) - len(stripped) < indent and stripped.startswith("for "):
            return stripped
    return ""


# ---------------------------------------------------------------- serializers and model forms

@dataclass(frozen=True, slots=True)
class SchemaBinding:
    """`User(**body.model_dump(exclude={"password"}))` in a handler whose `body: UserCreate` schema is
    defined in another file: judged in `combine`, where every file's schemas are known."""

    schema: str
    excluded: tuple[str, ...]
    path: str
    line: int
    end_line: int
    how: str
    model: str


@dataclass(frozen=True, slots=True)
class MassFacts:
    models: orm.ModelFacts
    bindings: tuple[SchemaBinding, ...]
    # one call away (see _mass_calls): parameters bound onto a model, calls and what their
    # arguments carry, and the parameter names of the functions that bind or pass one on
    binders: tuple[mass_calls.Binder, ...] = ()
    calls: tuple[mass_calls.CallFact, ...] = ()  # calls that pass the request body or a parameter on
    signatures: tuple[tuple[str, tuple[str, ...]], ...] = ()
    others: tuple[mass_calls.OtherCall, ...] = ()  # the other calls, deduplicated (see _mass_calls)
    class_bases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # inherited methods (_project_calls.class_bases)
    open_schemas: tuple[str, ...] = ()  # marshmallow schemas whose Meta keeps unknown keys (`unknown = INCLUDE`)


_NOTHING = MassFacts(orm.ModelFacts((), ()), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> MassFacts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> MassFacts:
    """This file's models and serializer/form `Meta`s, and handler bindings of schemas defined
    elsewhere; decided in `combine`, where the models of every file are known."""
    if is_test_path(module.path) or "admin" in module.path.rsplit("/", 1)[-1]:
        return MassFacts(orm.ModelFacts((), ()), ())  # Django admin forms are for staff
    classes = orm.model_classes(module)
    keys = {id(f): function_key(scope, f) for f in module.functions}  # one string per function, shared
    binders = tuple(b for f in module.functions for b in _param_binders(module, scope, f, classes, keys[id(f)]))
    calls: list[mass_calls.CallFact] = []
    others: dict[mass_calls.OtherCall, None] = {}
    for function in module.functions:
        for call in _call_facts(module, scope, function, classes, keys[id(function)]):
            if all(kind == mass_calls.OTHER for _, kind in call.args):
                if call.args:  # `f(**options)` alone passes nothing a chain could follow
                    others[(call.callee, call.offset, tuple(position for position, _ in call.args))] = None
            else:
                calls.append(call)
    return MassFacts(orm.ModelFacts(tuple(classes.values()), tuple(orm.meta_facts(module, dict(scope.imports), file_index(module, scope)))),
                     tuple(_schema_bindings(module, scope, classes)), binders, tuple(calls),
                     tuple((keys[id(f)], tuple(scope.names(p.name) for p in f.params)) for f in module.functions),
                     tuple(others), class_bases(module, scope), _open_schemas(module))


# ---------------------------------------------------------------- one call away

def _param_binders(module: ir.Module, scope: ModuleScope, function: ir.Function,
                   classes: dict[str, orm.ModelClass], key: str) -> Iterator[mass_calls.Binder]:
    """Parameters of a function that is no handler, each bound key by key onto a model."""
    if function.qualname in scope.handlers or not _has_binding_shape(module, scope, function, classes):
        return
    index = file_index(module, scope)
    for position, param in enumerate(function.params):
        if param.name in ("self", "cls") or param.kind in ("vararg", "kwarg"):
            continue
        taint: Taint = {n: None for n in access.flow_names(function.body, {param.name}, lambda e: False, _narrows)}
        found = _first_binding(module, scope, function, classes, taint, index)
        if found is not None:
            call, how, model = found
            yield mass_calls.Binder(key, param.name, position, module.path, call.line,
                                    call.end_line or call.line, how, model or "", module.line_text(call.line))


def _has_binding_shape(module: ir.Module, scope: ModuleScope, function: ir.Function,
                       classes: dict[str, orm.ModelClass]) -> bool:
    """Cheap pre-test: a setattr call or a call that binds a mapping onto a model at all."""
    return any(ir.dotted_name(node.func) == "setattr" or _bound_value(node, scope, function, classes) is not None
               for node in file_index(module, scope).block_of_kind(function.body, ir.Call))


def _first_binding(module: ir.Module, scope: ModuleScope, function: ir.Function, classes: dict[str, orm.ModelClass],
                   taint: Taint, index: FileIndex) -> tuple[ir.Call, str, str | None] | None:
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.For):
            found = _setattr_loop(stmt, taint, index)
            if found is not None:
                return found[0], "setattr loop", None
            continue
        for node in index.stmt_of_kind(stmt, ir.Call):
            bound = _bound_value(node, scope, function, classes)
            if bound is not None and _carries(bound[1], taint) is None:
                return node, bound[0], bound[2]
    return None


def _call_facts(module: ir.Module, scope: ModuleScope, function: ir.Function,
                classes: dict[str, orm.ModelClass], key: str) -> Iterator[mass_calls.CallFact]:
    """Calls that may land in a project function, with what each argument carries: the raw
    request body (not when the caller limits its keys), a parameter handed on, or other."""
    calls = [(call, callee) for call in file_index(module, scope).block_of_kind(function.body, ir.Call)
             if (call.args or call.kwargs) and (callee := callee_name(call, scope, function)) is not None]
    if not calls:  # the body's data flow is only needed to describe arguments of such calls
        return
    seeds = {p.name for p in function.params if function.qualname in scope.handlers
             and p.name in access.client_params(function, scope.handlers[function.qualname])
             and _annotation_head(p.annotation) in ("dict", "Dict", "Any", "Json")}
    body = access.flow_names(function.body, seeds, lambda e: access.is_request_data(e, body_only=True), _narrows) \
        if seeds or _reads_body(function, scope, file_index(module, scope)) else set()
    body = {n for n in body if not _keys_limited(function, n)}
    params = {p.name for p in function.params} - body
    handler = function.qualname in scope.handlers
    for call, callee in calls:
        args = tuple((i, scope.names(_argument_kind(a, body, params))) for i, a in enumerate(call.args)) + \
            tuple((kw.name, scope.names(_argument_kind(kw.value, body, params))) for kw in call.kwargs if kw.name)
        yield mass_calls.CallFact(key, handler, module.path, call.line,
                                  call.end_line or call.line, module.line_text(call.line), callee[0], callee[1], args)


def _narrows(value: ir.Expr) -> bool:
    """Anything but the whole mapping passed along: one field picked (`data["x"]`), a dict of
    fixed keys, a validated or converted value. Only the mapping itself carries client-chosen keys."""
    if isinstance(value, ir.Await):
        value = value.value
    if isinstance(value, (ir.Name,)) or access.is_request_data(value, body_only=True) and not isinstance(value, ir.Subscript):
        return False
    if isinstance(value, ir.BoolOp):
        return all(_narrows(v) for v in value.values)
    if isinstance(value, ir.IfExp):
        return _narrows(value.body) and _narrows(value.orelse)
    if isinstance(value, ir.DictExpr):
        return not any(k is None for k in value.keys)  # `{**data, "x": 1}` keeps every key of data
    if isinstance(value, ir.Call) and ir.last_name(value.func) in ("dict", "copy", "deepcopy") and not _validated(value):
        return False
    return True


def _argument_kind(arg: ir.Expr, body: set[str], params: set[str]) -> str:
    if isinstance(arg, ir.Name) and arg.id in body or access.is_request_data(arg, body_only=True) \
            and not isinstance(arg, ir.Subscript):
        return mass_calls.BODY
    if isinstance(arg, ir.Name) and arg.id in params:
        return mass_calls.PARAM + arg.id
    return mass_calls.OTHER


def _keys_limited(function: ir.Function, name: str) -> bool:
    """`if set(body) - ALLOWED: abort(400)`, `body.keys() <= EDITABLE`: the caller checks the keys
    against a list of its own; a check against every column of a table (`set(t.c.keys())`,
    `Model.__table__.columns`) lets every column through and limits nothing."""
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, (ir.If, ir.Assign)):
            continue
        expr = stmt.test if isinstance(stmt, ir.If) else stmt.value
        for node in ir.walk_expr(expr) if expr is not None else ():
            sides = _key_set_operands(node, name)
            if sides is not None and not any(_ALL_COLUMNS.search(ir.dotted_name(_unwrapped(s)) or "") for s in sides):
                return True
    return False


def _key_set_operands(node: ir.Expr, name: str) -> tuple[ir.Expr, ...] | None:
    """The other operands when `node` compares the key set of `name` with something."""
    if isinstance(node, ir.BinOp) and node.op in ("-", "&") and access.reads(node.left, {name}):
        return (node.right,)
    if isinstance(node, ir.Compare) and node.ops and node.ops[0] in ("<=", "<", ">=", "in", "not in") \
            and access.reads(node.left, {name}) and not isinstance(node.left, ir.Name):
        return tuple(node.comparators)
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in ("issubset", "difference") \
            and access.reads(node.func.value, {name}):
        return tuple(node.args)
    return None


def _unwrapped(expr: ir.Expr) -> ir.Expr:
    """`set(t.c.keys())` -> `t.c`: the collection whose keys are compared."""
    while isinstance(expr, ir.Call):
        if isinstance(expr.func, ir.Attr) and expr.func.attr == "keys":
            expr = expr.func.value
        elif expr.args:
            expr = expr.args[0]
        else:
            break
    return expr


def _schema_bindings(module: ir.Module, scope: ModuleScope, classes: dict[str, orm.ModelClass]
                     ) -> Iterator[SchemaBinding]:
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None:
            continue
        schemas: dict[str, str] = {}  # local name -> schema class imported from elsewhere
        for param in function.params:
            head = _annotation_head(param.annotation)
            if head and head[:1].isupper() and head not in classes and head in scope.imports \
                    and param.name in access.client_params(function, handler):
                for name in access.flow_names(function.body, {param.name}, lambda e: False, _validated):
                    schemas[name] = head
        for param, head in _injected_loads(function):
            for name in access.flow_names(function.body, {param}, lambda e: False, _validated):
                schemas.setdefault(name, head)
        if not schemas:
            continue
        index = file_index(module, scope)
        for stmt in index.walk_stmts(function.body):
            found = _setattr_loop(stmt, {n: None for n in schemas}, index) if isinstance(stmt, ir.For) else None
            source = next((schemas[n.id] for n in ir.walk_expr(stmt.iter) if isinstance(n, ir.Name) and n.id in schemas),
                          None) if found is not None and isinstance(stmt, ir.For) else None
            if found is not None and source is not None:
                call = found[0]
                target = ir.dotted_name(call.args[0]) or "the model"
                yield SchemaBinding(source, (), module.path, call.line, call.end_line or call.line, "setattr loop",
                                    target)
        for node in file_index(module, scope).block_of_kind(function.body, ir.Call):
            bound = _bound_value(node, scope, function, classes)
            if bound is None or bound[2] is None:
                continue
            value = bound[1]
            source = next((schemas[n.id] for n in ir.walk_expr(value)
                           if isinstance(n, ir.Name) and n.id in schemas), None)
            if source is None or (isinstance(value, ir.Call) and value.kwarg("include") is not None):
                continue
            excluded = _constant_strings(value.kwarg("exclude")) if isinstance(value, ir.Call) else ()
            yield SchemaBinding(source, excluded, module.path, node.line, node.end_line or node.line,
                                bound[0], bound[2])


def _constant_strings(expr: ir.Expr | None) -> tuple[str, ...]:
    return tuple(str(n.value) for n in ir.walk_expr(expr) if isinstance(n, ir.Const) and isinstance(n.value, str)) \
        if expr is not None else ()


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    models = {path: f.models for path, f in per_file.items() if isinstance(f, MassFacts)}
    project = orm.project_fields(dict(models))
    schemas: dict[str, tuple[str, ...]] = {}
    for _, facts in sorted(models.items()):
        for model in facts.models:
            if not model.orm:
                schemas[model.name] = tuple(dict.fromkeys(schemas.get(model.name, ()) + model.fields))
    for _, facts in sorted(models.items()):
        for meta in facts.metas:
            found = _writable_meta(meta, project)
            if found is not None:
                yield found
    open_schemas = {name for f in per_file.values() if isinstance(f, MassFacts) for name in f.open_schemas}
    for _, facts in sorted((p, f) for p, f in per_file.items() if isinstance(f, MassFacts)):
        for binding in facts.bindings:
            if binding.schema in open_schemas:
                yield _open_schema_finding(binding)
                continue
            exposed = tuple(f for f in schemas.get(binding.schema, ()) if orm.is_privileged(f)
                            and _STRONG.search(f) and f not in binding.excluded)
            if exposed:
                yield _schema_finding(binding, exposed)
    yield from _cross_findings([f for _, f in sorted((p, f) for p, f in per_file.items() if isinstance(f, MassFacts))],
                               project)


def _cross_findings(facts: list[MassFacts], project: dict[str, tuple[str, ...]]) -> Iterator[Finding]:
    signatures = {key: names for f in facts for key, names in f.signatures}
    found = mass_calls.cross_bindings((b for f in facts for b in f.binders), (c for f in facts for c in f.calls),
                                      signatures, (o for f in facts for o in f.others),
                                      {key: bases for f in facts for key, bases in f.class_bases})
    for cross in found:
        yield _cross_finding(cross, project)


def _cross_finding(cross: mass_calls.CrossBinding, project: dict[str, tuple[str, ...]]) -> Finding:
    binder = cross.binder
    first = cross.calls[min(cross.report_at, len(cross.calls) - 1)]
    target = binder.model or "the model"
    fields = tuple(f for f in project.get(binder.model, ()) if orm.is_privileged(f)) if binder.model else ()
    written = f" (`{'`, `'.join(fields)}` become writable)" if fields else ""
    where = Location(binder.path, binder.line, binder.end_line) if cross.at_binding else \
        Location(first.path, first.line, first.end_line)
    evidence = tuple(TraceStep(Location(c.path, c.line), "the request body is passed on" if i else
                               "the raw request body is handed to a function", c.code)
                     for i, c in enumerate(cross.calls)) + \
        (TraceStep(Location(binder.path, binder.line), f"which writes every key of `{binder.param}` onto {target} "
                   f"({binder.how})", binder.code),)
    owner = binder.key.rsplit(".", 1)[-1]
    return make_finding(
        "mass-assignment", where,
        f"Request body bound wholesale onto {target} through `{owner}()`{written}",
        f"The request body reaches `{owner}()` unfiltered, and it writes every key of `{binder.param}` onto "
        f"{target} ({binder.how}), so the client chooses which columns it sets. Adding `\"is_admin\": true`, a "
        "role, a balance or another account's id to the JSON escalates privileges or moves data."
        + ("" if cross.at_binding else f" `{owner}()` is also called with server-chosen values, so the allow-list "
           "belongs here, at the call."),
        confidence=Confidence.HIGH if fields else Confidence.MEDIUM,
        evidence=evidence,
        fix=Fix("Pass only the fields the client may set (an explicit schema or allow-list of keys) and keep role, "
                "ownership and money fields server-side.", "", ""),
        rule=RULE.id, key=f"cross:{binder.key}:{binder.param}",
    )


# decorators that load the body with a schema and hand the result to the handler: flask-smorest
# `Blueprint.arguments`, webargs `use_args`/`use_kwargs`, APIFlask `input`
_LOADING_DECORATORS = frozenset({"arguments", "use_args", "use_kwargs", "input"})


def _injected_loads(function: ir.Function) -> Iterator[tuple[str, str]]:
    """(parameter, schema class) for a body a decorator loads and injects: `@blp.arguments(ProfileSchema)`
    hands the loaded dict to the first parameter after `self` (several such decorators fill the
    parameters in order)."""
    params = [p.name for p in function.params if p.name not in ("self", "cls")]
    position = 0
    for decorator in reversed(function.decorators):  # the innermost decorator's argument comes first
        if not isinstance(decorator, ir.Call) or ir.last_name(decorator.func) not in _LOADING_DECORATORS \
                or not decorator.args:
            continue
        schema = decorator.args[0].func if isinstance(decorator.args[0], ir.Call) else decorator.args[0]
        name = ir.last_name(schema)
        if name and name[:1].isupper() and position < len(params):
            yield params[position], name
        position += 1


def _open_schemas(module: ir.Module) -> tuple[str, ...]:
    """Schemas of this module that keep every key the client sent, declared or not: a marshmallow
    schema whose `class Meta` sets `unknown = INCLUDE`, a pydantic model configured with
    `extra="allow"` (`model_config = ConfigDict(extra="allow")` or a dict, or v1's `class Config:
    extra = Extra.allow`): its dump carries the undeclared keys too."""
    found = []
    for cls in module.classes:
        if any(_keeps_extra(stmt) for stmt in cls.body):
            found.append(cls.name)
            continue
        for inner_name, opens in (("Meta", _includes), ("Config", _allows)):
            inner = next((c for c in module.classes if c.qualname == f"{cls.qualname}.{inner_name}"), None)
            key = "unknown" if inner_name == "Meta" else "extra"
            if inner is not None and any(
                    isinstance(stmt, ir.Assign) and stmt.value is not None and opens(stmt.value)
                    and any(isinstance(t, ir.Name) and t.id == key for t in stmt.targets) for stmt in inner.body):
                found.append(cls.name)
                break
    return tuple(found)


def _includes(value: ir.Expr) -> bool:
    return ir.last_name(value) == "INCLUDE" or isinstance(value, ir.Const) and value.value == "include"


def _allows(value: ir.Expr) -> bool:
    """`"allow"` or `Extra.allow`: pydantic keeps the keys the model does not declare."""
    return isinstance(value, ir.Const) and value.value == "allow" or ir.dotted_name(value) in ("Extra.allow",
                                                                                               "pydantic.Extra.allow")


def _keeps_extra(stmt: ir.Stmt) -> bool:
    """`model_config = ConfigDict(extra="allow")` or `model_config = {"extra": "allow"}` in a class body."""
    if not (isinstance(stmt, ir.Assign) and stmt.value is not None
            and any(isinstance(t, ir.Name) and t.id == "model_config" for t in stmt.targets)):
        return False
    value = stmt.value
    if isinstance(value, ir.Call):
        extra = value.kwarg("extra")
        return extra is not None and _allows(extra)
    if isinstance(value, ir.DictExpr):
        return any(isinstance(k, ir.Const) and k.value == "extra" and _allows(v) for k, v in zip(value.keys, value.values))
    return False


def _open_schema_finding(binding: SchemaBinding) -> Finding:
    return make_finding(
        "mass-assignment", Location(binding.path, binding.line, binding.end_line),
        f"Request schema `{binding.schema}` keeps unknown keys, and the loaded body is bound onto {binding.model}",
        f"`{binding.schema}` sets `unknown = INCLUDE`, so `load()` passes through every key the client sends, "
        f"declared or not, and the result is written onto {binding.model} key by key ({binding.how}): a client "
        "that adds `\"role\": \"admin\"`, an owner id or a password hash to the body sets exactly that.",
        confidence=Confidence.HIGH,
        fix=Fix("Use `unknown = EXCLUDE` (or the default RAISE) on input schemas, and copy only the declared fields.",
                "", ""),
        rule=RULE.id, key=f"open-schema:{binding.schema}:{binding.model}",
    )


def _schema_finding(binding: SchemaBinding, exposed: tuple[str, ...]) -> Finding:
    return make_finding(
        "mass-assignment", Location(binding.path, binding.line, binding.end_line),
        f"Request schema `{binding.schema}` bound onto {binding.model} (`{'`, `'.join(exposed)}` become writable)",
        f"`{binding.schema}` (defined in another module, inherited fields included) declares "
        f"{', '.join(exposed)}, and the whole validated body is written onto {binding.model} ({binding.how}): a "
        "client that sends `\"is_staff\": true` or a role gets exactly that.",
        confidence=Confidence.HIGH,
        fix=Fix("Drop the privileged fields from the input schema (or list the fields to copy with `include=`).",
                "", ""),
        rule=RULE.id, key=f"schema:{binding.schema}:{binding.model}",
    )


def _writable_meta(meta: orm.MetaFact, project: dict[str, tuple[str, ...]]) -> Finding | None:
    if not meta.all_fields and not meta.listed and not meta.hidden:
        return None  # `fields = ()`: the form binds no model field at all
    known = orm.fields_of(meta, project)
    candidates = meta.listed if meta.listed else (known or ())
    exposed = tuple(f for f in candidates if orm.is_privileged(f) and f not in meta.protected and f != "id")
    if not meta.used_for_writes and not meta.all_fields:
        return None  # an explicit list on a serializer only ever used for output is fine
    if meta.listed:
        # an explicit list is a deliberate choice, and `role` or `groups` are often domain
        # fields (a device role): only privilege flags and money stay reportable
        exposed = tuple(f for f in exposed if _FLAGS.search(f))
    elif not meta.used_for_writes:
        exposed = tuple(f for f in exposed if _STRONG.search(f))  # `user`, `status` are often output only
    if exposed:
        return _meta_finding(meta, exposed, known)
    if meta.all_fields and known is None and meta.used_for_writes:
        return _meta_finding(meta, (), known)
    return None


def _meta_fix(meta: orm.MetaFact, exposed: tuple[str, ...], known: tuple[str, ...] | None) -> Fix:
    """The same Meta with the privileged fields kept server-side; no code when the model's
    fields are not known and the Meta does not list them."""
    server_side = tuple(dict.fromkeys(meta.protected + exposed))
    fields = meta.listed or tuple(f for f in known or () if f not in meta.hidden)
    writable = tuple(f for f in fields if f not in server_side)
    code = meta_class(meta.kind, meta.model, fields, server_side, meta.all_fields) \
        if meta.model and server_side and (writable or meta.kind == "serializer" and meta.all_fields) else ""
    return Fix("List the writable fields explicitly and mark privileged ones read-only.", code,
               "python" if code else "")


def _meta_finding(meta: orm.MetaFact, exposed: tuple[str, ...], known: tuple[str, ...] | None) -> Finding:
    what = "serializer" if meta.kind == "serializer" else "model form"
    spelled = f"`{'`, `'.join(exposed)}`" if exposed else "every model field (including any owner, role or " \
                                                           "flag column added later)"
    how = 'fields = "__all__"' if meta.all_fields else "its field list"
    return make_finding(
        "mass-assignment", Location(meta.path, meta.line, meta.end_line),
        f"{meta.owner} lets clients write {spelled}",
        f"The {what} `{meta.owner}` accepts {spelled} through {how}: a client that sends them in a "
        "create or update request sets them, e.g. makes itself staff, changes a balance or takes over "
        "another account's object.",
        confidence=Confidence.MEDIUM,
        fix=_meta_fix(meta, exposed, known),
        rule=RULE.id, key=f"{meta.owner}:{','.join(exposed)}",
    )


_last = ir.last_name


RULE = Rule("py-mass-assignment", frozenset({"mass-assignment"}), "python", check, collect=collect, combine=combine)
