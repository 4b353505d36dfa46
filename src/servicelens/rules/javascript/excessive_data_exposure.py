"""Excessive data exposure: a handler answers with whole records of a model that stores a
credential (a password hash, a secret, a token), so the client receives it.

## What it finds
Across files: a model the project itself writes a credential into (`passwordHash: await
bcrypt.hash(...)` in a `create`/`update`/`save`, a Mongoose/Sequelize schema field named for
one: `stored_secret_words` and `stored_secret_heads` in models/node/rules.yaml), and a route handler that loads records of
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

Records are followed through the project functions on the way: a service or repository method
returning them (judged by its body), and a helper handed them that hands them back wrapped
(`res.json(envelope(await teams.members(id)))`, `return { account: row, fetchedAt }`), not one
that maps them to chosen fields (`toProfile(row)`) or counts them. Records reach an answer through
callbacks too: a `.then((user) => res.json(user))` callback holds what the promise resolves to,
and a read's Node-style callback (`User.findById(id, (err, user) => ...)`) what it reads. A
project helper that answers what it is handed (`ok(res, data) { res.json({ status, data }) }`)
answers the records handed to it, wherever it is called; one that answers a count or nothing
does not. A `create` (or Prisma `upsert`) hands the stored record back whole. A model that decides its own
JSON (a `toJSON()` method on its class, Mongoose `UserSchema.set('toJSON', { transform })` or
`UserSchema.methods.toJSON = ...`) is not reported: `res.json` sends what `toJSON` returns.

Credential columns may be declared outside JS/TS: a Prisma schema's scalar fields named for one
(`passwordHash String` in `model User`) are stored credentials, unless the schema (`@ignore`,
`@@ignore`) or the client (`new PrismaClient({ omit: { user: { passwordHash: true } } })`) keeps
them out of reads.

## Known problems
An interceptor or a serializer applied by the framework elsewhere is not seen; models are
matched by name (`prisma.user`, `User`, `usersRepository` -> `user`); credential columns declared
only in SQL migrations are not read.
"""
from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.frameworks.js_knowledge import controller_answer_methods
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript import _prisma_schema as prisma_schema
from servicelens.rules.javascript._node import SecretNames, knowledge, literal_text, option
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_GRAPHQL = frozenset({"QUERY", "MUTATION", "SUBSCRIPTION"})
_HOLDERS = frozenset({"repo", "repository", "model", "models", "collection", "table", "dao", "store", "db", "entity"})
# a receiver named for a layer or a library holds no model of its own (`this.userService`,
# `this.typeOrmRepository` of a generic CRUD base, `super`): nothing to match a stored field to
_NOT_MODELS = frozenset({"self", "super", "this", "service", "services", "controller", "manager", "provider",
                         "client", "handler", "helper", "typeorm", "orm", "mikro", "prisma", "sequelize", "mongoose",
                         "knex", "base", "crud"})
_SELECTIONS = frozenset({"select", "attributes", "projection", "omit", "exclude", "fields"})
_ANSWERS = frozenset({"json", "send", "jsonp"})
_HASHES = frozenset({"hash", "hashSync", "scrypt", "scryptSync", "pbkdf2", "pbkdf2Sync", "argon2id"})


@dataclass(frozen=True, slots=True)
class Exposure:
    """A handler answers whole records of `models` (read here), or what project function
    `callee` returned."""
    models: tuple[str, ...]
    callee: str
    path: str
    line: int
    code: str
    # what the answered call was handed (models read whole, project calls): answered too when the
    # callee hands its argument back (`res.json(envelope(users))`)
    through: tuple[str, ...] = ()
    # a project helper handed the records as its argument `via_arg` (`sendOk(res, user)`): an answer
    # only where that helper answers what it is handed there (Facts.answering)
    via: str = ""
    via_arg: int = -1


@dataclass(frozen=True, slots=True)
class Returns:
    """Function `key` returns whole records of `models`, or what the project functions
    `callees` returned (a service handing on its repository's rows)."""
    key: str
    models: tuple[str, ...]
    callees: tuple[str, ...]
    passes: bool = False  # returns (part of) what it was handed: `return { data: rows, total }`
    through: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (callee returned, what it was handed)


@dataclass(frozen=True, slots=True)
class Facts:
    secrets: tuple[tuple[str, str], ...]  # (model, field) the project stores a credential in
    hidden: tuple[tuple[str, str], ...]  # (model, field) a schema keeps out of reads (`select: false`)
    exposures: tuple[Exposure, ...]
    returns: tuple[Returns, ...] = ()
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    # functions that send the client what they are handed (`sendOk(res, data) { res.json({ data }) }`):
    # (key, the parameters it answers)
    answering: tuple[tuple[str, tuple[int, ...]], ...] = ()


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    return ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    if is_dev_path(module.path):
        return None
    known = knowledge()
    secret_words = known.stored_secrets
    secrets: set[tuple[str, str]] = set()
    hidden: set[tuple[str, str]] = set()
    bodies = [module.body] + [f.body for f in module.functions]
    for body in bodies:
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call):
                        secrets.update(_stored(node, known.row_writes | {"build", "insert"}, secret_words))
                        secrets.update(_stored_by_sql(node, secret_words))
                        found, hid = _schema(node, stmt, secret_words)
                        secrets.update(found)
                        hidden.update(hid)
                        hidden.update(_omitted(node))
    for cls in module.classes:
        found, hid = _entity_fields(module, cls, secret_words)
        secrets.update(found)
        hidden.update(hid)
    hidden.update((model, _EVERY_FIELD) for model in _serialized(module))
    lookups = known.record_lookups | known.list_queries | _RETURNING_WRITES
    exposures: list[Exposure] = []
    returns: list[Returns] = []
    answering: list[tuple[str, tuple[int, ...]]] = []
    for function, records in _walked(module, scope, lookups).items():
        exposures.extend(records.answered)
        models, callees = records.returned()  # every function, so a call of one is judged by its body
        key = f"{module.module_name}.{function.qualname}"
        returns.append(Returns(key, models, callees, records.passes(), tuple((c, records.handed(c)) for c in callees)))
        if records.answers_params:
            answering.append((key, tuple(sorted(records.answers_params))))
    facts = Facts(tuple(sorted(secrets)), tuple(sorted(hidden)), tuple(exposures), tuple(returns),
                  tuple(calls.members(module, scope)), tuple(calls.aliases(module)), tuple(answering))
    return contribution(facts, Facts((), (), ()))


# writes that hand back the stored record whole (Sequelize, Prisma and Mongoose `create`, Prisma
# `upsert`): answering their result answers the row as stored
_RETURNING_WRITES = frozenset({"create", "upsert"})
_CALLBACK_ROUNDS = 3  # a callback inside a callback inside a handler


def _walked(module: ir.Module, scope: ModuleScope, lookups: frozenset[str]) -> dict[ir.Function, "_Records"]:
    """Every function's records, callbacks again with what they are handed: a `.then((user) => ...)`
    callback holds the records the promise resolves to, a Node-style `(err, user) => ...` callback of
    a read the records it reads (rounds for callbacks nested in callbacks)."""
    def walk(function: ir.Function, seeds: Mapping[int, _Held]) -> _Records:
        # a `return` answers the client only from the handler itself (a NestJS method), not from a
        # callback nested in it (`paginate(ctx, (opts) => User.findAll(opts))`), nor from a GraphQL
        # resolver, whose answer holds only the fields the schema's type declares
        handler = scope.handlers.get(function.qualname)
        answers = handler is not None and not set(handler.methods) <= _GRAPHQL
        return _Records(module, scope, function, lookups, answers, seeds)

    walked = {function: walk(function, {}) for function in module.functions}
    by_qualname = {f.qualname: f for f in module.functions}
    done: set[str] = set()
    for _ in range(_CALLBACK_ROUNDS):
        seeded: dict[str, dict[int, _Held]] = {}
        for records in walked.values():
            for qualname, seeds in records.callbacks.items():
                for index, held in seeds.items():
                    seeded.setdefault(qualname, {})[index] = _union(seeded.get(qualname, {}).get(index, _NOTHING), held)
        fresh = {q: s for q, s in seeded.items() if q in by_qualname and q not in done}
        if not fresh:
            break
        for qualname, seeds in fresh.items():
            walked[by_qualname[qualname]] = walk(by_qualname[qualname], seeds)
            done.add(qualname)
    return walked


def combine(per_file: Mapping[str, object], settings: Settings,
            documents: Mapping[str, str] | None = None) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, Facts)]
    hidden = {h for f in facts for h in f.hidden}
    declared = set(_schema_columns(documents or {}, hidden))
    secrets: dict[str, set[str]] = {}
    for model, field in [s for f in facts for s in f.secrets] + sorted(declared):
        if (model, field) not in hidden and (model, _EVERY_FIELD) not in hidden:
            secrets.setdefault(model, set()).add(field)
    members = {member: held for f in facts for member, held in f.members}
    aliases = {alias: key for f in facts for alias, key in f.aliases}
    returns = {r.key: r for f in facts for r in f.returns}
    answering = {key: set(indices) for f in facts for key, indices in f.answering}
    for f in facts:
        for exposure in f.exposures:
            if exposure.via and exposure.via_arg not in answering.get(
                    calls.dealiased(calls.resolved(exposure.via, members), aliases), ()):
                continue
            model = _exposed(exposure, secrets, returns, members, aliases)
            if not model:
                continue
            fields = secrets[model]
            shown = ", ".join(f"`{name}`" for name in sorted(fields))
            yield make_finding(
                "excessive-data-exposure", Location(exposure.path, exposure.line, exposure.line),
                f"Whole `{model}` records are sent to the client, with {shown}",
                "The project stores a credential in this model, and the handler answers with the stored rows "
                "as they are: every client receives it.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=_fix(model, fields, exposure.code),
                rule=RULE.id, key=f"{model}|{exposure.code}",
            )


def _fix(model: str, fields: set[str], code: str) -> Fix:
    """The answer without the stored credential, in the handler's terms: the `model` record, its
    credential fields by name, answered the way the line answers (`res.json(...)`, `ctx.body =`, `return`)."""
    record = model[:1].lower() + model[1:]
    dropped = ", ".join(sorted(fields))
    answer = ("res.json(visible);" if ".json(" in code else "ctx.body = visible;" if "ctx.body" in code
              else "return visible;")
    return Fix(f"Answer without {', '.join(f'`{name}`' for name in sorted(fields))}: take the stored credential out of "
               f"the `{model}` record before it leaves (or select only the fields a client may see).",
               f"const {{ {dropped}, ...visible }} = {record};\n{answer}", "javascript")


def _schema_columns(documents: Mapping[str, str], hidden: set[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Credential columns a Prisma schema declares (rules/javascript/_prisma_schema.py), as
    (model, field); one the schema keeps out of the client (`@ignore`) joins `hidden`."""
    secret_words = knowledge().stored_secrets
    for text in documents.values():
        for model, field, ignored in prisma_schema.credential_columns(text, lambda n: _secret_field(n, secret_words)):
            key = (model_name(ir.Name(0, 0, model)), field)
            if ignored:
                hidden.add(key)
            else:
                yield key


def _exposed(exposure: Exposure, secrets: Mapping[str, set[str]], returns: Mapping[str, Returns],
             members: Mapping[str, str], aliases: Mapping[str, str]) -> str:
    """The credential-holding model an answer sends whole. A call of a project function is judged
    by what that function returns (followed through the functions it hands on), not by its name:
    a service's `findAll` that selects columns answers no credential."""
    if exposure.callee:
        target = calls.dealiased(calls.resolved(exposure.callee, members), aliases)
        if target in returns:
            found = list(_returned_models(target, returns, members, aliases, 0))
            if returns[target].passes:
                found += list(_handed_models(exposure.through, returns, members, aliases, 0))
            return next((m for m in found if m in secrets), "")
    return next((m for m in exposure.models if m in secrets), "")


def _handed_models(handed: tuple[str, ...], returns: Mapping[str, Returns], members: Mapping[str, str],
                   aliases: Mapping[str, str], depth: int) -> Iterator[str]:
    """The models in what a call was handed: read whole (`model:` entries) or returned by the
    project calls it was handed (`call:` entries)."""
    for item in handed:
        kind, _, name = item.partition(":")
        if kind == "model":
            yield name
        elif kind == "call" and depth < 4:
            yield from _returned_models(calls.dealiased(calls.resolved(name, members), aliases), returns, members,
                                        aliases, depth + 1)


def _returned_models(key: str, returns: Mapping[str, Returns], members: Mapping[str, str],
                     aliases: Mapping[str, str], depth: int) -> Iterator[str]:
    found = returns.get(key)
    if found is None or depth > 4:
        return
    yield from found.models
    handed = dict(found.through)
    for callee in found.callees:
        onward = calls.dealiased(calls.resolved(callee, members), aliases)
        if onward and onward != key:
            yield from _returned_models(onward, returns, members, aliases, depth + 1)
            if onward in returns and returns[onward].passes:  # `return paginate(rows)`
                yield from _handed_models(handed.get(callee, ()), returns, members, aliases, depth + 1)


def model_name(target: ir.Expr) -> str:
    """`prisma.user` -> user, `User` -> user, `this.usersRepository` -> user, `db('users')` -> user."""
    if isinstance(target, ir.Call) and target.args and isinstance(target.args[0], ir.Const) \
            and isinstance(target.args[0].value, str):
        last = target.args[0].value
    else:
        last = (ir.dotted_name(target) or "").rpartition(".")[2]
    spelled = [w.lower() for w in words(last)]
    if not spelled or set(spelled) & _NOT_MODELS:
        return ""
    kept = [w for w in spelled if w not in _HOLDERS]
    name = "".join(kept)
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _secret_field(name: str, secret_words: SecretNames) -> bool:
    """A field named for a credential, by a word or two adjacent ones (`apiKey`, `api_key`), or by
    its last word (`accessToken`; `tokenType` is about one)."""
    parts = [w.lower() for w in words(name)]
    return bool({*parts, *(a + b for a, b in zip(parts, parts[1:]))} & secret_words.words) \
        or (bool(parts) and parts[-1] in secret_words.heads)


def _stored(call: ir.Call, writes: frozenset[str], secret_words: SecretNames) -> Iterator[tuple[str, str]]:
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
                if field in _CONTAINERS and isinstance(value, ir.DictExpr):
                    continue  # Prisma's `data: { ... }`: its own keys are the fields, read below
                if field and (_secret_field(field, secret_words) or _hashed(value)):
                    yield model, field


_CONTAINERS = frozenset({"data", "create", "update", "$set"})


def _data_dicts(arg: ir.Expr) -> Iterator[ir.DictExpr]:
    if isinstance(arg, ir.DictExpr):
        yield arg
        for key, value in zip(arg.keys, arg.values):
            if isinstance(key, ir.Const) and key.value in _CONTAINERS \
                    and isinstance(value, ir.DictExpr):
                yield value


def _hashed(value: ir.Expr) -> bool:
    return any(isinstance(n, ir.Call) and ir.last_name(n.func) in _HASHES for n in ir.walk_expr(value))


def _schema(call: ir.Call, stmt: ir.Stmt, secret_words: SecretNames
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


def _omitted(call: ir.Call) -> Iterator[tuple[str, str]]:
    """`new PrismaClient({ omit: { user: { passwordHash: true } } })`: fields the client leaves out
    of every read unless a query asks for them by name."""
    if ir.last_name(call.func) != "PrismaClient":
        return
    for options in call.args:
        omit = option(options, "omit") if isinstance(options, ir.DictExpr) else None
        if not isinstance(omit, ir.DictExpr):
            continue
        for model, fields in zip(omit.keys, omit.values):
            if isinstance(model, ir.Const) and isinstance(model.value, str) and isinstance(fields, ir.DictExpr):
                for field, flag in zip(fields.keys, fields.values):
                    if isinstance(field, ir.Const) and isinstance(field.value, str) \
                            and isinstance(flag, ir.Const) and flag.value is True:
                        yield model_name(ir.Name(0, 0, model.value)), field.value


_EVERY_FIELD = "*"  # a model whose records are serialised by its own `toJSON`


def _serialized(module: ir.Module) -> Iterator[str]:
    """Models whose records decide their own JSON: a model class defining `toJSON()` (Sequelize,
    TypeORM and plain classes: `JSON.stringify`, hence `res.json`, calls it), a Mongoose schema's
    `UserSchema.methods.toJSON = ...` or `UserSchema.set('toJSON', { transform })`. What such a
    method keeps is the project's decision, not the stored row."""
    for cls in module.classes:
        if any(f.class_name == cls.qualname and f.name == "toJSON" for f in module.functions):
            yield model_name(ir.Name(0, 0, cls.name))
    for stmt in ir.walk_stmts(module.body):
        schema = ""
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                dotted = ir.dotted_name(target) or ""
                if dotted.endswith((".methods.toJSON", ".options.toJSON")):
                    schema = dotted.split(".")[0]
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "set" \
                        and node.args and isinstance(node.args[0], ir.Const) and node.args[0].value == "toJSON":
                    schema = ir.dotted_name(node.func.value) or ""
        if schema:
            yield model_name(ir.Name(0, 0, schema.removesuffix("Schema").removesuffix("schema")))


_HIDING = re.compile(r"@Exclude\b|\bselect\s*:\s*false\b|\bhidden\s*:\s*true\b|@HideField\b")


def _entity_fields(module: ir.Module, cls: ir.ClassDef, secret_words: SecretNames
                   ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """A decorated model class (TypeORM `@Entity()`, sequelize-typescript `@Table`, NestJS Mongoose
    `@Schema()`) declaring a credential field; hidden when its decorators keep it out of reads or
    answers (`@Column({ select: false })`, class-transformer's `@Exclude()`)."""
    found: set[tuple[str, str]] = set()
    hidden: set[tuple[str, str]] = set()
    if not cls.decorators:
        return found, hidden
    model = model_name(ir.Name(0, 0, cls.name))
    previous = cls.line
    for stmt in cls.body:
        if isinstance(stmt, ir.Assign) and stmt.value is None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name) and _secret_field(stmt.targets[0].id, secret_words):
            field = stmt.targets[0].id
            found.add((model, field))
            declared = " ".join(module.line_text(line) for line in range(previous + 1, stmt.line + 1))
            if _HIDING.search(declared):
                hidden.add((model, field))
        previous = getattr(stmt, "end_line", 0) or stmt.line
    return found, hidden


_PARAM = "<parameter>"  # what a function was handed, followed to see whether it hands it back


def _argument(index: int) -> str:
    """The marker of parameter `index` among what a value holds (a function answering it is a helper)."""
    return f"<argument {index}>"


def _real(models: frozenset[str]) -> frozenset[str]:
    """The models among what a value holds, without the markers of parameters."""
    return frozenset(m for m in models if not m.startswith("<"))
_Held = tuple[frozenset[str], frozenset[str]]  # (models read whole, project functions whose result it is)
_NOTHING: _Held = (frozenset(), frozenset())
_SUBSETS = frozenset({"slice", "filter", "concat", "at", "find", "reverse", "sort", "flat", "toArray"})
_RAW_QUERIES = frozenset({"query", "execute", "raw", "$queryRaw", "$queryRawUnsafe", "any", "many", "manyOrNone",
                          "oneOrNone", "one"})
_SELECT_ALL = re.compile(r"(?is)^\s*select\s+(?:distinct\s+)?(?:\w+\.)?\*\s+from\s+[\"`]?(\w+)")


class _Records:
    """What each variable of one function holds (whole records of a model, or a project call's
    result), walked once: what a handler answers and what the function returns."""

    def __init__(self, module: ir.Module, scope: ModuleScope, function: ir.Function,
                 lookups: frozenset[str], handler: bool, seeds: Mapping[int, _Held] | None = None) -> None:
        self.module, self.scope, self.function, self.lookups = module, scope, function, lookups
        self.held: dict[str, _Held] = {p.name: (seeds or {}).get(i) or (frozenset({_PARAM, _argument(i)}), frozenset())
                                       for i, p in enumerate(function.params)}
        self.callbacks: dict[str, dict[int, _Held]] = {}  # nested callback -> what its parameters are handed
        self.answers_params: set[int] = set()  # parameters this function sends the client
        self.helped: list[Exposure] = []  # records handed to a project function, an answer if it answers them
        self.line = function.line
        self.through: dict[str, set[str]] = {}  # project callee -> what its arguments held
        self.removed: set[str] = set()
        self.answered: list[Exposure] = []
        self.returns: list[_Held] = []
        picked: set[ir.Expr] = set()  # values a destructuring took fields out of: `{ hash, ...rest } = v`
        for stmt in ir.walk_stmts(function.body):
            self.line = stmt.line
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr):
                picked.add(stmt.value.value)
            if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.value in picked:
                self.removed.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                value = self.holds(stmt.value)
                for target in stmt.targets:
                    if isinstance(target, ir.Name) and (value[0] or value[1]):
                        self.held[target.id] = value
                    if isinstance(target, ir.Attr) and isinstance(target.value, ir.Name):
                        self.removed.add(target.value.id)  # `user.password = undefined`
            if isinstance(stmt, ir.Delete):
                self.removed.update(n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name))
            if isinstance(stmt, ir.Return) and stmt.value is not None:
                self.returns.append(self.holds(stmt.value))
            if isinstance(stmt, ir.ExprStmt):
                self.holds(stmt.value)  # `sendOk(res, user)`: what a project call is handed (self.helped)
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call) and node.args and isinstance(node.args[-1], ir.Name) \
                            and node.args[-1].id.startswith("<anon@"):
                        self._callback(node, frozenset(_whole_models(node, lookups)) | frozenset(_raw_whole(node)))
            for expr in _answered(stmt, handler):
                models, callees = self.holds(expr)
                self.answers_params.update(i for i in range(len(function.params)) if _argument(i) in models)
                if _real(models) or callees:
                    callee = min(callees, default="")
                    self.answered.append(Exposure(tuple(sorted(_real(models))), callee, module.path,
                                                  stmt.line, module.line_text(stmt.line), self.handed(callee)))
                    break
        answered_lines = {e.line for e in self.answered}
        self.answered.extend(e for e in dict.fromkeys(self.helped) if e.line not in answered_lines)

    def passes(self) -> bool:
        """Does the function hand back (part of) a parameter (`return { items: rows, total }`)?"""
        return any(_PARAM in models for models, _ in self.returns)

    def handed(self, callee: str) -> tuple[str, ...]:
        """What the call of `callee` was handed, as `model:<name>` and `call:<project callee>`."""
        return tuple(sorted(self.through.get(callee, ())))

    def returned(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (tuple(sorted(_real(frozenset(m for models, _ in self.returns for m in models)))),
                tuple(sorted({c for _, callees in self.returns for c in callees})))

    def holds(self, expr: ir.Expr) -> _Held:
        """The whole records an expression is: a read with no field selection (and the relations it
        embeds whole), a raw `SELECT *`, a variable holding one, a part of one (`rows.slice(0, n)`,
        `rows[0]`, `cond ? a : b`, an object literal's values); or a project call's result."""
        if isinstance(expr, ir.Await):
            expr = expr.value
        if isinstance(expr, ir.Name):
            return self.held.get(expr.id, _NOTHING) if expr.id not in self.removed else _NOTHING
        if isinstance(expr, ir.IfExp):
            return _union(self.holds(expr.body), self.holds(expr.orelse))
        if isinstance(expr, ir.Subscript):
            return self.holds(expr.value)
        if isinstance(expr, ir.Attr):
            return self.holds(expr.value) if expr.attr == "rows" else _NOTHING  # pg's `result.rows`
        if isinstance(expr, ir.DictExpr):
            found = _NOTHING
            for value in expr.values:
                found = _union(found, self.holds(value))
            return found
        if not isinstance(expr, ir.Call):
            return _NOTHING
        if isinstance(expr.func, ir.Attr) and expr.func.attr in _SUBSETS:
            part = self.holds(expr.func.value)
            if part[0] or part[1]:
                return part
        models = set(_whole_models(expr, self.lookups)) | set(_raw_whole(expr))
        callee = calls.callee(self.module, self.scope, self.function, expr)
        if callee:
            for index, arg in enumerate(expr.args):
                held_models, held_calls = self.holds(arg)
                self.through.setdefault(callee, set()).update(
                    {f"model:{m}" for m in _real(held_models)} | {f"call:{c}" for c in held_calls})
                if _real(held_models) or held_calls:
                    self.helped.append(Exposure(
                        tuple(sorted(_real(held_models))), min(held_calls, default=""), self.module.path, self.line,
                        self.module.line_text(self.line), (), callee, index))
        return frozenset(models), frozenset({callee} if callee else ())

    def _callback(self, call: ir.Call, read: frozenset[str]) -> None:
        """`User.findByPk(id).then((user) => res.json(user))`: the callback's first parameter holds
        what the promise resolves to; `User.findById(id, (err, user) => ...)`: a read's Node-style
        callback gets the records second."""
        if isinstance(call.func, ir.Attr) and call.func.attr == "then":
            held = self.holds(call.func.value)
            if _real(held[0]) or held[1]:
                self._seed(call.args[0], 0, held)
        elif read:
            self._seed(call.args[-1], 1, (read, frozenset()))

    def _seed(self, expr: ir.Expr, index: int, held: _Held) -> None:
        if not isinstance(expr, ir.Name):
            return
        qualname = f"{self.function.qualname}.<locals>.{expr.id}"
        seeds = self.callbacks.setdefault(qualname, {})
        seeds[index] = _union(seeds.get(index, _NOTHING), (_real(held[0]), held[1]))


def _union(a: _Held, b: _Held) -> _Held:
    return a[0] | b[0], a[1] | b[1]


def _raw_whole(call: ir.Call) -> Iterator[str]:
    """`pool.query('SELECT * FROM users WHERE id = $1', [id])`: whole rows of `users`."""
    if isinstance(call.func, ir.Attr) and call.func.attr in _RAW_QUERIES and call.args:
        match = _SELECT_ALL.search(literal_text(call.args[0], "?"))
        if match:
            yield model_name(ir.Name(0, 0, match.group(1)))


_SQL_WRITE = re.compile(r"(?is)^\s*(?:insert\s+into\s+[\"`]?(\w+)[\"`]?\s*\(([^)]*)\)"
                        r"|update\s+[\"`]?(\w+)[\"`]?\s+set\s+(.*?)(?:\swhere\s|$))")


def _stored_by_sql(call: ir.Call, secret_words: SecretNames) -> Iterator[tuple[str, str]]:
    """`INSERT INTO users (email, password_hash) ...`, `UPDATE users SET password_hash = $2`: a
    credential column the project writes."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in _RAW_QUERIES or not call.args:
        return
    match = _SQL_WRITE.search(literal_text(call.args[0], "?"))
    if match is None:
        return
    table = match.group(1) or match.group(3)
    columns = match.group(2) if match.group(1) else ",".join(part.split("=")[0] for part in match.group(4).split(","))
    for column in columns.split(","):
        field = column.strip().strip('"`')
        if field and _secret_field(field, secret_words):
            yield model_name(ir.Name(0, 0, table)), field


def _answered(stmt: ir.Stmt, handler: bool) -> list[ir.Expr]:
    """What a statement sends the client: `res.json(x)`, `res.status(200).send(x)` (in any function:
    answering a response is what a handler does, wherever it is registered), `return x` in a
    route handler (a NestJS controller's method), `this.json(x)` (an inversify-express-utils controller's)."""
    out: list[ir.Expr] = []
    if handler and isinstance(stmt, ir.Return) and stmt.value is not None and not _answer_on_self(stmt.value):
        out.append(stmt.value)  # `return this.json(x)` answers x: below
    for root in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(root):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _ANSWERS \
                    and node.args and (ir.dotted_name(node.func.value) or "").split(".")[0] in ("res", "response",
                                                                                               "reply", "ctx"):
                out.append(node.args[0])
            elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _ANSWERS \
                    and node.args and isinstance(node.func.value, ir.Call):
                out.append(node.args[0])  # `res.status(200).json(x)`
            elif _answer_on_self(node):
                out.append(node.args[0])  # a controller base class's answer: `return this.json(x)`
    return out


def _answer_on_self(expr: ir.Expr) -> bool:
    """`this.json(x)`, `this.ok(x)`: a controller base class's method sending x as JSON."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and bool(expr.args) \
        and expr.func.attr in controller_answer_methods() and ir.dotted_name(expr.func.value) == "self"


def _whole_models(expr: ir.Call, lookups: frozenset[str]) -> Iterator[str]:
    """The models a read returns whole: its own (no field selection anywhere in its chain) and the
    relations it embeds whole (Prisma `include: { user: true }`, TypeORM `relations`, Sequelize
    `include: [{ model: User }]`, Mongoose `.populate('user')`)."""
    chain: list[ir.Call] = []
    expr_: ir.Expr = expr
    while isinstance(expr_, ir.Call) and isinstance(expr_.func, ir.Attr):
        chain.append(expr_)
        expr_ = expr_.func.value
    reads = [c for c in chain if c.func.attr in lookups]  # type: ignore[union-attr]
    if not reads:
        return
    for call in chain:
        for arg in call.args:
            if isinstance(arg, ir.DictExpr):
                yield from _embedded(arg)
        if call.func.attr == "populate" and len(call.args) == 1:  # type: ignore[union-attr]
            yield from (model_name(ir.Name(0, 0, a.value)) for a in call.args
                        if isinstance(a, ir.Const) and isinstance(a.value, str))
    if any(c.func.attr in _SELECTIONS | {"lean", "toObject"} for c in chain):  # type: ignore[union-attr]
        return
    read = reads[-1]
    for call in chain:
        for arg in call.args:
            if isinstance(arg, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value in _SELECTIONS
                                                    for k in arg.keys):
                return
        if any(isinstance(a, ir.Const) and isinstance(a.value, str) and call.func.attr in lookups and a is not call.args[0]
               for a in call.args):  # type: ignore[union-attr]
            return  # Mongoose `findById(id, 'name email')`: a projection
    name = model_name(read.func.value)  # type: ignore[union-attr]
    if name:
        yield name


def _embedded(options: ir.DictExpr) -> Iterator[str]:
    """Relations an options object embeds whole: `include: { user: true }` (and nested includes),
    `relations: ['user']` / `{ user: true }`, `include: [User]` / `[{ model: User }]` with no
    `attributes`."""
    for key, value in zip(options.keys, options.values):
        if not isinstance(key, ir.Const) or key.value not in ("include", "relations"):
            continue
        if isinstance(value, ir.DictExpr):
            for name, inner in zip(value.keys, value.values):
                if isinstance(name, ir.Const) and isinstance(name.value, str):
                    if isinstance(inner, ir.Const) and inner.value is True:
                        yield model_name(ir.Name(0, 0, name.value))
                    elif isinstance(inner, ir.DictExpr):
                        yield from _embedded(inner)
        elif isinstance(value, ir.Seq):
            for item in value.elts:
                if isinstance(item, ir.Const) and isinstance(item.value, str):
                    yield model_name(ir.Name(0, 0, item.value.rpartition(".")[2]))
                elif isinstance(item, ir.Name):
                    yield model_name(item)
                elif isinstance(item, ir.DictExpr) and not any(isinstance(k, ir.Const) and k.value in _SELECTIONS
                                                                for k in item.keys):
                    model = option(item, "model")
                    if isinstance(model, (ir.Name, ir.Attr)):
                        yield model_name(model)
                    yield from _embedded(item)


RULE = Rule("js-excessive-data-exposure", frozenset({"excessive-data-exposure"}), "javascript", check,
            collect=collect, combine=combine, documents=frozenset({"prisma"}))
