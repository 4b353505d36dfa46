"""Where each side of an equality comes from: what the client sent, or what the server holds.

Not a rule (it defines no RULE). A timing leak needs a guess and a secret: one side the client
chooses and varies, the other a value the server keeps. This module says, per operand, which
it is, from how the value was made, not from what it is called:

    req.get('x-api-key'), request.headers.authorization, body.apiKey (`@Body() body`)   REQUEST
    token (a parameter of the function: whatever its callers hand it)                   PARAMETER
    process.env.HOOK_SECRET, this.config.get('app.secret'), Config.get().security.key   SETTING
    createHmac(alg, key).update(body).digest('hex'), sign(body), a module function       MAC
    whose body keys an HMAC, whatever its name
    user.resetToken with `user = await users.findOne(...)`, this.hookSecret             STORED
    createHash('sha256').update(req.body).digest('hex'), calculateDigest(body)          DERIVED
    'literal', TokenType.Access, a module constant bound to a literal                   CONSTANT

Locals are followed through their bindings in the function (and the functions it is nested
in); calls that keep their receiver's or argument's content (`.trim()`, `String(x)`,
`jwt.decode(t)`, `Object.fromEntries(header.split(',').map(...))`) keep its origin. A stored value remembers the values its lookup was keyed
by (`db.get(\\`invite:${query.token}\\`)`): compared with one of them, the row was found BY the
client's value, and the comparison leaks nothing the lookup did not.
"""
from __future__ import annotations

from dataclasses import dataclass
from servicelens import ir
from servicelens.rules.python._common import words

REQUEST, PARAMETER, SETTING, MAC, STORED, DERIVED, CONSTANT, UNKNOWN = (
    "request", "parameter", "setting", "mac", "stored", "derived", "constant", "unknown")
CLIENT = frozenset({REQUEST, PARAMETER})

# NestJS parameter decorators that hand a handler what the client sent
_CLIENT_DECORATORS = frozenset({"Param", "Body", "Query", "Headers", "Req", "Request", "Args", "MessageBody"})
_REQUEST_NAMES = frozenset({"req", "request"})
# parts of a Koa/Hono context that are the request
_CONTEXT_PARTS = frozenset({"request", "req", "headers", "header", "query", "params", "body", "cookies", "get"})
# words naming configuration: a value read through one of these is a setting the server was given
_SETTING_WORDS = frozenset({"env", "config", "configuration", "settings", "conf"})
# methods whose result holds their receiver's content; a `get` on what the client sent reads a
# part of it, on anything else it is a lookup keyed by its argument
_KEEPING_METHODS = frozenset({"trim", "trimStart", "trimEnd", "toString", "toLowerCase", "toUpperCase", "valueOf",
                              "normalize", "slice", "substring", "replace", "split", "at", "toJSON", "join", "concat",
                              "map", "filter", "flat", "flatMap"})
_READS = frozenset({"get", "header", "getHeader"})
# calls whose result holds their first argument's content (`String(x)`, `Buffer.from(x)`, `jwt.decode(t)`)
# (`Object.fromEntries(pairs)`: a header parsed into its parts)
_CONTENT_CALLS = frozenset({"String", "from", "fromEntries", "decode", "parse", "decodeURIComponent", "atob"})
# words of a call that hashes without a key: a checksum of what it is given, no secret
_HASH_WORDS = frozenset({"hash", "digest", "sha1", "sha256", "sha512", "md5", "checksum", "etag"})
_MAC_WORDS = frozenset({"hmac", "signature", "mac"})
_SIZES = frozenset({"length", "byteLength", "size"})
_DEPTH = 14


@dataclass(frozen=True, slots=True)
class Operand:
    origin: str
    keys: frozenset[str] = frozenset()  # for STORED: the dotted names its lookup was keyed by
    text: str = ""  # the setting's key or the binding that names what the value is (`app.pushSecret`)


class Origins:
    """Per function: each operand's origin (module-level facts shared by every function)."""

    def __init__(self, module: ir.Module) -> None:
        self._functions = {f.qualname: f for f in module.functions}
        self._module_bindings = _bindings(module.body)
        self._bound: dict[str, dict[str, list[ir.Expr | None]]] = {}
        self._names: dict[tuple[str, str], Operand] = {}
        self._macs: dict[str, bool] = {}  # per function of the module: does its body key an HMAC

    def _bindings_of(self, function: ir.Function) -> dict[str, list[ir.Expr | None]]:
        found = self._bound.get(function.qualname)
        if found is None:
            found = self._bound[function.qualname] = _bindings(function.body)
        return found

    def of(self, expr: ir.Expr, function: ir.Function | None) -> Operand:
        return self._operand(expr, function, _DEPTH)

    def _operand(self, expr: ir.Expr, function: ir.Function | None, depth: int) -> Operand:
        if depth <= 0:
            return Operand(UNKNOWN)
        node = expr.value if isinstance(expr, ir.Await) else expr
        if isinstance(node, ir.Const) or (isinstance(node, ir.Name) and node.id in ("undefined", "null")):
            return Operand(CONSTANT)
        if isinstance(node, ir.FormattedString):  # `Basic ${token}`: what the holes hold
            holes = [self._operand(p, function, depth - 1) for p in node.parts if not isinstance(p, ir.Const)]
            return _joined(holes) if holes else Operand(CONSTANT)
        if isinstance(node, ir.BoolOp):  # `header || ''`, `a ?? b`: any of them
            return _joined([self._operand(v, function, depth - 1) for v in node.values
                            if not isinstance(v, ir.Const)])
        if isinstance(node, ir.Call):
            return self._call(node, function, depth)
        if isinstance(node, ir.Attr) and node.attr in _SIZES:
            return Operand(CONSTANT)  # `given.length`: a number, the same for every guess of that size
        if _request_read(node, function):
            return Operand(REQUEST)
        setting = _setting_text(node)
        if setting is not None:
            return Operand(SETTING, text=setting)
        if isinstance(node, ir.Attr | ir.Subscript):
            root = node
            while isinstance(root, ir.Attr | ir.Subscript):
                root = root.value
            if isinstance(root, ir.Name) and root.id == "self":
                return Operand(STORED, text=ir.dotted_name(node) or "")  # object state the server keeps
            base = self._operand(root, function, depth - 1)
            if base.origin == CONSTANT and isinstance(root, ir.Name) and root.id[:1].isupper():
                return base  # `TokenType.Access`: a member of a class of constants
            return Operand(base.origin, base.keys, ir.dotted_name(node) or base.text)
        if isinstance(node, ir.Name):
            return self._name(node.id, function, depth)
        return Operand(UNKNOWN)

    def _call(self, call: ir.Call, function: ir.Function | None, depth: int) -> Operand:
        if _request_read(call, function):
            return Operand(REQUEST)
        method = ir.last_name(call.func) or ""
        name_words = set(words(method))  # what the call does, not what its receiver is called
        if _hmac(call) or self._makes_mac(call):
            return Operand(MAC)
        if any(isinstance(a, ir.Name) and a.id in _REQUEST_NAMES for a in call.args):
            return Operand(REQUEST)  # what a helper handed the request reads from it (`bearer(req)`)
        if _signs(method):
            return Operand(MAC)
        setting = _setting_text(call)
        if setting is not None:
            return Operand(SETTING, text=setting)
        receiver = call.func.value if isinstance(call.func, ir.Attr) else None
        if method in _CONTENT_CALLS and call.args:
            return self._operand(call.args[0], function, depth - 1)
        if receiver is not None and method in _KEEPING_METHODS | _READS:
            held = self._operand(receiver, function, depth - 1)
            if method in _KEEPING_METHODS or held.origin in CLIENT:
                return held
        inputs = [self._operand(a, function, depth - 1) for a in call.args]
        if receiver is not None:
            inputs.append(self._operand(receiver, function, depth - 1))
        if _plain_hash(call):  # `createHash(alg).update(data).digest()`: what the chain was fed
            inputs += [self._operand(a, function, depth - 1) for link in _chain(call) for a in link.args]
        if name_words & _HASH_WORDS or _plain_hash(call):
            # a hash of what it is given: a checksum anyone can compute, no secret in it
            return Operand(DERIVED) if any(i.origin in CLIENT for i in inputs) else Operand(UNKNOWN)
        # anything else (a lookup, a decryption): what the server holds, keyed by its arguments
        return Operand(STORED, frozenset(_keys(call)))

    def _makes_mac(self, call: ir.Call) -> bool:
        """A call of a function of this module whose body keys an HMAC (`digestOf(body, stamp)` over
        `createHmac(alg, key)`): what it returns is a MAC whatever it is called."""
        callee = self._functions.get(ir.dotted_name(call.func) or "")
        if callee is None:
            return False
        found = self._macs.get(callee.qualname)
        if found is None:
            found = self._macs[callee.qualname] = any(
                isinstance(node, ir.Call) and ir.last_name(node.func) == "createHmac"
                for stmt in ir.walk_stmts(callee.body) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))
        return found

    def _name(self, name: str, function: ir.Function | None, depth: int) -> Operand:
        key = (function.qualname if function is not None else "", name)
        found = self._names.get(key)
        if found is None:
            self._names[key] = Operand(UNKNOWN)  # while it is worked out: a binding that reads itself
            found = self._names[key] = self._resolve(name, function, depth)
        return found

    def _resolve(self, name: str, function: ir.Function | None, depth: int) -> Operand:
        scope = function
        while scope is not None:
            # a parameter holds what the callers pass, also after `token = token.trim()`
            param = next((p for p in scope.params if p.name == name), None)
            if param is not None:
                return Operand(REQUEST if _client_param(param, scope) else PARAMETER)
            bound = self._bindings_of(scope).get(name)
            if bound is not None:
                return _joined([self._operand(v, scope, depth - 1) if v is not None else Operand(UNKNOWN)
                                for v in bound])
            scope = self._functions.get(scope.parent) if scope.parent else None
        bound = self._module_bindings.get(name)
        if bound is not None:
            if all(isinstance(v, ir.Const) and isinstance(v.value, str) and v.value for v in bound):
                # text compiled into the service (`const SERVICE_TOKEN = "c9Xq..."`): a secret it holds,
                # unless it reads as a marker (the rule leaves those out first)
                return Operand(SETTING, text=name)
            return _joined([self._operand(v, None, depth - 1) if v is not None else Operand(UNKNOWN) for v in bound])
        # an imported constant (`NULL_ADDRESS`): a published value
        return Operand(CONSTANT) if name.isupper() and len(name) > 1 else Operand(UNKNOWN)


def _joined(operands: list[Operand]) -> Operand:
    """One origin for a value that may be any of several: the client's when any is (it can choose),
    else the one they share, else unknown."""
    if not operands:
        return Operand(UNKNOWN)
    for origin in (REQUEST, PARAMETER):
        if any(o.origin == origin for o in operands):
            return Operand(origin)
    kinds = {o.origin for o in operands} - {CONSTANT}
    if len(kinds) == 1:
        kind = kinds.pop()
        chosen = [o for o in operands if o.origin == kind]
        return Operand(kind, frozenset().union(*(o.keys for o in chosen)), chosen[0].text)
    return Operand(CONSTANT) if not kinds else Operand(UNKNOWN)


def _bindings(body: tuple[ir.Stmt, ...]) -> dict[str, list[ir.Expr | None]]:
    """Every value each local is bound to in `body` (not inside nested functions: the IR keeps
    those apart); a loop target binds an element of what it iterates."""
    out: dict[str, list[ir.Expr | None]] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    out.setdefault(target.id, []).append(stmt.value)
        elif isinstance(stmt, ir.For) and isinstance(stmt.target, ir.Name):
            out.setdefault(stmt.target.id, []).append(stmt.iter)
    return out


def _client_param(param: ir.Param, function: ir.Function) -> bool:
    """A handler parameter the framework fills from the request: `@Body() body`, `req`, `request`,
    or a destructured first parameter (`({ body, headers }) => ...`)."""
    for decorator in param.decorators:
        callee = decorator.func if isinstance(decorator, ir.Call) else decorator
        if (ir.last_name(callee) or "") in _CLIENT_DECORATORS:
            return True
    return param.name in _REQUEST_NAMES or (param.name.startswith("<param") and function.params
                                            and function.params[0] is param)


def _request_read(expr: ir.Expr, function: ir.Function | None) -> bool:
    """`req.headers[...]`, `req.get('x')`, `request.body.token`, `ctx.request.body`, `ctx.get('x')`,
    `context.switchToHttp().getRequest()`: what the client sent."""
    node = expr
    while isinstance(node, ir.Attr | ir.Subscript | ir.Call):
        if isinstance(node, ir.Call):
            if ir.last_name(node.func) == "getRequest":
                return True
            node = node.func
            continue
        if isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id == "ctx":
            return node.attr in _CONTEXT_PARTS
        node = node.value
    return isinstance(node, ir.Name) and node is not expr and node.id in _REQUEST_NAMES


def _setting_text(expr: ir.Expr) -> str | None:
    """The key of a configuration read (`process.env.HOOK_SECRET` -> "HOOK_SECRET",
    `this.config.get('app.secret')` -> "app.secret", `Config.get().security.requestSignature`), or
    None when `expr` reads no configuration."""
    chain: list[str] = []
    node = expr
    key = ""
    while isinstance(node, ir.Attr | ir.Subscript | ir.Call):
        if isinstance(node, ir.Call):
            if not key and node.args and isinstance(node.args[0], ir.Const) and isinstance(node.args[0].value, str):
                key = node.args[0].value
            node = node.func
            continue
        if isinstance(node, ir.Attr):
            chain.append(node.attr)
        elif isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
            chain.append(node.index.value)
        node = node.value
    if isinstance(node, ir.Name):
        chain.append(node.id)
    chain.reverse()
    # the holder of the configuration is the root (`env`, `Config`, `configService`), or what the
    # runtime or the object holds (`process.env`, `this.config`), and comes before the key read from it
    for i, part in enumerate(chain[:2] if key else chain[:min(2, len(chain) - 1)]):
        if set(words(part)) & _SETTING_WORDS and (i == 0 or chain[0] in ("self", "process")):
            tail = [p for p in chain[i + 1:] if p not in ("get", "getOrThrow", "getString", "getValue")]
            return ".".join([*tail, key] if key else tail) or key
    return None


def _signs(method: str) -> bool:
    """A function named for making a MAC: `sign`, `signPayload`, `computeSignature`, `hmacSha256`
    (not `getSignInStatus`: "sign in" is no signature)."""
    parts = words(method)
    return bool(parts) and (parts[0] == "sign" and parts[1:2] != ["in"] or bool(set(parts) & _MAC_WORDS))


def _hmac(call: ir.Call) -> bool:
    return any(isinstance(n, ir.Call) and ir.last_name(n.func) == "createHmac" for n in ir.walk_expr(call))


def _plain_hash(call: ir.Call) -> bool:
    return ir.last_name(call.func) == "digest" and any(
        isinstance(n, ir.Call) and ir.last_name(n.func) == "createHash" for n in ir.walk_expr(call))


def _chain(call: ir.Call) -> list[ir.Call]:
    """The calls of a method chain, outermost first (`a().b().c()` -> c, b, a)."""
    links = []
    node: ir.Expr = call
    while isinstance(node, ir.Call):
        links.append(node)
        node = node.func.value if isinstance(node.func, ir.Attr) else node.func
    return links


def _keys(call: ir.Call) -> set[str]:
    """The dotted names a lookup call is keyed by, wherever they sit in its arguments
    (`db.get(\\`invite:${query.token}\\`)`, `findOne({ where: { token } })`)."""
    found: set[str] = set()
    for arg in call.args:
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Name | ir.Attr):
                dotted = ir.dotted_name(node)
                if dotted:
                    found.add(dotted)
    return found


def looked_up_by(held: Operand, other: ir.Expr) -> bool:
    """The held value was found by the other side's value: the comparison re-checks the key."""
    dotted = ir.dotted_name(other.value if isinstance(other, ir.Await) else other)
    return held.origin == STORED and bool(dotted) and dotted in held.keys

