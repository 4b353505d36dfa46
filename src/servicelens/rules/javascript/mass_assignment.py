"""Mass assignment: the whole request body written into a database model or entity.

## What it finds
`User.create(req.body)`, `new Order(req.body)`, `Object.assign(user, req.body)`,
`Model.findByIdAndUpdate(id, req.body)`, `repo.update(id, { ...req.body })`,
`prisma.user.create({ data: req.body })`, `doc.set(req.body)` on a loaded document, and the same through a variable assigned straight
from `req.body`, in a route handler. A body that went through a schema (`schema.parse(req.body)`,
`pick(req.body, [...])`) is a different value and is not reported.

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

## Known problems
Models that declare their writable fields (a Mongoose schema with `strict` and no sensitive
paths) are still reported: the rule does not read the model.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import handler_functions, knowledge, location, named_calls, request_field
from servicelens.taint.scope import ModuleScope

_NOT_MODELS = frozenset({"Error", "Date", "URL", "Map", "Set", "Promise", "RegExp", "Buffer", "Headers", "Response",
                         "Request", "URLSearchParams", "FormData", "Blob", "Array", "Object", "TypeError"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    handlers = {f.qualname: f for f in handler_functions(module, scope)}
    if not handlers:
        return
    known = knowledge()
    body_vars = {q: _body_variables(f) for q, f in handlers.items()}
    for named in named_calls(module, scope):
        if named.function is None or named.function.qualname not in handlers:
            continue
        call, aliases = named.call, body_vars[named.function.qualname]
        target = _write_target(named.name, call, known.model_writes, known.copy_calls) or \
            _set_on_document(call, known.document_setters)
        if target is None:
            continue
        candidates = call.args[1:] if target == "copy" else call.args
        if not any(_whole_body(arg, aliases) for arg in candidates):
            continue
        where = ir.dotted_name(call.func) or named.name or "the model"
        yield make_finding(
            "mass-assignment", location(module, call), f"Request body written whole by `{where}`",
            "The client chooses every field, including ones it must not set (role, owner, verified flags, "
            "balances); fields added to the model later become writable too.",
            severity=Severity.HIGH, confidence=Confidence.MEDIUM,
            fix=Fix("Copy the fields a client may set by name (or validate with a schema that strips unknown keys).",
                    _fix(module.line_text(call.line)), "javascript"),
            rule=RULE.id, key=f"{where}|{module.line_text(call.line)}",
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


def _body_variables(function: ir.Function) -> frozenset[str]:
    """Variables that hold `req.body` itself (`const data = req.body`)."""
    found = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and request_field(stmt.value, "body"):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _whole_body(expr: ir.Expr, aliases: frozenset[str]) -> bool:
    if request_field(expr, "body") or (isinstance(expr, ir.Name) and expr.id in aliases):
        return True
    if isinstance(expr, ir.DictExpr):
        for key, value in zip(expr.keys, expr.values):
            if key is None and _whole_body(value, aliases):
                return True  # `{ ...req.body, ownerId }`
            if isinstance(key, ir.Const) and key.value == "data" and _whole_body(value, aliases):
                return True  # Prisma `{ data: req.body }`
    return False


def _fix(line: str) -> str:
    replaced = line.replace("{ ...req.body", "{ name, email").replace("...req.body", "name, email") \
        .replace("req.body", "{ name, email }")
    return "const { name, email } = req.body; // the fields a client may set, by name\n" + replaced


RULE = Rule("js-mass-assignment", frozenset({"mass-assignment"}), "javascript", check, requires=("body",))
