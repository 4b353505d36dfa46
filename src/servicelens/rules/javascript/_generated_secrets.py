"""Secrets the project generates: what a route's check compares the client's value against.

A credential route is no guessing target when every secret its check compares is one the project
made itself with a cryptographic random generator (`getRandomString(40)`, `crypto.randomBytes(32)`,
`randomUUID()`), stored as it is or hashed: `plugin.secret` filled with `bcrypt.hash(getRandomString(40))`
and checked with `bcrypt.compare(secret, plugin.secret)`. Online guessing of 40 random characters is
hopeless whatever the rate; a person's password (stored from `bcrypt.hash(body.password)`) is not such
a secret, and a field the project also fills with the hash of something it did not generate is not
either.

Nor is a route whose check only verifies a signature made with the server's key or the client's
registered key: a JWT the project signed (`jwt.verify(token, secret)`, `this.jwtService.verifyAsync(token)`),
a WebAuthn assertion, an identity provider's signed ID token (models/vocabulary/generated_secrets.yaml
`signature_verifiers`), or whose presented value only finds the row holding a generated value
(`prisma.secrets.update({ where: { resetToken } })` where `resetToken` is only stored from
`randomBytes(32)`), when nothing its handler reaches compares a stored secret or checks a typed code or
password (`bcrypt.compare`, `authenticator.verify`, `user.comparePassword(...)`, `verify2FACode(...)`).

Per file: the functions returning a generated value, the fields stored from one (by name: the key of
an object literal or the attribute assigned, `{ secret: hashedSecret }`), also from the result of a
project function (decided project-wide), the fields stored from a hash of anything else, and where
each function hands a stored field (`x.secret`) to a library comparison (`bcrypt.compare`) or to a
project function (which may compare it). Project-wide: the fields a route's handler, through
everything it calls, compares.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.rules.base import iter_calls
from servicelens.rules.javascript import _calls as calls_
from servicelens.rules.javascript._attempt_limits import project_callee
from servicelens.rules.python._common import words
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.taint.scope import ModuleScope

LIBRARY = "<library comparison>"
_HERE = ""  # a field's value generated in the function that stores it
_OTHER = "<a hash of something not generated>"
_SHORTEST = 16  # characters or bytes a random-string helper must be asked for to make a secret


@dataclass(frozen=True, slots=True)
class SecretFacts:
    generators: tuple[str, ...] = ()  # functions here that return a generated value
    # (field, where its value comes from): _HERE, _OTHER, or the project function whose result it is
    fields: tuple[tuple[str, str], ...] = ()
    # (function, field, callee): the function hands `x.field` to a library comparison or a project function
    compared: tuple[tuple[str, str, str], ...] = ()
    comparing: tuple[str, ...] = ()  # functions here that call a library comparison themselves
    verifying: tuple[str, ...] = ()  # functions here that verify a signature (a JWT, a WebAuthn assertion)
    # (function, field): the function finds a row by the value of that field (`where: { resetToken }`)
    looked_up: tuple[tuple[str, str], ...] = ()
    guessing: tuple[str, ...] = ()  # functions here that check a typed code or password (`verifyTotp(...)`)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    generators: frozenset[str]  # library generators, by the dotted name a call resolves to
    comparisons: frozenset[str]  # library comparisons of a secret with a stored (hashed) value
    helper_words: frozenset[str]  # words of a random-string helper's name besides `random`
    signature_verifiers: frozenset[str]  # library verifications of a signature, by dotted name
    signed_receivers: frozenset[str]  # words of a receiver whose `verify`/`verifyAsync` checks a signature
    guess_words: frozenset[str]  # words of a call that checks what a person types (with a checking verb)
    check_verbs: frozenset[str]
    credential_middleware: frozenset[str]  # packages whose middleware checks a credential the request carries
    password_strategies: frozenset[str]  # passport strategies that check what a person types


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = vocabulary_file("generated_secrets.yaml")["javascript"]
    return Vocabulary(frozenset(data["generators"]), frozenset(data["comparisons"]), frozenset(data["helper_words"]),
                      frozenset(data["signature_verifiers"]), frozenset(data["signed_receivers"]),
                      frozenset(data["guess_words"]), frozenset(data["check_verbs"]),
                      frozenset(data["credential_middleware"]), frozenset(data["password_strategies"]))


def secret_facts(module: ir.Module, scope: ModuleScope) -> SecretFacts:
    vocab = vocabulary()
    own = {function.qualname for function in module.functions}
    generators: list[str] = []
    fields: list[tuple[str, str]] = []
    compared: list[tuple[str, str, str]] = []
    comparing: list[str] = []
    verifying: list[str] = []
    guessing: list[str] = []
    looked_up: list[tuple[str, str]] = []
    for function in module.functions:
        name = f"{module.module_name}.{function.qualname}"

        def generated(expr: ir.Expr) -> bool:
            return isinstance(expr, ir.Call) and _generator(expr, scope, vocab)

        made = _flow(function.body, generated)
        results = _results(module, scope, function, own)  # local name -> project function whose result it holds
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Return) and stmt.value is not None and _reads(stmt.value, made, generated):
                generators.append(name)
            for key, value in _stored(stmt):
                if _reads(value, made, generated):
                    fields.append((key, _HERE))
                elif isinstance(value, ir.Name) and value.id in results:
                    fields.append((key, results[value.id]))
                elif _hash_call(value):
                    fields.append((key, _OTHER))
        for call in iter_calls(function.body):
            target = _library(call, scope)
            if target in vocab.comparisons:
                comparing.append(name)
            elif _verifies_signature(call, target, vocab):
                verifying.append(name)
            elif _checks_typed(call, vocab):
                guessing.append(name)
            looked_up += [(name, field) for field in _lookup_fields(call)]
            stored = [arg.attr for arg in call.args if isinstance(arg, ir.Attr)]
            if not stored:
                continue
            callee = LIBRARY if target in vocab.comparisons else project_callee(module, scope, function, call, own)
            compared += [(name, field, callee) for field in stored if callee]
    return SecretFacts(tuple(dict.fromkeys(generators)), tuple(dict.fromkeys(fields)), tuple(dict.fromkeys(compared)),
                       tuple(dict.fromkeys(comparing)), verifying=tuple(dict.fromkeys(verifying)),
                       looked_up=tuple(dict.fromkeys(looked_up)), guessing=tuple(dict.fromkeys(guessing)))


_LOOKUPS = frozenset({"findOne", "findFirst", "findUnique", "findFirstOrThrow", "findUniqueOrThrow", "findOneBy",
                      "findOneOrFail", "findOneByOrFail", "update", "updateMany", "delete", "deleteMany",
                      "findOneAndUpdate", "findOneAndDelete"})
_IDENTITY = frozenset({"id", "_id", "pk", "uuid", "guid", "ulid"})


def _lookup_fields(call: ir.Call) -> Iterable[str]:
    """The fields a query finds its row by, when each is matched to a variable (what the caller handed
    in): Prisma's `update({ where: { resetToken } })`, TypeORM's `findOneBy({ token })`, Mongoose's
    `findOne({ resetToken: token })`. Ids are no secrets: they are listed wherever the row appears."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in _LOOKUPS or not call.args \
            or not isinstance(call.args[0], ir.DictExpr):
        return ()
    query = call.args[0]
    where = next((v for k, v in zip(query.keys, query.values) if isinstance(k, ir.Const) and k.value == "where"), query)
    if not isinstance(where, ir.DictExpr):
        return ()
    return tuple(k.value for k, v in zip(where.keys, where.values)
                 if isinstance(k, ir.Const) and isinstance(k.value, str) and k.value not in _IDENTITY
                 and isinstance(v, (ir.Name, ir.Attr)))


def _verifies_signature(call: ir.Call, target: str, vocab: Vocabulary) -> bool:
    """`jwt.verify(token, secret)` (jsonwebtoken), `jwtVerify(token, key)` (jose),
    `verifyAuthenticationResponse(...)` (WebAuthn), or `verify`/`verifyAsync` of a JWT service
    (`this.jwtService.verifyAsync(token)`): the value is accepted only with a valid signature."""
    if target in vocab.signature_verifiers:
        return True
    func = call.func
    return isinstance(func, ir.Attr) and func.attr in ("verify", "verifyAsync") \
        and bool(set(words(ir.last_name(func.value) or "")) & vocab.signed_receivers)


def checks_typed(call: ir.Call, vocab: Vocabulary) -> bool:
    """A library comparison or a check of what a person types (`_checks_typed`)."""
    return ir.last_name(call.func) in ("compare", "compareSync") or _checks_typed(call, vocab)


def _checks_typed(call: ir.Call, vocab: Vocabulary) -> bool:
    """A check of what a person types: `authenticator.verify(...)`, `user.comparePassword(pw)`,
    `this.verify2FACode(email, code)`, `validateOtp(...)`: a checking verb and a word of a password or code."""
    said = set(words(ir.dotted_name(call.func) or ir.last_name(call.func) or ""))
    return bool(said & vocab.check_verbs) and bool(said & vocab.guess_words)


def generated_routes(facts: Iterable[SecretFacts], routes: Iterable[tuple[str, int, str]],
                     graph: Mapping[str, frozenset[str]], members: Mapping[str, str],
                     reach: object) -> frozenset[tuple[str, int]]:
    """(file, line) of the routes whose handler, through what it calls, compares stored secrets and
    only ones the project generates, or verifies a signature and checks nothing a person types. `reach(start, graph)` gives what a function reaches."""
    every = list(facts)
    generators = {name for fact in every for name in fact.generators}
    sources: dict[str, set[str]] = {}
    for fact in every:
        for field, source in fact.fields:
            sources.setdefault(field, set()).add(source)
    generated = {field for field, found in sources.items() if _OTHER not in found
                 and all(s == _HERE or calls_.resolved(s, members) in generators for s in found)}
    comparing = {name for fact in every for name in fact.comparing}
    changed = True
    while changed:  # a function calling one that compares compares too (`validateSecret` wraps `bcrypt.compare`)
        grown = {name for name, callees in graph.items() if name not in comparing and comparing & callees}
        comparing |= grown
        changed = bool(grown)
    verifying = {name for fact in every for name in fact.verifying}
    # what checks a typed secret: a library comparison of anything, a call named for a password or code check
    guessing = {name for fact in every for name in (*fact.comparing, *fact.guessing)}
    found = set()
    for path, line, handler in routes:
        reached = reach(handler, graph)  # type: ignore[operator]
        checked = {field for fact in every for fn, field, callee in fact.compared if fn in reached
                   and (callee == LIBRARY or calls_.resolved(callee, members) in comparing)}
        looked = {field for fact in every for fn, field in fact.looked_up if fn in reached}
        if checked and checked <= generated:
            found.add((path, line))
        elif guessing & reached:
            continue  # a password or a typed code is checked somewhere on the way
        elif verifying & reached or looked and looked <= generated:
            # only a signature is verified, or the presented value only finds the row holding a value the
            # project generated (`where: { resetToken }`): nothing a person types is checked
            found.add((path, line))
    return frozenset(found)


def _generator(call: ir.Call, scope: ModuleScope, vocab: Vocabulary) -> bool:
    """`crypto.randomBytes(32)`, `randomUUID()`, `nanoid()`, or a random-string helper asked for at
    least 16 characters (`getRandomString(40)`): a value nobody can guess."""
    if _library(call, scope) in vocab.generators:
        return True
    name = ir.last_name(call.func) or ""
    said = set(words(name))
    length = call.args[0].value if call.args and isinstance(call.args[0], ir.Const) else None
    return "random" in said and bool(said & vocab.helper_words) and isinstance(length, int) \
        and not isinstance(length, bool) and length >= _SHORTEST


def _library(call: ir.Call, scope: ModuleScope) -> str:
    dotted = ir.dotted_name(call.func) or ""
    head, _, rest = dotted.partition(".")
    target = scope.imports.get(head, "")
    return (target + (f".{rest}" if rest else "")) if target else dotted


_HASH = re.compile(r"(?i)hash")


def _hash_call(expr: ir.Expr) -> bool:
    """`bcrypt.hash(body.password, 10)`, `await hashPassword(pw)`: a stored hash of what was handed in."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    return isinstance(expr, ir.Call) and bool(_HASH.search(ir.last_name(expr.func) or ""))


def _flow(body: tuple[ir.Stmt, ...], source: object) -> set[str]:
    """Local names holding a value made from a source call (two passes, as assignments may come late)."""
    held: set[str] = set()
    for _ in range(2):
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None and _reads(stmt.value, held, source):
                held.update(t.id for target in stmt.targets for t in ir.walk_expr(target) if isinstance(t, ir.Name))
    return held


def _reads(expr: ir.Expr, names: set[str], source: object) -> bool:
    return any(isinstance(node, ir.Name) and node.id in names or source(node)  # type: ignore[operator]
               for node in ir.walk_expr(expr))


def _results(module: ir.Module, scope: ModuleScope, function: ir.Function, own: set[str]) -> dict[str, str]:
    """Local names holding (a member of) what a project function returned: `const { hashedSecret } =
    await generateSecret()` -> {"hashedSecret": "app.plugin.utils.generateSecret"}."""
    found: dict[str, str] = {}
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        value = stmt.value
        while isinstance(value, (ir.Attr, ir.Await)):
            value = value.value
        if isinstance(value, ir.Call):
            callee = project_callee(module, scope, function, value, own)
            if callee:
                found.update((t.id, callee) for t in stmt.targets if isinstance(t, ir.Name))
    return found


def _stored(stmt: ir.Stmt) -> Iterable[tuple[str, ir.Expr]]:
    """(field, value) of what a statement stores by name: object-literal keys, attribute assignments."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None:
        for target in stmt.targets:
            if isinstance(target, ir.Attr):
                yield target.attr, stmt.value
    for expr in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.DictExpr):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ir.Const) and isinstance(key.value, str):
                        yield key.value, value
