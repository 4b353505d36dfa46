"""Mass assignment: the whole request body written into a database model or entity.

## What it finds
`User.create(req.body)`, `new Order(req.body)`, `Object.assign(user, req.body)`,
`Model.findByIdAndUpdate(id, req.body)`, `repo.update(id, { ...req.body })`,
`prisma.user.create({ data: req.body })`, `User.updateOne({ _id }, { $set: req.body })`, `doc.set(req.body)` on a loaded document, and the same through a variable assigned straight
from `req.body`, in a route handler; and across files, the body handed whole (from a handler, or any function
given the request, such as a controller method a router in another file registers) to a service,
repository or DAO method (`users.update(req.params.id, req.body)`, through injected members,
imports and module-level instances) that writes that parameter whole
(`prisma.user.update({ where: { id }, data: changes })`), reported at the write. A body that went through a schema (`schema.parse(req.body)`,
`pick(req.body, [...])`) is a different value and is not reported. A write-named call that lands
on a method the project defines (`meta.columns.create(req.body)`, `teams.update(id, req.body)`) is
that method's business: it is reported where the method writes its parameter whole, and not at all
when the method names the fields it reads (`create({ name, price })` builds its write from them).
A NestJS `@Body()` parameter is the whole body when its declared type gives the ValidationPipe no
class to validate and whitelist by: Prisma's generated input types (`Prisma.UserUpdateInput`, and the
other ORM packages of models/node/rules.yaml `model_type_packages`), an interface or type alias, an
inline or generic type, `any`, or none; a body typed by a class is taken as its validated DTO.

## Why it matters
The client chooses every field: `role: "admin"`, `isVerified: true`, `balance`, `ownerId`.
Fields added to the model later become writable without anyone deciding so.

## Example
```js
const user = await User.create(req.body);
```
Use instead:
```js
const { name, email } = req.body;
const user = await User.create({ name, email });
```

## Fix
Copy the fields a client may set by name (or validate with a schema that strips unknown keys),
and set owner/role/status fields from the server's own data.

A repository function that builds an UPDATE or INSERT from the keys of its parameter
(`Object.entries(fields).map(([column], i) => ...)`, a generic column updater) writes whatever keys
the object has: handed the body whole, it is reported at its query.

## Known problems
A generic column updater that filters the keys against a list of its own before building the
statement is still taken to write them all. Models that declare their writable fields (a Mongoose schema with `strict` and no sensitive
paths) are still reported: the rule does not read the model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.config.settings import Settings
from servicelens.model.finding import Location, TraceStep
from servicelens.rules.base import Rule, contribution, iter_calls
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import handler_functions, knowledge, location, named_calls, request_field
from servicelens.taint.scope import ModuleScope

# keys whose object is written field by field: Prisma's `data`, MongoDB's `$set`/`$setOnInsert`
# update operators (`updateOne({ _id }, { $set: req.body })` sets every key the client sent)
_CONTAINERS = frozenset({"data", "$set", "$setOnInsert"})
_NOT_MODELS = frozenset({"Error", "Date", "URL", "Map", "Set", "Promise", "RegExp", "Buffer", "Headers", "Response",
                         "Request", "URLSearchParams", "FormData", "Blob", "Array", "Object", "TypeError"})


@dataclass(frozen=True, slots=True)
class Writer:
    """Function `key` writes its parameter `param` whole into a model (at `line`, by `where`)."""
    key: str
    param: int
    path: str
    line: int
    where: str
    code: str


@dataclass(frozen=True, slots=True)
class Hand:
    """Function `key` hands its parameter `param` (-1: the request body, in a handler) whole to
    argument `arg` of `callee`."""
    key: str
    param: int
    callee: str
    arg: int
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Direct:
    """A handler's write of the whole body through a call that may be a project function's
    (`pgMeta.columns.create(request.body)`, `this.users.update(id, req.body)`): an ORM write only
    when no function of the project answers to `callee`, decided once every file is known."""
    callee: str
    location: Location
    where: str
    code: str


@dataclass(frozen=True, slots=True)
class Facts:
    writers: tuple[Writer, ...]
    hands: tuple[Hand, ...]
    members: tuple[tuple[str, str], ...]
    aliases: tuple[tuple[str, str], ...]
    directs: tuple[Direct, ...] = ()
    # keys of this module's functions named like a model write (`create`, `update`, ...): a call
    # that lands on one of them is the project's own code, judged by what it does with its parameter
    defined: tuple[str, ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    known = knowledge()
    handlers = frozenset(f.qualname for f in handler_functions(module, scope))
    writers: list[Writer] = []
    hands: list[Hand] = []
    for named in named_calls(module, scope):
        function = named.function
        if function is None:
            continue
        key = f"{module.module_name}.{function.qualname}"
        params = {p.name: i for i, p in enumerate(function.params)}
        held = _param_aliases(function, params)
        call = named.call
        target = _write_target(named.name, call, known.model_writes, known.copy_calls) or \
            _set_on_document(call, known.document_setters)
        if target is not None and function.qualname not in handlers:
            for arg in (call.args[1:] if target == "copy" else call.args):
                param = _whole_param(arg, held)
                if param is not None:
                    writers.append(Writer(key, param, module.path, call.line,
                                          ir.dotted_name(call.func) or named.name or "the model",
                                          module.line_text(call.line)))
        into = calls.callee(module, scope, function, call)
        if not into:
            continue
        body = _body_variables(function, scope) if function.qualname in handlers or _takes_request(function) else None
        for index, arg in enumerate(call.args):
            param = -1 if body is not None and _whole_body(arg, body) else _whole_param(arg, held)
            if param is not None:
                hands.append(Hand(key, param, into, index, module.path, call.line, module.line_text(call.line)))
    writers.extend(_column_writers(module, handlers))
    directs = tuple(_directs(module, scope, handlers))
    defined = tuple(f"{module.module_name}.{f.qualname}" for f in module.functions
                    if f.name in known.model_writes and ".<locals>." not in f.qualname)
    facts = Facts(tuple(writers), tuple(hands), tuple(calls.members(module, scope)), tuple(calls.aliases(module)),
                  directs, defined)
    return contribution(facts, Facts((), (), (), ()))


# an UPDATE or INSERT statement: its columns are what the text is built from
_WRITE_SQL = re.compile(r"(?is)\bupdate\b.+\bset\b|\binsert\s+into\b")


def _column_writers(module: ir.Module, handlers: frozenset[str]) -> Iterator[Writer]:
    """A generic column updater: a function that names the columns of an UPDATE or INSERT it builds
    after the keys of its parameter (`Object.entries(fields).map(([col], i) => `${col} = $${i}`)`):
    whatever keys the caller's object has are written."""
    for function in module.functions:
        if function.qualname in handlers or ".<locals>." in function.qualname:
            continue
        held = _param_aliases(function, {p.name: i for i, p in enumerate(function.params)})
        keyed = {held[call.args[0].id] for call in iter_calls(function.body)
                 if ir.dotted_name(call.func) in ("Object.keys", "Object.entries") and call.args
                 and isinstance(call.args[0], ir.Name) and call.args[0].id in held}
        if not keyed:
            continue
        texts = {t.id: stmt.value for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign)
                 and isinstance(stmt.value, ir.FormattedString) for t in stmt.targets if isinstance(t, ir.Name)}
        for call in iter_calls(function.body):
            text = call.args[0] if call.args else None
            text = texts.get(text.id, text) if isinstance(text, ir.Name) else text
            if isinstance(text, ir.FormattedString) and _WRITE_SQL.search(
                    "".join(p.value for p in text.parts if isinstance(p, ir.Const) and isinstance(p.value, str))):
                for param in sorted(keyed):
                    yield Writer(f"{module.module_name}.{function.qualname}", param, module.path, call.line,
                                 ir.dotted_name(call.func) or "the query", module.line_text(call.line))
                break


def _directs(module: ir.Module, scope: ModuleScope, handlers: frozenset[str]) -> Iterable[Direct]:
    for named, where in _body_writes(module, scope, handlers):
        into = _project_callee(module, scope, named)
        if into:
            yield Direct(into, location(module, named.call), where, module.line_text(named.call.line))


def _project_callee(module: ir.Module, scope: ModuleScope, named: object) -> str:
    """What a model-write-named call lands on when it is a method call the project may define
    (`pgMeta.columns.create`, `this.service.update`); "" for a constructor or a copy."""
    call = named.call  # type: ignore[attr-defined]
    if not isinstance(call.func, ir.Attr) or named.function is None:  # type: ignore[attr-defined]
        return ""
    return calls.callee(module, scope, named.function, call)  # type: ignore[attr-defined]


def _param_aliases(function: ir.Function, params: Mapping[str, int]) -> dict[str, int]:
    """Parameters, and locals assigned one straight (`const data = changes`)."""
    held = dict(params)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in held:
            held.update({t.id: held[stmt.value.id] for t in stmt.targets if isinstance(t, ir.Name)})
    return held


def _whole_param(expr: ir.Expr, held: Mapping[str, int]) -> int | None:
    """The parameter an argument is whole: `changes`, `{ ...changes, updatedAt }`, `{ data: changes }`."""
    if isinstance(expr, ir.Name) and expr.id in held:
        return held[expr.id]
    if isinstance(expr, ir.DictExpr):
        for key, value in zip(expr.keys, expr.values):
            if key is None or (isinstance(key, ir.Const) and key.value in _CONTAINERS):
                found = _whole_param(value, held)
                if found is not None:
                    return found
    return None


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, Facts)]
    members = {member: held for f in facts for member, held in f.members}
    aliases = {alias: key for f in facts for alias, key in f.aliases}
    writers: dict[tuple[str, int], Writer] = {}
    for f in facts:
        for writer in f.writers:
            writers.setdefault((writer.key, writer.param), writer)
    hands: dict[tuple[str, int], list[Hand]] = {}
    for f in facts:
        for hand in f.hands:
            hands.setdefault((hand.key, hand.param), []).append(hand)
    reported: set[tuple[str, int]] = set()
    # a body written through a method no function of the project defines is the ORM's own write
    defined = {key for f in facts for key in f.defined}
    for f in facts:
        for direct in f.directs:
            if _lands_on(direct.callee, members, aliases) not in defined:
                reported.add((direct.location.path, direct.location.start_line))
                yield _direct_finding(direct.location, direct.where, direct.code)
    for start in sorted((h for f in facts for h in f.hands if h.param == -1), key=lambda h: (h.path, h.line)):
        found = _follow(start, writers, hands, members, aliases, 0, frozenset())
        if found is None:
            continue
        path, writer = found
        if (writer.path, writer.line) in reported:
            continue
        reported.add((writer.path, writer.line))
        steps = tuple(TraceStep(Location(h.path, h.line, h.line), "the request body is handed on whole" if i == 0
                                else "handed on again", h.code) for i, h in enumerate(path))
        steps += (TraceStep(Location(writer.path, writer.line, writer.line), "written whole", writer.code),)
        yield make_finding(
            "mass-assignment", Location(writer.path, writer.line, writer.line),
            f"Request body written whole by `{writer.where}` (handed down from `{path[0].path}:{path[0].line}`)",
            "The client chooses every field, including ones it must not set (role, owner, verified flags, "
            "balances); fields added to the model later become writable too.",
            severity=Severity.HIGH, confidence=Confidence.MEDIUM, evidence=steps,
            fix=Fix("Copy the fields a client may set by name, in the handler or here (or validate with a schema "
                    "that strips unknown keys).", _fix(writer.code), "javascript"),
            rule=RULE.id, key=f"{writer.where}|{writer.code}",
        )


def _lands_on(callee: str, members: Mapping[str, str], aliases: Mapping[str, str]) -> str:
    """The project function a call names, through the member's holder as its module exports it
    (`member:lib.Meta.columns.create`, `lib.Meta` exporting class `Meta` by default) and a default
    import of the held class (`lib.Columns.default` is the class `lib.Columns` exports)."""
    if callee.startswith("member:"):
        holder, _, method = callee[len("member:"):].rpartition(".")
        held = members.get(holder) or members.get(calls.dealiased(_without_default(holder), aliases))
        if not held:
            return ""
        callee = f"{held}.{method}"
    return calls.dealiased(_without_default(callee), aliases)


def _without_default(name: str) -> str:
    """`lib.columns.default.create` -> `lib.columns.create`: a module's default export is called by
    the module's name (`_calls.aliases`)."""
    return ".".join(part for part in name.split(".") if part != "default")


def _follow(hand: Hand, writers: Mapping[tuple[str, int], Writer], hands: Mapping[tuple[str, int], list[Hand]],
            members: Mapping[str, str], aliases: Mapping[str, str], depth: int, seen: frozenset[str]
            ) -> tuple[list[Hand], Writer] | None:
    callee = calls.dealiased(calls.resolved(hand.callee, members), aliases)
    if not callee or callee in seen or depth > 4:
        return None
    for onward in hands.get((callee, hand.arg), ()):  # a project method named `update` hands it on
        found = _follow(onward, writers, hands, members, aliases, depth + 1, seen | {callee})
        if found is not None:
            return [hand] + found[0], found[1]
    writer = writers.get((callee, hand.arg))
    known = {key for key, _ in (*hands, *writers)} if writer is not None else set()
    if writer is not None and not any(  # the write is a call of a project method we know, not the ORM's
            h.line == writer.line and calls.dealiased(calls.resolved(h.callee, members), aliases) in known
            for h in hands.get((callee, hand.arg), ())):
        return [hand], writer
    return None


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    """Writes of the whole body in a handler; a method call the project may define itself is
    left to `combine` (`Direct`)."""
    handlers = frozenset(f.qualname for f in handler_functions(module, scope))
    for named, where in _body_writes(module, scope, handlers):
        if not _project_callee(module, scope, named):
            yield _direct_finding(location(module, named.call), where, module.line_text(named.call.line))


def _body_writes(module: ir.Module, scope: ModuleScope, handlers: frozenset[str]) -> Iterable[tuple[object, str]]:
    """(the named call, what writes) for every call in a handler that writes the whole body."""
    if not handlers:
        return
    known = knowledge()
    body_vars: dict[str, frozenset[str]] = {}
    for named in named_calls(module, scope):
        if named.function is None or named.function.qualname not in handlers:
            continue
        call = named.call
        if named.function.qualname not in body_vars:
            body_vars[named.function.qualname] = _body_variables(named.function, scope)
        target = _write_target(named.name, call, known.model_writes, known.copy_calls) or \
            _set_on_document(call, known.document_setters)
        if target is None:
            continue
        candidates = call.args[1:] if target == "copy" else call.args
        if any(_whole_body(arg, body_vars[named.function.qualname]) for arg in candidates):
            yield named, ir.dotted_name(call.func) or named.name or "the model"


def _direct_finding(where_at: Location, where: str, code: str) -> Finding:
    return make_finding(
        "mass-assignment", where_at, f"Request body written whole by `{where}`",
        "The client chooses every field, including ones it must not set (role, owner, verified flags, "
        "balances); fields added to the model later become writable too.",
        severity=Severity.HIGH, confidence=Confidence.MEDIUM,
        fix=Fix("Copy the fields a client may set by name (or validate with a schema that strips unknown keys).",
                _fix(code), "javascript"),
        rule=RULE.id, key=f"{where}|{code}",
    )


def _write_target(name: str, call: ir.Call, writes: frozenset[str], copies: frozenset[str]) -> str | None:
    if name in copies:
        first = call.args[0] if call.args else None
        return "copy" if not (isinstance(first, ir.DictExpr) and not first.keys) else None  # `Object.assign({}, ...)`
    if isinstance(call.func, ir.Attr) and call.func.attr in writes:
        return "write"
    callee = name.rsplit(".", 1)[-1]
    if isinstance(call.func, ir.Name) and callee[:1].isupper() and callee not in _NOT_MODELS and \
            name.rsplit(".", 1)[0] != name:
        return "new"  # an imported class, constructed from the body: `new User(req.body)`
    return None


def _set_on_document(call: ir.Call, setters: frozenset[str]) -> str | None:
    """`user.set(req.body)`: every key of the object copied onto a loaded document; two arguments
    (`map.set(key, value)`) or the response (`res.set(headers)`) are something else."""
    if isinstance(call.func, ir.Attr) and call.func.attr in setters and len(call.args) == 1 and \
            (ir.dotted_name(call.func.value) or "") not in _RESPONSES:
        return "write"
    return None


_RESPONSES = frozenset({"res", "response", "reply", "ctx", "ctx.response"})


def _takes_request(function: ir.Function) -> bool:
    """A function handed the request (`req`/`request`), a handler whatever registers it: a
    controller method or class property a router in another file binds (`router.patch('/', c.update)`)."""
    return any(p.name in _REQUEST_NAMES for p in function.params)


_REQUEST_NAMES = frozenset({"req", "request"})


def _body_variables(function: ir.Function, scope: ModuleScope | None = None) -> frozenset[str]:
    """Variables that hold `req.body` itself (`const data = req.body`), and a NestJS handler's
    whole-body parameter no validation pipe can filter (`_unvalidated`)."""
    found = set(_unvalidated_bodies(function, scope)) if scope is not None else set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and request_field(stmt.value, "body"):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


_WHOLE_BODY = "request body"  # the source label of a parameter holding the whole body (frameworks/nestjs.py)
# types a validation pipe cannot read fields from: TypeScript erases them to `Object`
_UNTYPED = frozenset({"any", "unknown", "object", "Object"})


def _unvalidated_bodies(function: ir.Function, scope: ModuleScope) -> Iterator[str]:
    """`@Body() body: Prisma.MerchantUpdateInput` (or `any`, an interface, an inline or generic type, no
    type): Nest's ValidationPipe validates and whitelists a body only by the class it is declared as, so
    a body typed otherwise reaches the handler as the client sent it. A body typed by a class is taken
    as its validated DTO."""
    handler = scope.handlers.get(function.qualname)
    if handler is None:
        return
    wanted = {name for name, label in handler.source_params if label == _WHOLE_BODY}
    shapes = {shape.name for shape in scope.module.shapes}
    packages = knowledge().model_type_packages
    for param in function.params:
        if param.name in wanted and _unvalidated(param.annotation, shapes, scope.imports, packages):
            yield param.name


def _unvalidated(annotation: ir.Expr | None, shapes: set[str], imports: Mapping[str, str],
                 packages: frozenset[str]) -> bool:
    if annotation is None or isinstance(annotation, (ir.Opaque, ir.Subscript)):
        return True
    dotted = ir.dotted_name(annotation) or ""
    if dotted in _UNTYPED or dotted in shapes:
        return True
    target = imports.get(dotted.partition(".")[0], "")
    return any(target == p or target.startswith(p + ".") for p in packages)


def _whole_body(expr: ir.Expr, aliases: frozenset[str]) -> bool:
    if request_field(expr, "body") or (isinstance(expr, ir.Name) and expr.id in aliases):
        return True
    if isinstance(expr, ir.DictExpr):
        for key, value in zip(expr.keys, expr.values):
            if key is None and _whole_body(value, aliases):
                return True  # `{ ...req.body, ownerId }`
            if isinstance(key, ir.Const) and key.value in _CONTAINERS and _whole_body(value, aliases):
                return True  # Prisma `{ data: req.body }`, MongoDB `{ $set: req.body }`
    return False


def _fix(line: str) -> str:
    replaced = line.replace("{ ...req.body", "{ name, email").replace("...req.body", "name, email") \
        .replace("req.body", "{ name, email }")
    return "const { name, email } = req.body; // the fields a client may set, by name\n" + replaced


RULE = Rule("js-mass-assignment", frozenset({"mass-assignment"}), "javascript", check, collect=collect,
            combine=combine)
