"""Excessive data exposure through a model's own serialising method: a request handler sends the
client what `user.to_dict()` or `User.list_for_debug()` builds, and that method copies the
password hash, a token or another secret column into the dict.

## What it finds
A method of a class in the project that returns a dict literal with a secret attribute of the
object as a value (`{"username": self.username, "password": self.password}`), or a list built
from such a method (`[User.as_json_debug(u) for u in User.query.all()]`), whose result a request
handler of any file puts into its response (`return jsonify(User.all_debug())`,
`JsonResponse({"users": [u.to_dict() for u in users]})`); and a FastAPI route whose `response_model`
is a schema (in any file) that declares a password, password hash, salt or card-security field.

## Why it matters
The method looks like a harmless `to_dict`, and the handler like a harmless list endpoint; together
they send every password hash or token to whoever calls the endpoint. Hashes are cracked offline,
tokens are replayed, and the leak is invisible in the UI, which never shows those keys.

## Example
```python
class User(db.Model):
    def to_dict(self):
        return {"id": self.id, "email": self.email, "password_hash": self.password_hash}

@app.get("/users/<int:user_id>")
def get_user(user_id):
    return jsonify(User.query.get_or_404(user_id).to_dict())
```
Use instead:
```python
    def to_dict(self):
        return {"id": self.id, "email": self.email}
```

## Fix
Leave secrets out of every dict a response can carry; give internal callers a separate method,
or serialise through a schema that lists the public fields.

## Known problems
Secrets are judged by the attribute's name (password, token, secret, api key ...). A call is
matched to its method by the class it is written on (`User.to_dict(u)`, `User.all_debug()`), or
by the method's name when only one class of the project defines a method of that name; a method
reached through another helper, or a dict built in steps, is not followed (false negative).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._common import words
from servicelens.rules.python._orm import is_sensitive, model_classes
from servicelens.taint.scope import ModuleScope

_RESPONSES = frozenset({"jsonify", "JsonResponse", "Response", "make_response", "JSONResponse", "dumps",
                        "ORJSONResponse", "UJSONResponse", "render", "render_template"})


@dataclass(frozen=True, slots=True)
class Exposer:
    """`Class.method` returns a dict with these secret attributes of the object (or, through
    `relays_to`, a list of what another method of the project returns)."""
    cls: str
    method: str
    fields: tuple[str, ...]
    path: str
    line: int
    relays_to: str = ""  # the method name whose results this one lists


@dataclass(frozen=True, slots=True)
class HandedOut:
    """A call in a request handler whose result goes into the response."""
    cls: str  # the class it is written on (`User.all_debug()`), or "" for `obj.to_dict()`
    method: str
    handler: str
    path: str
    line: int
    end_line: int
    mentioned: frozenset[str] = frozenset()  # classes the handler names (`Customer.query...`), for `obj.to_dict()`


@dataclass(frozen=True, slots=True)
class ResponseSchema:
    """A FastAPI route's declared response model, or a validation schema with secret fields."""
    name: str
    fields: tuple[str, ...]  # the schema's password-like fields ("" for a route)
    handler: str  # the route's function ("" for a schema)
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class ExposureFacts:
    exposers: tuple[Exposer, ...]
    calls: tuple[HandedOut, ...]
    methods: tuple[tuple[str, str], ...]  # (class, method) of every method defined here
    schemas: tuple[ResponseSchema, ...] = ()
    routes: tuple[ResponseSchema, ...] = ()


_NOTHING = ExposureFacts((), (), ())
# what no response should carry even by design (a token endpoint returns its token; nothing returns a hash)
_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "hashed", "salt", "ssn", "cvv", "cvc"})


def collect(module: ir.Module, scope: ModuleScope) -> ExposureFacts | None:
    if is_test_path(module.path) or "migrations/" in module.path:
        return None
    methods = tuple((f.class_name, f.name) for f in module.functions if f.class_name and f.parent is None)
    exposers = tuple(e for f in module.functions if f.class_name and f.parent is None
                     for e in _exposers(module, f))
    calls = tuple(c for f in module.functions if f.qualname in scope.handlers for c in _handed_out(module, f))
    schemas = tuple(ResponseSchema(c.name, secret, "", module.path, c.line) for c in model_classes(module).values()
                    if not c.orm and (secret := tuple(f for f in c.fields if set(words(f)) & _PASSWORD_WORDS)))
    routes = tuple(ResponseSchema(name, (), f.name, module.path, line) for f in module.functions
                   if f.qualname in scope.handlers and scope.handlers[f.qualname].framework == "fastapi"
                   for name, line in [_response_model(f)] if name)
    return contribution(ExposureFacts(exposers, calls, methods, schemas, routes), _NOTHING)


def _response_model(function: ir.Function) -> tuple[str, int]:
    """`@router.get(..., response_model=list[UserOut])` -> ("UserOut", the decorator's line)."""
    for decorator in function.decorators:
        value = decorator.kwarg("response_model") if isinstance(decorator, ir.Call) else None
        while isinstance(value, ir.Subscript):  # List[X], Optional[X], Page[X]
            value = value.index.elts[0] if isinstance(value.index, ir.Seq) and value.index.elts else value.index
        if isinstance(value, (ir.Name, ir.Attr)):
            return ir.last_name(value), decorator.line  # type: ignore[union-attr]
    return "", 0


def _exposers(module: ir.Module, function: ir.Function) -> Iterator[Exposer]:
    """The function's returned dict literal, or list comprehension over another method's results."""
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Return) or stmt.value is None:
            continue
        value = stmt.value
        if isinstance(value, ir.DictExpr):
            fields = tuple(v.attr for v in value.values if isinstance(v, ir.Attr) and isinstance(v.value, ir.Name)
                           and v.value.id == "self" and is_sensitive(v.attr))
            if fields:
                yield Exposer(function.class_name or "", function.name, fields, module.path, stmt.line)
                return
        elif isinstance(value, ir.Comprehension) and isinstance(value.elt, ir.Call):
            name = ir.dotted_name(value.elt.func) or ""
            if "." in name:
                yield Exposer(function.class_name or "", function.name, (), module.path, stmt.line,
                              relays_to=name.rsplit(".", 1)[-1])
                return


def _handed_out(module: ir.Module, function: ir.Function) -> Iterator[HandedOut]:
    returned = _returned_names(function)
    mentioned = frozenset(ir.last_name(n) for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s)
                          for n in ir.walk_expr(e) if isinstance(n, (ir.Name, ir.Attr)) and ir.last_name(n)[:1].isupper())
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and _reaches_client(stmt, node, returned):
                    receiver = node.func.value
                    head = ir.dotted_name(receiver) or ""
                    cls = head.rsplit(".", 1)[-1] if head and head.rsplit(".", 1)[-1][:1].isupper() else ""
                    yield HandedOut(cls, node.func.attr, function.name, module.path, node.line,
                                    node.end_line or node.line, frozenset() if cls else mentioned)


_AGGREGATES = frozenset({"len", "bool", "sum", "any", "all", "min", "max", "count", "hash"})


def _returned_names(function: ir.Function) -> set[str]:
    """Names whose value the response carries (directly or through one assignment), not just
    their size or truth (`len(rows)`)."""
    names = {n for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return) and s.value is not None
             for n in _carried(s.value)}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and \
                any(isinstance(t, ir.Name) and t.id in names for t in stmt.targets):
            names |= _carried(stmt.value)
    return names


def _carried(expr: ir.Expr) -> set[str]:
    hidden = {id(n) for node in ir.walk_expr(expr) if isinstance(node, ir.Call)
              and ir.last_name(node.func) in _AGGREGATES for arg in node.args for n in ir.walk_expr(arg)}
    return {n.id for n in ir.walk_expr(expr) if isinstance(n, ir.Name) and id(n) not in hidden}


def _reaches_client(stmt: ir.Stmt, node: ir.Call, returned: set[str]) -> bool:
    """Returned, bound to a name that is returned, or an argument of a response call."""
    if isinstance(stmt, ir.Return):
        return True
    if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id in returned for t in stmt.targets):
        return True
    for expr in ir.stmt_exprs(stmt):
        for call in ir.walk_expr(expr):
            if isinstance(call, ir.Call) and ir.last_name(call.func) in _RESPONSES and \
                    any(node is n for a in (*call.args, *(k.value for k in call.kwargs)) for n in ir.walk_expr(a)):
                return True
    return False


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, ExposureFacts)]
    owners: dict[str, set[str]] = {}  # method name -> classes defining it
    for fact in facts:
        for cls, method in fact.methods:
            owners.setdefault(method, set()).add(cls)
    exposing = _resolve({(e.cls, e.method): e for fact in facts for e in fact.exposers}, owners)
    seen: set[tuple[str, int]] = set()
    for fact in facts:
        for call in fact.calls:
            # `obj.to_dict()`: the one class defining the method, and only if the handler names it
            classes = owners.get(call.method, set()) & (call.mentioned or {call.cls})
            cls = call.cls or (next(iter(classes)) if len(classes) == 1 else "")
            found = exposing.get((cls, call.method))
            if found is None or (call.path, call.line) in seen:
                continue
            seen.add((call.path, call.line))
            yield _finding(call, *found)
    schemas: dict[str, list[ResponseSchema]] = {}
    for fact in facts:
        for schema in fact.schemas:
            schemas.setdefault(schema.name, []).append(schema)
    for fact in facts:
        for route in fact.routes:
            declared = schemas.get(route.name, [])
            if len(declared) == 1:
                yield _schema_finding(route, declared[0])


def _schema_finding(route: ResponseSchema, schema: ResponseSchema) -> Finding:
    spelled = "`" + "`, `".join(schema.fields) + "`"
    return make_finding(
        "excessive-data-exposure", Location(route.path, route.line),
        f"`{route.handler}` answers with `{schema.name}`, which carries {spelled}",
        f"The route's response model `{schema.name}` declares {spelled}, so FastAPI serialises it into every "
        "response: password hashes are cracked offline, and nothing the client does needs them.",
        confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(route.path, route.line), f"`{route.handler}` declares response_model={schema.name}"),
                  TraceStep(Location(schema.path, schema.line), f"`{schema.name}` declares {spelled}")),
        fix=Fix(f"Answer with a public schema (without {spelled}) and keep `{schema.name}` for internal use.", "", ""),
        rule=RULE.id, key=f"{route.handler}:{schema.name}",
    )


def _resolve(exposers: dict[tuple[str, str], Exposer], owners: dict[str, set[str]]
             ) -> dict[tuple[str, str], tuple[Exposer, tuple[str, ...]]]:
    """Each method that hands out secrets: directly, or by listing what such a method returns
    (one level of listing is followed), with the method that builds the dict."""
    direct = {key: (e, e.fields) for key, e in exposers.items() if e.fields}
    out = dict(direct)
    for key, relay in exposers.items():
        if relay.fields:
            continue
        classes = owners.get(relay.relays_to, set())
        target = (relay.cls, relay.relays_to) if (relay.cls, relay.relays_to) in direct else \
            (next(iter(classes)), relay.relays_to) if len(classes) == 1 else None
        if target in direct:
            out[key] = direct[target]
    return out


def _finding(call: HandedOut, exposer: Exposer, fields: tuple[str, ...]) -> Finding:
    spelled = "`" + "`, `".join(fields) + "`"
    where = f"{exposer.cls}.{exposer.method}"
    return make_finding(
        "excessive-data-exposure", Location(call.path, call.line, call.end_line),
        f"`{call.handler}` sends {spelled} to the client through `{call.method}()`",
        f"`{call.handler}` puts what `{call.method}()` returns into its response, and `{where}` copies "
        f"{spelled} of the object into that dict. Anyone who can call the endpoint reads them in the raw JSON: "
        "password hashes are cracked offline, tokens and keys are replayed.",
        confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(call.path, call.line), f"`{call.handler}` returns what `{call.method}()` gives"),
                  TraceStep(Location(exposer.path, exposer.line), f"`{where}` puts {spelled} into the dict")),
        fix=Fix(f"Leave {spelled} out of what `{call.method}()` returns, or serialise the response through a "
                "schema that lists only public fields.", "", ""),
        rule=RULE.id, key=f"{call.handler}:{call.method}",
    )


RULE = Rule("py-excessive-data-exposure-methods", frozenset({"excessive-data-exposure"}), "python", no_findings,
            collect=collect, combine=combine)
