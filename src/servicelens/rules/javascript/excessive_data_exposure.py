"""Excessive data exposure: a handler answers with whole records of a model that stores a
credential (a password hash, a secret, a token), so the client receives it.

## What it finds
Across files: a model the project itself writes a credential into (`passwordHash: await
bcrypt.hash(...)` in a `create`/`update`/`save`, a Mongoose/Sequelize schema field named for
one: `stored_secret_words` in models/node/rules.yaml), and a route handler that loads records of
that model (`prisma.user.findUnique(...)`, `User.findById(id)`, `repo.findOne(...)`) with no
field selection (`select`, `attributes`, `projection`, `omit`, `.select('-password')`) and
answers with them as they are (`res.json(user)`, `res.send({ user })`, a NestJS controller's
`return user`). Reported at the answer. A field the schema hides (`select: false`) or the
handler removes (`delete user.password`, `user.password = undefined`) is not reported.

## Why it matters
Every client (and every proxy log and browser cache on the way) receives the hash: offline
guessing of weak passwords starts at once, and secrets such as TOTP seeds or reset tokens give
the account away outright.

## Example
```js
router.get('/users/:id', requireAuth, async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { id: req.params.id } }));
});
```
Use instead:
```js
router.get('/users/:id', requireAuth, async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { id: req.params.id },
                                          select: { id: true, name: true, email: true } }));
});
```

## Fix
Select the fields a client may see (or map the record to a response type) instead of sending
the stored row.

## Known problems
A serializer elsewhere (a `toJSON` override, a class-transformer `@Exclude()`, an interceptor) is
not seen; models are matched by name (`prisma.user`, `User`, `usersRepository` -> `user`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript._node import handler_functions, knowledge, option
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_HOLDERS = frozenset({"repo", "repository", "model", "models", "collection", "table", "dao", "store", "db", "entity"})
_SELECTIONS = frozenset({"select", "attributes", "projection", "omit", "exclude", "fields"})
_ANSWERS = frozenset({"json", "send", "jsonp"})
_HASHES = frozenset({"hash", "hashSync", "scrypt", "scryptSync", "pbkdf2", "pbkdf2Sync", "argon2id"})


@dataclass(frozen=True, slots=True)
class Exposure:
    model: str
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Facts:
    secrets: tuple[tuple[str, str], ...]  # (model, field) the project stores a credential in
    hidden: tuple[tuple[str, str], ...]  # (model, field) a schema keeps out of reads (`select: false`)
    exposures: tuple[Exposure, ...]


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    return ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    if is_dev_path(module.path):
        return None
    known = knowledge()
    secret_words = known.stored_secret_words
    secrets: set[tuple[str, str]] = set()
    hidden: set[tuple[str, str]] = set()
    bodies = [module.body] + [f.body for f in module.functions]
    for body in bodies:
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call):
                        secrets.update(_stored(node, known.row_writes | {"build", "insert"}, secret_words))
                        found, hid = _schema(node, stmt, secret_words)
                        secrets.update(found)
                        hidden.update(hid)
    exposures = tuple(_exposures(module, scope, known))
    return contribution(Facts(tuple(sorted(secrets)), tuple(sorted(hidden)), exposures), Facts((), (), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, Facts)]
    hidden = {h for f in facts for h in f.hidden}
    secrets: dict[str, set[str]] = {}
    for f in facts:
        for model, field in f.secrets:
            if (model, field) not in hidden:
                secrets.setdefault(model, set()).add(field)
    for f in facts:
        for exposure in f.exposures:
            fields = secrets.get(exposure.model)
            if not fields:
                continue
            shown = ", ".join(f"`{name}`" for name in sorted(fields))
            yield make_finding(
                "excessive-data-exposure", Location(exposure.path, exposure.line, exposure.line),
                f"Whole `{exposure.model}` records are sent to the client, with {shown}",
                "The project stores a credential in this model, and the handler answers with the stored rows "
                "as they are: every client receives it.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix("Select the fields a client may see (or map the record to a response type).",
                        "const user = await prisma.user.findUnique({ where: { id },\n"
                        "  select: { id: true, name: true, email: true } });\nres.json(user);", "javascript"),
                rule=RULE.id, key=f"{exposure.model}|{exposure.code}",
            )


def model_name(target: ir.Expr) -> str:
    """`prisma.user` -> user, `User` -> user, `this.usersRepository` -> user, `db('users')` -> user."""
    if isinstance(target, ir.Call) and target.args and isinstance(target.args[0], ir.Const) \
            and isinstance(target.args[0].value, str):
        last = target.args[0].value
    else:
        last = (ir.dotted_name(target) or "").rpartition(".")[2]
    kept = [w.lower() for w in words(last) if w.lower() not in _HOLDERS]
    name = "".join(kept)
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _secret_field(name: str, secret_words: frozenset[str]) -> bool:
    return bool({w.lower() for w in words(name)} & secret_words)


def _stored(call: ir.Call, writes: frozenset[str], secret_words: frozenset[str]) -> Iterator[tuple[str, str]]:
    """A write whose data names a credential field, or fills a field with a password hash."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in writes:
        return
    model = model_name(call.func.value)
    if not model:
        return
    for arg in call.args:
        for data in _data_dicts(arg):
            for key, value in zip(data.keys, data.values):
                field = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else \
                    key.id if isinstance(key, ir.Name) else ""
                if field and (_secret_field(field, secret_words) or _hashed(value)):
                    yield model, field


def _data_dicts(arg: ir.Expr) -> Iterator[ir.DictExpr]:
    if isinstance(arg, ir.DictExpr):
        yield arg
        for key, value in zip(arg.keys, arg.values):
            if isinstance(key, ir.Const) and key.value in ("data", "create", "update", "$set") \
                    and isinstance(value, ir.DictExpr):
                yield value


def _hashed(value: ir.Expr) -> bool:
    return any(isinstance(n, ir.Call) and ir.last_name(n.func) in _HASHES for n in ir.walk_expr(value))


def _schema(call: ir.Call, stmt: ir.Stmt, secret_words: frozenset[str]
            ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """`const UserSchema = new Schema({ password: { type: String, select: false } })`,
    `sequelize.define('User', { password: DataTypes.STRING })`, `User.init({ ... })`."""
    found: set[tuple[str, str]] = set()
    hidden: set[tuple[str, str]] = set()
    name = ir.last_name(call.func) or ""
    fields: ir.Expr | None = None
    model = ""
    if name == "Schema" and call.args:
        fields = call.args[0]
        if isinstance(stmt, ir.Assign):
            target = next((t for t in stmt.targets if isinstance(t, ir.Name)), None)
            model = model_name(ir.Name(0, 0, target.id.removesuffix("Schema").removesuffix("schema"))) if target \
                else ""
    elif name == "define" and len(call.args) >= 2 and isinstance(call.args[0], ir.Const):
        fields, model = call.args[1], model_name(ir.Name(0, 0, str(call.args[0].value)))
    elif name == "init" and call.args and isinstance(call.func, ir.Attr):
        fields, model = call.args[0], model_name(call.func.value)
    if not model or not isinstance(fields, ir.DictExpr):
        return found, hidden
    for key, value in zip(fields.keys, fields.values):
        field = key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else ""
        if field and _secret_field(field, secret_words):
            found.add((model, field))
            selected = option(value, "select") if isinstance(value, ir.DictExpr) else None
            if isinstance(selected, ir.Const) and selected.value is False:
                hidden.add((model, field))
    return found, hidden


def _exposures(module: ir.Module, scope: ModuleScope, known: object) -> Iterator[Exposure]:
    lookups = known.record_lookups | known.list_queries  # type: ignore[attr-defined]
    for function in handler_functions(module, scope):
        loaded: dict[str, str] = {}  # variable -> model, loaded whole
        removed: set[str] = set()
        picked: set[ir.Expr] = set()  # values a destructuring took fields out of: `{ hash, ...rest } = v`
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr):
                picked.add(stmt.value.value)
            if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.value in picked:
                removed.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                model = _whole_read(stmt.value, lookups)
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and model:
                        loaded[target.id] = model
                    if isinstance(target, ir.Attr) and isinstance(target.value, ir.Name):
                        removed.add(target.value.id)  # `user.password = undefined`
            if isinstance(stmt, ir.Delete):
                removed.update(n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name))
            answered = _answered(stmt)
            for expr in answered:
                model = _held(expr, loaded, removed, lookups)
                if model:
                    yield Exposure(model, module.path, stmt.line, module.line_text(stmt.line))
                    break


def _answered(stmt: ir.Stmt) -> list[ir.Expr]:
    """What a statement sends the client: `res.json(x)`, `res.status(200).send(x)`, `return x`."""
    if isinstance(stmt, ir.Return) and stmt.value is not None:
        return [stmt.value]
    out: list[ir.Expr] = []
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _ANSWERS \
                    and node.args and (ir.dotted_name(node.func.value) or "").split(".")[0] in ("res", "response",
                                                                                               "reply", "ctx"):
                out.append(node.args[0])
            elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _ANSWERS \
                    and node.args and isinstance(node.func.value, ir.Call):
                out.append(node.args[0])  # `res.status(200).json(x)`
    return out


def _held(expr: ir.Expr, loaded: Mapping[str, str], removed: set[str], lookups: frozenset[str]) -> str:
    """The model whose whole records the answer is (or holds, in an object literal)."""
    direct = _whole_read(expr, lookups)
    if direct:
        return direct
    if isinstance(expr, ir.Await):
        expr = expr.value
    if isinstance(expr, ir.Name) and expr.id in loaded and expr.id not in removed:
        return loaded[expr.id]
    if isinstance(expr, ir.DictExpr):
        for value in expr.values:
            found = _held(value, loaded, removed, lookups)
            if found:
                return found
    return ""


def _whole_read(expr: ir.Expr, lookups: frozenset[str]) -> str:
    """The model of an awaited read of whole records (no field selection anywhere in its chain)."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    chain: list[ir.Call] = []
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        chain.append(expr)
        expr = expr.func.value
    reads = [c for c in chain if c.func.attr in lookups]  # type: ignore[union-attr]
    if not reads or any(c.func.attr in _SELECTIONS | {"lean", "toObject"} for c in chain):  # type: ignore[union-attr]
        return ""
    read = reads[-1]
    for call in chain:
        for arg in call.args:
            if isinstance(arg, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value in _SELECTIONS
                                                    for k in arg.keys):
                return ""
        if any(isinstance(a, ir.Const) and isinstance(a.value, str) and call.func.attr in lookups and a is not call.args[0]
               for a in call.args):  # type: ignore[union-attr]
            return ""  # Mongoose `findById(id, 'name email')`: a projection
    return model_name(read.func.value)  # type: ignore[union-attr]


RULE = Rule("js-excessive-data-exposure", frozenset({"excessive-data-exposure"}), "javascript", check,
            collect=collect, combine=combine)
