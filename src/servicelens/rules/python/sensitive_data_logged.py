"""Sensitive data logged: passwords, tokens, keys or card data written to logs.

## What it finds
Calls to `logging` / `logger.*` / `app.logger.*` (and `print` inside request handlers)
whose arguments include a value named like a credential or card datum (`password`,
`new_password`, `token`, `api_key`, `client_secret`, `card_number`, `cvv`,
`request.headers["Authorization"]`), or whose message labels an argument as one
(`"token=%s"`, `f"password: {p}"`).

## Why it matters
Logs are copied to aggregation services, shared with support staff and vendors and kept
for months, usually with far weaker access control than the user database. A password or
session token in a log line is a credential anyone with log access can use, and card data
in logs puts the whole logging pipeline into PCI DSS scope.

## Example
```python
logger.info("login attempt user=%s password=%s", username, password)
```
Use instead:
```python
logger.info("login attempt user=%s", username)
```

## Fix
Log identifiers (user id, token id, last four digits), never the secret itself; mask with
a helper when a value must be recognisable (`token[:6] + "..."`).

## Known problems
A value the standard `secrets` module made in the function (`code = f"{secrets.randbelow(10**6):06d}"`,
`link = secrets.token_urlsafe()`) is a one-time code or token by where it comes from, whatever it is
called, unless its name says it identifies or names something (`request_id`, `label_file`); text built
from it keeps it (`code.upper()`, `make_link(code)`), but a one-way function's result does not
(`hash_password(code)`), nor what another object's method answers when handed it
(`db.create_user(name, code)` returns a status or a row). A record's field read by a constant key
(`client["user_id"]`) is judged by its key, not as the whole record.
Values are recognised by name, then judged by what they are for: a token or key logged where it
was just rejected (in the handler of an expired/invalid/bad-signature/not-found exception, or in
the branch where a lookup keyed by it found nothing) is not a usable credential (a rejected
password still is: it is usually one typo from the real one); a method's result or a field of a
secret object (`token.get_serial()`, `token.owner`) is not the secret; a message that labels a
credential with a caught exception, an identity-named value (`email`, `serial`) or a masked form
(`bool(password)`) logs no credential, nor does a value an f-string formats as a number
(`f"time to first token: {elapsed:.3f}"`) or a single-word `owner.token` of an object that is
not an auth object (`lock.token`, the same judgement as when the label is absent); a name for where secrets are kept (`credentials_path`) is
not one, nor is a token named as a position in a result set (`next_page_token`,
`continuation_token`: a pagination cursor grants nothing by itself) (vocabulary:
models/vocabulary/purpose.yaml, `logged_credential`). A whole dict or request body is reported when the same
function reads a secret key from it (`payload["password"]`, `body.get("api_key")`,
`data.pop("password")`) and the key is not popped or deleted before the log call (nor read into a part
of a signature check the function makes: the nonce a webhook provider signed, `hmac.new(key, msg=stamp +
token)`, and the signature compared with it grant nothing, alone or in their body), and a schema
object dumped whole (`body.model_dump()`, `body.dict()`, `vars(body)`, `body.__dict__`) when the
function reads its password field (`body.password`); a body logged in one function and read in
another is missed. Values passed through `len()`, slices or a masking call are not reported, nor
is a local only ever assigned a number, text written in the code or such a fragment
(`token = int(redis.incr(key))`, `short = key[:5] + "..." + key[-5:]`, `initial_password = "changeme"`:
the log shows nothing the source does not), an argument a %-message formats as a number (`created=%d`),
or the test of a conditional expression (`token[:8] if token else "-"` logs no whole token).
A value is judged by how the code uses it, not by its name alone: a local named with a credential
word that has another sense (`token`, `key`; vocabulary: `record_words`, and none of `sole_sense_words`
such as `password` or `credentials`) whose fields the function
reads (`token.chain_id`, `token["pos"]`, `master_key.door_id`), none of them the secret or a fact of an
auth grant (`token.access_token`, `token.user`, `token.expires_at`, `credentials["secret_access_key"]`;
vocabulary: `grant_words`), and on which no text method is called (`token.strip()`), is a record of
something else (a crypto asset, a parsed word, a game item), and so is a local declared with the same
type (`to_token: EvmToken` beside such a `from_token: EvmToken`); a record whose fields are read only
in another function is still judged by its name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from servicelens import ir
from servicelens.rules.python._flow import tested_missing
from servicelens.rules.python._logged_records import record_locals
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import (
    auth_owner, const_str, expr_name, is_secret_name, is_test_path, location, words,
)
from servicelens.rules.python._purpose import LoggedCredential, id_words, vocabulary
from servicelens.rules.python.perf_common import call_name
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment

_LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
                          "msg"})
_SAFE_CALLS = frozenset({"len", "bool", "type", "id", "isinstance", "hash", "mask", "redact", "masked",
                         "obfuscate", "is_valid", "startswith", "endswith", "count", "hexdigest", "sha256",
                         "exists", "filter", "get_object_or_404", "str.count", "truncate"})
_LABELLED = re.compile(r"(?i)(password|passwd|secret|\btoken|api[_ -]?key|authorization|card number|cvv)"
                       r"\s*[:=]\s*(?:%[sr]|\{[^}]*\}|$)")
_HEADERS = frozenset({"authorization", "http_authorization", "cookie", "http_cookie", "x-api-key", "x-auth-token",
                      "auth_cookie", "session_cookie"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or "/management/commands/" in f"/{module.path}":
        return
    index = file_index(module, scope)
    vocab = vocabulary().logged
    uses_secrets = _imports_secrets(module)
    for function, body in all_bodies(module):
        handler = function is not None and function.qualname in scope.handlers
        logs = [call for call in index.block_of_kind(body, ir.Call) if _is_log_call(call, handler)]
        if not logs:
            continue  # what the body masks, signs and rejects matters only to a log call
        signed = _signed_message_parts(body, index) if function is not None else frozenset()
        containers = _secret_containers(body, index, signed) if function is not None else {}
        rejected = _rejected_regions(body, index, vocab)
        errors = _exception_names(body, index)
        generated = _generated_secrets(body, scope, function) if function is not None and uses_secrets else set()
        masked = _derived_locals(body, index, function)
        if signed:  # a signed nonce and its signature, logged alone, grant nothing either
            masked = MaskedLocals(masked.values | signed, masked.fragments)
        records = record_locals(body, index, function, vocab)
        if records:  # `token.chain_id` read, nothing of a grant: a record of something else, not a secret
            masked = MaskedLocals(masked.values | records, masked.fragments)
        for call in logs:
            source = "\n".join(module.lines[call.line - 1:(getattr(call, "end_line", 0) or call.line)])
            what = next((w for w in _sensitive_args(call, errors, vocab, source, masked)
                         if not _rejected(w, call, rejected)), None) \
                or next(_whole_containers(call, containers), None) or _logs_generated(call, generated)
            if what is None:
                continue
            name, confidence = what
            yield make_finding(
                "sensitive-data-logged", location(module, call),
                ("" if confidence is Confidence.HIGH else "Probable ") + f"{name} written to the log",
                f"`{name}` is a credential or card datum. Logs are shipped to aggregators, read by support staff and "
                "kept for months with weaker access control than the user store, so anyone with log access can "
                "reuse it.", confidence=confidence,
                fix=Fix("Log an identifier (user id, token id, last four digits) instead of the secret.",
                        _fix_code(strip_comment(module.line_text(call.line)), name), "python"),
                rule=RULE.id, key=name,
            )


# what a value made by the `secrets` module is for, when its name says it is not a credential
_NOT_CREDENTIAL_WORDS = frozenset({"id", "request", "trace", "correlation", "file", "filename", "name", "path",
                                   "slug", "suffix", "prefix", "nonce", "salt", "etag", "boundary", "color", "colour"})


# what `secrets` generates (not `compare_digest`, which only compares)
_GENERATORS = frozenset({"token_hex", "token_urlsafe", "token_bytes", "randbelow", "randbits", "choice"})


def _imports_secrets(module: ir.Module) -> bool:
    """The module imports the standard `secrets` module or one of its names (once per file)."""
    return any(imp.target == "secrets" or imp.target.startswith("secrets.") for imp in module.imports)


def _generated_secrets(body: tuple[ir.Stmt, ...], scope: ModuleScope, function: ir.Function | None) -> set[str]:
    """Locals holding what `secrets` generated (`code = f"{secrets.randbelow(10**6):06d}"`,
    `reset = secrets.token_urlsafe()`, `token_hex()` after `from secrets import token_hex`): by
    where it comes from a one-time code or token, whatever it is called, unless its name says it
    identifies or names something."""

    def made_by_secrets(expr: ir.Expr) -> bool:
        if not isinstance(expr, ir.Call):
            return False
        module, _, generator = call_name(expr, scope, function).rpartition(".")
        return module == "secrets" and generator in _GENERATORS

    modules = frozenset(scope.imports)
    held: set[str] = set()
    for _ in range(2):  # names bound to the value itself (not a container it is stored into)
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None and all(isinstance(t, ir.Name) for t in stmt.targets) \
                    and _carries(stmt.value, held, made_by_secrets, modules):
                held.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return {name for name in held if not set(words(name)) & _NOT_CREDENTIAL_WORDS}


# words naming a one-way function: its result reveals nothing that can be presented in the secret's place
_DIGEST_WORDS = frozenset({"hash", "hashed", "digest", "hmac", "bcrypt", "scrypt", "argon2", "pbkdf2", "sha256",
                           "sha512", "sha1", "md5", "encrypt", "encrypted"})


def _carries(expr: ir.Expr, held: set[str], made_by_secrets: Callable[[ir.Expr], bool],
             modules: frozenset[str]) -> bool:
    """Does the value of `expr` hold the generated secret's text? A call passes it on when the secret
    is its receiver (`code.upper()`) or an argument of a function that builds text from it (`str(code)`,
    `quote(token)`, `make_link(token)`); not through a one-way function (`gen_password_hash(code)`), nor
    through a method of another object, whose result is that object's answer (`db.create_user(name,
    code)` returns a status or a row, not the code)."""
    if isinstance(expr, ir.Name):
        return expr.id in held
    if isinstance(expr, ir.Call):
        if made_by_secrets(expr):
            return True
        if set(words(ir.last_name(expr.func))) & _DIGEST_WORDS:
            return False
        if isinstance(expr.func, ir.Attr) and not _module_function(expr.func, modules):
            return _carries(expr.func.value, held, made_by_secrets, modules)
    return any(_carries(child, held, made_by_secrets, modules) for child in ir.child_exprs(expr))


def _module_function(func: ir.Attr, modules: frozenset[str]) -> bool:
    """`urllib.parse.quote`, `base64.b64encode`: a function of an imported module, not a method."""
    root = ir.dotted_name(func.value)
    return root is not None and root.split(".", 1)[0] in modules


def _logs_generated(call: ir.Call, generated: set[str]) -> tuple[str, Confidence] | None:
    """A logged argument that is a value `secrets` generated for this request, unmasked."""
    for value in (*call.args[1:], *(kw.value for kw in call.kwargs if kw.name not in ("exc_info", "stack_info"))):
        if isinstance(value, ir.Name) and value.id in generated:
            return value.id, Confidence.MEDIUM
    for value in call.args[:1]:
        if isinstance(value, ir.FormattedString) and any(isinstance(p, ir.Name) and p.id in generated
                                                         for p in value.parts):
            name = next(p.id for p in value.parts if isinstance(p, ir.Name) and p.id in generated)
            return name, Confidence.MEDIUM
    return None


def _is_log_call(call: ir.Call, handler: bool) -> bool:
    name = ir.dotted_name(call.func) or ""
    if name == "print":
        return handler
    if "." not in name:
        return False
    receiver, _, method = name.rpartition(".")
    return method in _LOG_METHODS and ("log" in receiver.rsplit(".", 1)[-1].lower() or receiver == "logging")


@dataclass(frozen=True, slots=True)
class MaskedLocals:
    """Locals a log carries without the whole value: `values`, every assignment of which is a number
    or a fragment (`_masked_value`); `fragments`, those only ever a fragment. Card, bank-account and
    national-id data are numbers themselves: only a fragment of them is masked."""

    values: frozenset[str] = frozenset()
    fragments: frozenset[str] = frozenset()


def _sensitive_args(call: ir.Call, errors: frozenset[str], vocab: LoggedCredential, source: str = "",
                    masked: MaskedLocals = MaskedLocals()) -> Iterator[tuple[str, Confidence]]:
    message = const_str(call.args[0]) if call.args else None
    numbers = _numeric_conversions(message, len(call.args) - 1) if message is not None else frozenset()
    values = [(arg, index - 1 in numbers) for index, arg in enumerate(call.args)] \
        + [(kw.value, False) for kw in call.kwargs if kw.name not in ("exc_info", "stack_info")]
    for value, as_number in values:
        for node in _walk_unmasked(value, vocab):
            name = _sensitive_name(node, vocab)
            if name is not None and not _logged_masked(node, name, as_number, masked):
                yield name, Confidence.HIGH
    if message is not None and len(call.args) > 1:
        for match in _LABELLED.finditer(message):
            numeric = _numeric_datum(match.group(1))
            if _credential_value(_labelled_arg(message, match, call.args[1:]), errors, vocab,
                                 masked.fragments if numeric else masked.values, numbers=not numeric):
                yield match.group(1).lower(), Confidence.MEDIUM
    for value in call.args:
        if isinstance(value, ir.FormattedString):
            for before, after in zip(value.parts, value.parts[1:]):
                text = const_str(before)
                found = _LABELLED.search(text) if text is not None and not isinstance(after, ir.Const) else None
                numeric = found is not None and _numeric_datum(found.group(1))
                if found is not None and _credential_value(after, errors, vocab, masked.fragments if numeric
                                                           else masked.values, numbers=not numeric) \
                        and not _formatted_as_number(after, source):
                    yield found.group(1).lower(), Confidence.MEDIUM


def _numeric_datum(name: str) -> bool:
    """Card, bank-account or national-id data (`cvv`, `card_number`, `card number`): numbers themselves,
    so formatting one as a number or converting it with `int()` still logs it whole."""
    return _sensitive_key(name) and not is_secret_name(name)


def _logged_masked(node: ir.Expr, name: str, as_number: bool, masked: MaskedLocals) -> bool:
    """Is the sensitive value logged only as a number (a `%d` argument, a local only ever assigned
    one) or a fragment? A number masks a credential, which is text, never a numeric datum."""
    local = node.id if isinstance(node, ir.Name) else None
    if _numeric_datum(name):
        return local in masked.fragments
    return as_number or local in masked.values


def _labelled_arg(message: str, match: re.Match[str], args: tuple[ir.Expr, ...]) -> ir.Expr | None:
    """The argument a `password=%s` label introduces: the placeholder it ends with, counted."""
    placeholders = len(re.findall(r"%[-#0 +]*\d*(?:\.\d+)?[sdrfix]|\{[^}]*\}", message[:match.end()]))
    if placeholders and placeholders <= len(args):
        return args[placeholders - 1]
    return args[0] if len(args) == 1 else None


def _credential_value(value: ir.Expr | None, errors: frozenset[str], vocab: LoggedCredential,
                      derived: frozenset[str] = frozenset(), numbers: bool = True) -> bool:
    """Could the value a message labels as a credential be one? Not a caught exception (an error
    message about the credential), not a value whose own name says it is something else (an
    email, a serial number), not a masked form of it (`bool(password)`, `len(token)`, `token[:8]`,
    a local only ever assigned a number or such a fragment; no number when `numbers` is off, for a
    numeric datum); of `a if test else b`, only `a` and `b` are logged."""
    if value is None:
        return True
    if isinstance(value, ir.IfExp):
        return _credential_value(value.body, errors, vocab, derived, numbers) \
            or _credential_value(value.orelse, errors, vocab, derived, numbers)
    if isinstance(value, ir.Const) or _masked_value(value, derived, numbers):
        return False  # text written in the code (`"none"`) is no credential presented to it
    if isinstance(value, ir.Call):
        func = (ir.dotted_name(value.func) or "").rsplit(".", 1)[-1]
        if func in _SAFE_CALLS or func == "str" and value.args and not _credential_value(value.args[0], errors, vocab):
            return False
    if isinstance(value, (ir.Compare, ir.Unary)):
        return False
    if isinstance(value, ir.Name) and value.id in errors:
        return False
    name = expr_name(value) if isinstance(value, (ir.Name, ir.Attr, ir.Subscript, ir.Call)) else None
    if name is not None and not is_secret_name(name) and set(id_words(name)) & vocab.identity_words:
        return False
    if isinstance(value, ir.Attr) and words(value.attr) == ["token"] and not auth_owner(value) \
            and ir.dotted_name(value.value) not in ("self", "cls"):
        return False  # `lock.token`, `page.token`: the same judgement as an unlabelled `owner.token`
    return True


_NUMBER_SPEC = "[bcdeEfFgGnoxX%]"
# a %-conversion specifier: flags, width, precision, then the conversion (`%s`, `%-8d`, `%.2f`, `%*d`);
# a `*` width or precision takes an argument of its own
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])")
_NUMBER_CONVERSIONS = frozenset("diouxXeEfFgG")


def _numeric_conversions(message: str, count: int) -> frozenset[int]:
    """Positions of the arguments a %-message formats as numbers (`"created=%d"`): a number is
    never a credential, whatever its name (`created_credentials`)."""
    found: list[int] = []
    position = 0
    if "%(" in message:
        return frozenset()  # `%(name)d` takes its values from one mapping, not by position
    for match in _PERCENT.finditer(message):
        width, precision, conversion = match.groups()
        if conversion == "%":
            continue
        position += (width == "*") + (precision == "*")
        if conversion in _NUMBER_CONVERSIONS:
            found.append(position)
        position += 1
    return frozenset(i for i in found if i < count)


# calls whose result is a number, not the text they were given
_NUMBER_CALLS = frozenset({"int", "float", "len", "round", "abs", "sum", "count", "incr", "incrby", "decr"})


def _masked_value(expr: ir.Expr, derived: frozenset[str], numbers: bool = True) -> bool:
    """A value that cannot be a whole credential: a numeric constant, a number computed (`int(...)`,
    `len(...)`, a counter's `incr`; unless `numbers` is off), a slice (`token[:6]`), a local of `derived`, or
    text built only from them (`token[:4] + "..." + token[-4:]`)."""
    if isinstance(expr, ir.Const):
        # written in the code: never the caller's datum, and a log line repeats nothing the source does not
        # already show (`default_password = "admin"`: the finding is the fixed credential, not its log line)
        return isinstance(expr.value, (int, float, str))
    if isinstance(expr, ir.Name):
        return expr.id in derived
    if isinstance(expr, ir.Subscript):
        return isinstance(expr.index, ir.Opaque) and expr.index.kind == "slice"
    if isinstance(expr, ir.Call):
        return numbers and ir.last_name(expr.func) in _NUMBER_CALLS
    if isinstance(expr, ir.BinOp):
        return _masked_part(expr.left, derived, numbers) and _masked_part(expr.right, derived, numbers)
    if isinstance(expr, ir.FormattedString):
        return all(_masked_part(part, derived, numbers) for part in expr.parts)
    if isinstance(expr, ir.IfExp):  # `key[:6] if key else ""`: either branch, never the test
        return _masked_part(expr.body, derived, numbers) and _masked_part(expr.orelse, derived, numbers)
    return False


def _masked_part(expr: ir.Expr, derived: frozenset[str], numbers: bool = True) -> bool:
    """A part of text being built that adds no credential: written text (`"..."`) or a masked value."""
    return (isinstance(expr, ir.Const) and isinstance(expr.value, str)) or _masked_value(expr, derived, numbers)


def _derived_locals(body: tuple[ir.Stmt, ...], index: FileIndex, function: ir.Function | None) -> MaskedLocals:
    """Locals every assignment of which is a number or a fragment of a value (`_masked_value`):
    `token = int(redis.incr(key))`, `created_credentials += 1`, `short = key[:5] + "..."`; and those
    only ever a fragment. A parameter is never one: its caller's value is what it holds until it is
    assigned."""
    params = {p.name for p in function.params} if function is not None else set()
    assigned: dict[str, list[ir.Expr]] = {}
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    assigned.setdefault(target.id, []).append(stmt.value)
                else:  # `a, b = ...`, `obj.x = ...`: what each name receives is not read here
                    for node in ir.walk_expr(target):
                        if isinstance(node, ir.Name):
                            assigned.setdefault(node.id, []).append(target)
        elif isinstance(stmt, (ir.For, ir.With, ir.Def)):
            for name in _bound_names(stmt):
                assigned.setdefault(name, []).append(ir.Opaque(stmt.line, 0, "bound", ()))
    found = []
    for numbers in (True, False):
        derived: frozenset[str] = frozenset()
        for _ in range(2):  # a local assigned from another such local
            derived = frozenset(name for name, values in assigned.items() if name not in params
                                and all(_masked_value(v, derived, numbers) for v in values))
        found.append(derived)
    return MaskedLocals(*found)


def _bound_names(stmt: ir.Stmt) -> Iterator[str]:
    """Names a `for`, `with ... as` or nested `def` binds without an assignment."""
    targets: list[ir.Expr] = []
    if isinstance(stmt, ir.For):
        targets.append(stmt.target)
    elif isinstance(stmt, ir.With):
        targets.extend(item.target for item in stmt.items if item.target is not None)
    elif isinstance(stmt, ir.Def):
        yield stmt.qualname.rsplit(".", 1)[-1]
    for target in targets:
        for node in ir.walk_expr(target):
            if isinstance(node, ir.Name):
                yield node.id


def _formatted_as_number(value: ir.Expr, source: str) -> bool:
    """`f"first token: {elapsed:.3f}"`: the interpolation formats a number, and a number is
    never a credential whatever the words before it."""
    text = ir.dotted_name(value)
    if not text or not source:
        return False
    return re.search(r"\{\s*" + re.escape(text) + r"\s*(?:![rsa])?\s*:[^{}]*" + _NUMBER_SPEC + r"\s*\}",
                     source) is not None


def _exception_names(body: tuple[ir.Stmt, ...], index: FileIndex) -> frozenset[str]:
    """Names bound by `except ... as e` in the function: their text is an error message."""
    return frozenset(h.name for stmt in index.walk_stmts(body) if isinstance(stmt, ir.Try)
                     for h in stmt.handlers if h.name)


def _rejected_regions(body: tuple[ir.Stmt, ...], index: FileIndex, vocab: LoggedCredential
                      ) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """(first line, last line, names) where the code has just learned that a presented credential
    is not a usable one: the handler of a rejection (`except SignatureExpired:`,
    `except InvalidToken:`; every name), or the branch taken when a lookup keyed by a value found
    nothing (`app = registry.get(token)` then `if not app:`; that key)."""
    regions: list[tuple[int, int, frozenset[str]]] = []
    lookups: dict[str, frozenset[str]] = {}
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, ir.Try):
            for h in stmt.handlers:
                if h.types is not None and _rejection_type(h.types, vocab):
                    regions.append((h.line, h.end_line, frozenset({"*"})))
        elif isinstance(stmt, ir.Assign) and isinstance(stmt.value, (ir.Call, ir.Await)) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            keys = frozenset(n.id for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Name)
                             and n is not stmt.value)
            lookups[stmt.targets[0].id] = keys
        elif isinstance(stmt, ir.If) and stmt.body:
            missing = tested_missing(stmt.test)
            if missing in lookups:
                regions.append((stmt.body[0].line, stmt.body[-1].end_line if hasattr(stmt.body[-1], "end_line")
                                else stmt.body[-1].line, lookups[missing]))
    return tuple(regions)



def _rejection_type(types: ir.Expr, vocab: LoggedCredential) -> bool:
    names = [n.attr if isinstance(n, ir.Attr) else n.id for n in ir.walk_expr(types)
             if isinstance(n, (ir.Name, ir.Attr))]
    return bool(names) and all(set(id_words(n)) & vocab.rejected_words for n in names
                               if n[:1].isupper())


def _rejected(what: tuple[str, Confidence], call: ir.Call,
              regions: tuple[tuple[int, int, frozenset[str]], ...]) -> bool:
    """A token or key logged where it was just rejected is not a usable credential; a password
    is still reported there (a mistyped password is usually close to the real one)."""
    name = what[0]
    if set(words(name)) & {"password", "passwd", "pwd", "passphrase", "pin"}:
        return False
    return any(first <= call.line <= last and ("*" in names or name in names) for first, last, names in regions)


def _secret_containers(body: tuple[ir.Stmt, ...], index: FileIndex,
                       signed: frozenset[str] = frozenset()) -> dict[str, tuple[str, int]]:
    """Dicts the function reads a secret from, by name: `payload["password"]`, `body.get("api_key")`,
    `data.pop("password")` -> {"payload": ("password", line it is removed at, or 0)}. A schema object
    whose secret field the function reads (`body.password` of a `LoginIn`) is one too, but only as
    its dump (`body.model_dump()`, `body.dict()`, `vars(body)`): it is keyed `<name>.<dump>`, since the
    object's own repr usually leaves fields out. A key read into one of `signed` (the parts of a signature
check, `_signed_message_parts`) is no secret."""
    found: dict[str, tuple[str, int]] = {}
    removed: dict[str, int] = {}
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                and stmt.targets[0].id in signed:
            continue  # `token = params.get("token")` signed by the provider: a nonce, not a credential
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id not in _NOT_SCHEMAS \
                    and is_secret_name(node.attr) and _is_password_field(node.attr):
                found.setdefault(f"{node.value.id}{_DUMPED}", (node.attr, 0))
                continue
            base, key, removes = _keyed_read(node)
            if base is None or key is None or not _sensitive_key(key):
                continue
            found.setdefault(base, (key, 0))
            if removes:
                removed.setdefault(base, node.line)  # type: ignore[union-attr]
        if isinstance(stmt, ir.Delete):
            for target in stmt.targets:
                base, key, _ = _keyed_read(target)
                if base is not None and key is not None and _sensitive_key(key):
                    found.setdefault(base, (key, 0))
                    removed.setdefault(base, stmt.line)
    return {base: (key, removed.get(base, 0)) for base, (key, _) in found.items()}


# what computes a message authentication code over a message with a key the server holds
_MAC_CALLS = frozenset({"hmac.new", "hmac.digest", "hmac.HMAC"})


def _signed_message_parts(body: tuple[ir.Stmt, ...], index: FileIndex) -> frozenset[str]:
    """Locals a signature check is made of: the message an HMAC is computed over (`hmac.new(key,
    msg=timestamp + token)`) and the signature compared with it. A webhook provider signs a fresh
    nonce with a key both sides hold; the nonce and its signature grant nothing by themselves, so
    the body carrying them is not a credential store, whatever its fields are called."""
    found: set[str] = set()
    for stmt in index.walk_stmts(body):
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Call) and ir.dotted_name(node.func) in _MAC_CALLS:
                message = [*node.args[1:2], *(kw.value for kw in node.kwargs if kw.name == "msg")]
                found.update(n.id for part in message for n in ir.walk_expr(part) if isinstance(n, ir.Name))
            elif isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in ("==", "!="):
                sides = (node.left, node.comparators[0])
                if any(isinstance(n, ir.Call) and ir.dotted_name(n.func) in _MAC_CALLS
                       for side in sides for n in ir.walk_expr(side)):
                    found.update(side.id for side in sides if isinstance(side, ir.Name))
    return frozenset(found)


def _keyed_read(node: ir.Expr) -> tuple[str | None, str | None, bool]:
    if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
        return _container_name(node.value), node.index.value, False
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in ("get", "pop") \
            and node.args and isinstance(node.args[0], ir.Const) and isinstance(node.args[0].value, str):
        return _container_name(node.func.value), node.args[0].value, node.func.attr == "pop"
    return None, None, False


# the names whose attributes are settings, the caller or the framework, never a submitted schema
_NOT_SCHEMAS = frozenset({"self", "cls", "settings", "config", "request", "current_user", "g", "app", "os"})
_DUMPED = "<dump>"  # the key of a schema object dumped whole (see _secret_containers)
# what serialises every field of an object: pydantic, dataclasses, marshmallow-style `to_dict`, vars()
_DUMPS = frozenset({"model_dump", "dict", "json", "model_dump_json", "to_dict", "asdict", "vars", "__dict__"})


def _is_password_field(name: str) -> bool:
    """A submitted password field (`password`, `new_password`), not a stored hash of one."""
    parts = words(name)
    return bool(parts) and parts[-1] in ("password", "passwd", "pwd", "passphrase", "pin") \
        and not {"hash", "hashed", "digest"} & set(parts)


def _container_name(expr: ir.Expr) -> str | None:
    """`payload`, `request.json`, `request.get_json()`, `self.request.data`; `body<dump>` for a
    schema object dumped whole (`body.model_dump()`, `body.dict()`, `vars(body)`, `body.__dict__`)."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in _DUMPS \
            and isinstance(expr.func.value, ir.Name):
        if expr.kwarg("exclude") is not None or expr.kwarg("include") is not None:
            return None  # `body.model_dump(exclude={"password"})` picks its own fields
        return f"{expr.func.value.id}{_DUMPED}"
    if isinstance(expr, ir.Call) and ir.last_name(expr.func) in _DUMPS and len(expr.args) == 1 \
            and isinstance(expr.args[0], ir.Name):
        return f"{expr.args[0].id}{_DUMPED}"
    if isinstance(expr, ir.Attr) and expr.attr == "__dict__" and isinstance(expr.value, ir.Name):
        return f"{expr.value.id}{_DUMPED}"
    if isinstance(expr, ir.Call) and not expr.args:
        expr = expr.func
    return ir.dotted_name(expr)


def _whole_containers(call: ir.Call, containers: dict[str, tuple[str, int]]) -> Iterator[tuple[str, Confidence]]:
    """`log.info("sign-up: %s", payload)` where `payload["password"]` is read in the same function
    and not removed before the log call: the whole body, password included, is logged."""
    for value in list(call.args[1:]) + [kw.value for kw in call.kwargs if kw.name not in ("exc_info", "stack_info")]:
        for node in _walk_unmasked(value):
            name = _container_name(node) if isinstance(node, (ir.Name, ir.Attr, ir.Call)) else None
            if name in containers:
                key, removed_at = containers[name]
                if not removed_at or removed_at > call.line:
                    shown = name.replace(_DUMPED, "") + (" dumped whole" if name.endswith(_DUMPED) else "")
                    yield f"`{shown}` (holding `{key}`)", Confidence.MEDIUM


_RECORD_METADATA = frozenset({"id", "pk", "uuid", "comment", "name", "prefix", "display_key", "last4", "last_four",
                              "type", "kind", "scope", "scopes", "status", "expires", "expiry", "created", "label"})


def _walk_unmasked(expr: ir.Expr, vocab: LoggedCredential | None = None) -> Iterator[ir.Expr]:
    """Sub-expressions whose value reaches the log as is (not through len(), slices, comparisons,
    a method that returns something else than the object, or an attribute that is a fact about it)."""
    vocab = vocab or vocabulary().logged
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Call):
            func = ir.dotted_name(node.func) or ""
            if func.rsplit(".", 1)[-1] in _SAFE_CALLS:
                continue
            if isinstance(node.func, ir.Attr):
                yield node
                if node.func.attr in vocab.same_value_methods:  # `token.strip()` is still the token
                    stack.append(node.func.value)
                # `token.get_serial()`: what the method returns, not the token
                stack.extend(node.args)
                stack.extend(kw.value for kw in node.kwargs)
                continue
        if isinstance(node, (ir.Compare, ir.Unary, ir.Lambda)):
            continue
        if isinstance(node, ir.IfExp):  # `token[:8] if token else "-"`: the test is not logged
            stack.extend((node.body, node.orelse))
            continue
        if isinstance(node, ir.Subscript) and not isinstance(node.index, ir.Const):
            yield node
            continue  # token[:6] is a masked prefix
        if isinstance(node, ir.Subscript) and isinstance(node.index.value, str) \
                and node.index.value.lower() not in vocab.value_attributes:
            yield node
            continue  # `client["user_id"]`: one field of the record (judged by its key), not the record
        if isinstance(node, ir.Attr) and (node.attr in _RECORD_METADATA or node.attr.endswith(("_id", "_at"))):
            yield node
            continue  # `license_key.id`, `token.created_at`: facts about the secret, not the secret
        if isinstance(node, ir.Attr) and not is_secret_name(node.attr) \
                and node.attr.lower() not in vocab.value_attributes:
            yield node
            continue  # `token.serial`, `token.owner`: a field of the object, not the object
        yield node
        stack.extend(ir.child_exprs(node))


def _sensitive_name(node: ir.Expr, vocab: LoggedCredential | None = None) -> str | None:
    if not isinstance(node, (ir.Name, ir.Attr, ir.Subscript, ir.Call)):
        return None
    name = expr_name(node)
    if name is None:
        return None
    if name.lower() in _HEADERS and not isinstance(node, ir.Name):
        return f"{name} header"
    if isinstance(node, ir.Call) and not is_secret_name(name):
        return None
    parts = words(name)
    vocab = vocab or vocabulary().logged
    if set(parts) & vocab.location_words:
        return None  # `path_mounts_credentials`, `secrets_dir`: where it is kept, not what
    if parts[-1:] == ["token"] and set(parts[:-1]) & vocab.cursor_words:
        return None  # `next_page_token`: a position in a result set, not a credential
    if isinstance(node, ir.Attr) and parts[-1:] == ["token"] and len(parts) == 1 and not auth_owner(node):
        return None  # `checkout.token`, `transaction.token`: public identifiers in many schemas
    return name if _sensitive_key(name) else None


# the last word of a name that holds card, bank-account or national-id data (PCI DSS, GDPR): what a log
# must not carry besides credentials
_PERSONAL_LAST = frozenset({"cvv", "cvc", "ssn", "cardnumber", "creditcard", "iban"})


def _sensitive_key(name: str) -> bool:
    """A credential (`password`, `api_key`), or card, bank-account or national-id data (`card_number`,
    `cvv`, `ssn`, `iban`)."""
    parts = words(name)
    if is_secret_name(name) or (parts and parts[-1] in _PERSONAL_LAST):
        return True
    return "card" in parts and parts[-1] in ("number", "num", "no")


def _fix_code(line: str, name: str) -> str:
    simple = name.split(" ", 1)[0]
    cleaned = re.sub(rf",\s*[\w.]*\b{re.escape(simple)}\b\s*(?=[,)])", "", line)
    return cleaned if cleaned != line else f"logger.info(\"...\", user.id)  # not {simple}"


RULE = Rule("py-sensitive-data-logged", frozenset({"sensitive-data-logged"}), "python", check, requires=("log", "print"))
