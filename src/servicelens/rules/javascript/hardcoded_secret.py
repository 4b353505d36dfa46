"""Hard-coded secret: a credential written into JavaScript/TypeScript source.

## What it finds
- `const JWT_SECRET = '...'`, `apiKey: '...'`, `session({ secret: '...' })`: a literal
  assigned to a name that says it holds a password, secret, token or key;
- the same literal as the fallback of a value read from the environment or configuration
  (`process.env.SESSION_SECRET || 'keyboard cat'`, `const { JWT_SECRET = 'dev' } = process.env`,
  `config.get('jwt.secret') ?? 'dev'`) or the default of a settings schema's field
  (`JWT_SECRET: z.string().default('dev')`, Joi/yup `.default(...)`): production runs with it
  whenever the setting is missing;
- a literal turned into key bytes (`Buffer.from('3f9a...', 'hex')`) under such a name, or
  handed straight to a call as its key (`crypto.createHmac('sha256', 'literal')`,
  `cookieParser('literal')`: `secret_arguments` in models/node/rules.yaml);
- provider token shapes (AWS, Stripe, GitHub, Slack, ...) and URLs with an inline password,
  whatever the name, also handed straight to a call (`new Stripe('sk_live_...')`).

## Why it matters
Source is copied into every clone, CI log, container image and laptop. Whoever holds the
literal signs sessions, calls the provider or logs into the database as the service.

## Example
```js
app.use(session({ secret: 'keyboard cat' }));
```
Use instead:
```js
app.use(session({ secret: requiredEnv('SESSION_SECRET') }));
```

## Fix
Read the value from the environment or a secret manager, fail at start-up when it is missing,
and rotate the value that was committed.

A literal handed to a call (an options object's key, `session({ secret: '...' })`) or held
under a name a framework signs with (`JWT_SECRET`, `sessionSecret`) is reported at high
confidence; one known by its credential name alone (`const STRIPE_KEY = '...'`, a key of a
config object) at low, and a product's stock default password (`minioadmin`) not at all.

## Known problems
Placeholders (`changeme`, `<your-key>`, `xxx`) and test/dev/example paths are skipped, and so is a
value that spells its own name (`READ_API_TOKEN = 'READ_API_TOKEN'`, an error code
`'auth/invalid_token'`): that is a key, not the secret.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import const_str, knowledge, location, named_calls
from servicelens.rules.python._common import is_dev_path, is_secret_name, words
from servicelens.rules.python._secret_uses import secret_uses
from servicelens.rules.python._secrets import is_placeholder, provider_shape, url_password
from servicelens.taint.scope import ModuleScope

Hit = tuple[int, str, str, Confidence]  # line, name, what, confidence


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    seen: set[tuple[int, str]] = set()
    for line, name, what, confidence in (*_hits(module), *_key_arguments(module, scope)):
        if (line, name) in seen:
            continue
        seen.add((line, name))
        env = "_".join(words(name)).upper() or "SECRET"
        yield make_finding(
            "hardcoded-secret", location(module, ir.Const(line, 0, None)), f"{what} `{name}` is written in the code",
            "Source is copied into every clone, CI log and container image: whoever holds this value acts as the "
            "service. It must be rotated, not just removed.",
            severity=Severity.HIGH, confidence=confidence,
            fix=Fix("Read it from the environment (or a secret manager), fail at start-up when it is missing, and "
                    "rotate the committed value.",
                    f"const {name if name.isidentifier() else 'secret'} = process.env.{env};\n"
                    f"if (!process.env.{env}) throw new Error('{env} is not set');", "javascript"),
            rule=RULE.id, key=f"{name}|{line}",
        )


def _hits(module: ir.Module) -> Iterator[Hit]:
    # decorators carry configuration too: `@Module({ imports: [JwtModule.register({ secret })] })`
    decorators = [d for c in module.classes for d in c.decorators] + [d for f in module.functions
                                                                      for d in f.decorators]
    for expr in decorators:
        yield from _literal_keys(expr)
    for stmt in _all_stmts(module):
        for expr in ir.stmt_exprs(stmt):
            yield from _literal_keys(expr)
            yield from _provider_arguments(expr)
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                name = target.id if isinstance(target, ir.Name) else target.attr if isinstance(target, ir.Attr) else ""
                if name:
                    yield from _judge(name, stmt.value, used=False)


def _literal_keys(expr: ir.Expr) -> Iterator[Hit]:
    nodes = list(ir.walk_expr(expr))
    # an options object handed straight to a call (`session({ secret })`, `new Client({ apiKey })`):
    # its credential keys are the call's parameters, a use
    passed = {id(arg) for node in nodes if isinstance(node, ir.Call) for arg in node.args
              if isinstance(arg, ir.DictExpr)}
    for node in nodes:
        if isinstance(node, ir.DictExpr):
            for key, value in zip(node.keys, node.values):
                name = const_str(key)
                if name:
                    # a parameter is named by an identifier; `'get /configs/id-token': ...` maps routes
                    yield from _judge(name, value, used=id(node) in passed and name.isidentifier())


def _provider_arguments(expr: ir.Expr) -> Iterator[Hit]:
    """A provider's token handed to a call as a positional argument, whatever the parameter is
    called: a client built from the literal key (`new Stripe('sk_live_...')`)."""
    for node in ir.walk_expr(expr):
        if not isinstance(node, ir.Call):
            continue
        for arg in node.args:
            literal = const_str(arg)
            shape = provider_shape(literal) if literal else None
            if shape:
                yield arg.line, f"{ir.last_name(node.func) or 'client'} key", shape, Confidence.HIGH


def _key_arguments(module: ir.Module, scope: ModuleScope) -> Iterator[Hit]:
    """A literal handed to a call as its key: `createHmac('sha256', 'k3y')`, `cookieParser('s')`."""
    arguments = knowledge().secret_arguments
    for named in named_calls(module, scope):
        index = arguments.get(named.name.removeprefix("node:"))
        if index is None or len(named.call.args) <= index:
            continue
        literal = const_str(_key_bytes(named.call.args[index]))
        if literal and _looks_secret(literal, False):
            yield named.call.line, f"{named.name.rpartition('.')[2]} key", "Key", Confidence.HIGH


def _key_bytes(value: ir.Expr) -> ir.Expr:
    """`Buffer.from('3f9a...', 'hex')`, `new TextEncoder().encode('k')`: the literal the bytes are."""
    if isinstance(value, ir.Call) and value.args and ir.last_name(value.func) in ("from", "encode", "parse"):
        return value.args[0]
    return value


_SETTINGS = frozenset({"env", "config", "configuration", "settings", "conf"})


def _fallback(value: ir.Expr) -> bool:
    """The first operand reads a deployment setting: the environment or a config object or getter
    (`process.env.X`, `env.X`, `config.get('x')`, `this.configService.get('x')`)."""
    if isinstance(value, ir.Call):
        value = value.func
    return bool({w.lower() for w in words(ir.dotted_name(value) or "")} & _SETTINGS)


def _judge(name: str, value: ir.Expr, *, used: bool) -> Iterator[Hit]:
    """`used`: the literal is a call's parameter. A plain literal is high confidence when it is
    used so or its name is one a framework signs with (`JWT_SECRET`, `sessionSecret`,
    data/secret_uses.yaml), low when only its credential name says it is one."""
    fallback = False
    if isinstance(value, ir.BoolOp) and value.op in ("or", "??", "||") and len(value.values) == 2 \
            and _fallback(value.values[0]):
        value, fallback = value.values[1], True
    elif isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and value.func.attr == "default" \
            and len(value.args) == 1 and isinstance(value.func.value, ir.Call):
        # a settings schema's default (`STRIPE_SECRET: z.string().default('sk_...')`, Joi, yup):
        # production runs with it whenever the variable is missing
        value, fallback = value.args[0], True
    value = _key_bytes(value)
    literal = const_str(value)
    if not literal:
        return
    shape = provider_shape(literal)
    if shape:
        yield value.line, name, shape, Confidence.HIGH
    elif url_password(literal):
        yield value.line, name, "Database/service URL with its password", Confidence.HIGH
    elif is_secret_name(name, strict=True) and _looks_secret(literal, fallback) and not _names_itself(name, literal):
        if fallback:
            yield value.line, name, "Fallback secret for a missing environment variable", Confidence.MEDIUM
        elif used or secret_uses().signs(name):
            yield value.line, name, "Secret", Confidence.HIGH
        elif not secret_uses().stock_default(literal):
            yield value.line, name, "Probable secret", Confidence.LOW


def _looks_secret(literal: str, fallback: bool) -> bool:
    """Not a placeholder, a label (`'Bearer'`) or a sentence (`'Your password must ...'`)."""
    if is_placeholder(literal) or len(literal.split()) > 2:
        return False
    if fallback:
        return len(literal) >= 4
    return len(literal) >= 8 or (len(literal) >= 6 and not literal.isalpha())


_WORDS_ONLY = re.compile(r"^[A-Za-z]+(?:[_:/.\-][A-Za-z]+)+$")


def _names_itself(name: str, literal: str) -> bool:
    """The value spells the name it is held under: a key, not a secret (`UPDATE_API_TOKEN =
    'UPDATE_API_TOKEN'`, an environment variable's name, `INVALID_TOKEN = 'auth/invalid_token'`,
    `ADMIN_PASSWORD: 'admin:password'`). Words only, and at least two of them the name's."""
    if not _WORDS_ONLY.match(literal):
        return False
    shared = {w.lower() for w in words(literal)} & {w.lower() for w in words(name)}
    return len(shared) >= 2


def _all_stmts(module: ir.Module) -> Iterator[ir.Stmt]:
    yield from ir.walk_stmts(module.body)
    for function in module.functions:
        yield from ir.walk_stmts(function.body)
    for cls in module.classes:
        yield from ir.walk_stmts(cls.body)


RULE = Rule("js-hardcoded-secret", frozenset({"hardcoded-secret"}), "javascript", check)
