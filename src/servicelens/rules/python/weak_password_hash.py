"""Weak password hash: passwords stored in plain text, or hashed with a fast or unsalted hash.

## What it finds
- a password passed to a general-purpose hash (`hashlib.md5/sha1/sha256/sha512/blake2b/new`),
  salted or not: `hashlib.sha256((salt + password).encode()).hexdigest()`;
- `hashlib.pbkdf2_hmac(..., iterations)` with a literal iteration count below 100,000;
- Django `PASSWORD_HASHERS` whose first (active) entry is `MD5PasswordHasher`,
  `SHA1PasswordHasher`, `UnsaltedMD5PasswordHasher`, `UnsaltedSHA1PasswordHasher` or
  `CryptPasswordHasher`, in a settings module that is not dev/test-only;
- plain-text storage: `User.objects.create(..., password=raw)` (Django stores the raw string;
  use `create_user`), `user.password = form.cleaned_data["password"]`;
- plain-text checks: `user.password == request.form["password"]`, which only works if the
  stored value is the password itself.

## Why it matters
Password databases leak (SQL injection, backups, a stolen replica). A GPU computes billions
of MD5/SHA-256 hashes per second, so fast hashes fall to dictionary attacks within hours,
unsalted ones to precomputed tables instantly, and plain text needs no work at all. Users
reuse passwords, so the damage reaches their other accounts.

## Example
```python
user.password_hash = hashlib.sha256(password.encode()).hexdigest()
```
Use instead:
```python
user.password_hash = argon2.PasswordHasher().hash(password)
```

## Fix
Use a slow, salted password hash: argon2id (argon2-cffi), bcrypt or scrypt; in Django
`make_password` / `user.set_password` with the default PBKDF2 or Argon2 hasher; in Flask
`werkzeug.security.generate_password_hash`.

## Known problems
Passwords are recognised by name (`password`, `passwd`, `pwd`, `passphrase`, `passcode`, and for
hashing and storage a PIN: `pin`, `portal_pin`, `pin_code`); hashing a password held in
a variable called `value` is missed. SHA-1 for the Have I Been Pwned range API is skipped
when the function mentions pwned/breach. Test settings that use MD5 for speed are skipped.
A password assigned unchanged to a record whose class hashes it when saved (`admin.password = password`,
then `admin.commit()`, where a class of the project defines `commit` to replace `self.password` with a
salted hash of it) or when assigned (a property setter, a `synonym`/`property` naming a hashing method,
`@validates("password")`, a `before_insert`/`before_update` listener) is stored hashed: not reported.
The record's class is not known, so any class of the project that hashes that attribute so counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix
from servicelens.config.settings import Settings
from servicelens.rules.base import Rule, all_bodies, contribution
from servicelens.rules.python._common import (
    call_name, const_str, expr_name, is_dev_path, is_password_expr, is_settings_module, is_test_path, location,
    module_constants, words,
)
from servicelens.taint.scope import ModuleScope

_FAST = re.compile(r"^hashlib\.(md5|sha1|sha224|sha256|sha384|sha512|sha3_\d+|blake2[bs]|new)$")
_WEAK_HASHERS = re.compile(r"(Unsalted)?(MD5|SHA1|Crypt)PasswordHasher$")
_HASH_CALLS = re.compile(r"(?i)(make_password|hash|bcrypt|argon|scrypt|pbkdf2|encrypt|generate_password|crypt|"
                         r"set_password|digest|md5|sha\d*|blake2)")
_OWNERS = frozenset({"user", "account", "member", "customer", "admin", "profile", "row", "record", "u", "usr",
                     "existing", "stored", "db", "obj", "instance", "person", "employee", "login"})
_USER_MODELS = re.compile(r"(User|Account|Customer|Member|Profile|Person|Employee|Admin)\b|get_user_model\(\)")

Issue = tuple[ir.Call | ir.Stmt | ir.Expr, str, str, Confidence, str]


_PLAIN_STORE = "Probable plain-text password stored"


@dataclass(frozen=True, slots=True)
class PlainStore:
    """A password assigned unchanged to a record, and what the function calls on that record after."""

    finding: Finding
    attribute: str  # `password`
    saves: frozenset[str]  # method names called on the record afterwards (`commit`, `save`)


@dataclass(frozen=True, slots=True)
class PasswordFacts:
    stores: tuple[PlainStore, ...] = ()
    # (method, attribute): a method of a class here that replaces `self.<attribute>` with a hash of it;
    # ("", attribute): assigning the attribute hashes it (setter, validator, ORM listener)
    hashing_saves: frozenset[tuple[str, str]] = frozenset()


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    return (f for f in _once(module, scope) if f.title != _PLAIN_STORE)


def _once(module: ir.Module, scope: ModuleScope) -> tuple[Finding, ...]:
    """The file's findings, found once for `check` and `collect`."""
    return scope.memo("weak-password-hash", lambda: tuple(_findings(module, scope)))


def collect(module: ir.Module, scope: ModuleScope) -> PasswordFacts | None:
    stores = tuple(PlainStore(f, *_store_context(module, f.location.start_line))
                   for f in _once(module, scope) if f.title == _PLAIN_STORE)
    return contribution(PasswordFacts(stores, _hashing_saves(module)), PasswordFacts())


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """A plain-text store stands unless the record is then saved by a method that, in some class of
    the project, hashes that very attribute before it is written."""
    facts = [f for f in per_file.values() if isinstance(f, PasswordFacts)]
    hashing = frozenset().union(*(f.hashing_saves for f in facts))
    for fact in facts:
        for store in fact.stores:
            if ("", store.attribute) in hashing or any((method, store.attribute) in hashing for method in store.saves):
                continue
            yield store.finding


def _store_context(module: ir.Module, line: int) -> tuple[str, frozenset[str]]:
    """(the attribute written at `line`, the methods called on its record later in the same body)."""
    for function, body in all_bodies(module):
        statements = list(ir.walk_stmts(body))
        for index, stmt in enumerate(statements):
            if stmt.line != line or not isinstance(stmt, ir.Assign):
                continue
            target = next((t for t in stmt.targets if isinstance(t, ir.Attr)), None)
            owner = ir.dotted_name(target.value) if target is not None else None
            if target is None or owner is None:
                continue
            saves = frozenset(node.func.attr for later in statements[index + 1:] for expr in ir.stmt_exprs(later)
                              for node in ir.walk_expr(expr) if isinstance(node, ir.Call)
                              and isinstance(node.func, ir.Attr) and ir.dotted_name(node.func.value) == owner)
            return target.attr, saves
    return "", frozenset()


def _hashing_saves(module: ir.Module) -> frozenset[tuple[str, str]]:
    """How records of the classes here get a hashed password: (method, attribute) for a method that sets
    `self.<password attribute>` to a hash (`pass_hash = b64encode(hash_password_v3(salt, self.password))`;
    `self.password = "3$%s$%s" % (salt, pass_hash)`), stored hashed when that method runs; ("", attribute)
    when assigning the attribute hashes it (a property setter, a `synonym`/`property` naming a hashing
    method, SQLAlchemy `@validates("password")`, a `before_insert`/`before_update` listener)."""
    found: set[tuple[str, str]] = set()
    listeners = _listeners(module)
    listening: list[ir.Function] = []
    by_class: dict[str, set[str]] = {}
    for function in module.functions:
        written = _hashed_attributes(function)
        is_method = function.class_name is not None and bool(function.params) and function.params[0].name == "self"
        if is_method:
            own = {attr for owner, attr in written if owner == "self"}
            found.update((function.name, attr) for attr in own)
            if own or _returns_hashed(function):
                by_class.setdefault(function.class_name, set()).add(function.name)
        for decorator in function.decorators:
            name = ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
            if name == f"{function.name}.setter" and (written or _returns_hashed(function)):
                found.add(("", function.name))
            elif name.rsplit(".", 1)[-1] == "validates" and isinstance(decorator, ir.Call) and _returns_hashed(function):
                found.update(("", c) for a in decorator.args if (c := const_str(a)) and _is_password(ir.Name(0, 0, c)))
        if function.qualname in listeners:
            found.update(("", attr) for _, attr in written)
            listening.append(function)
    for function in listening:  # `target.hash_password()`: a method of the record that hashes it
        called = {node.func.attr for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
                  for node in ir.walk_expr(expr) if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr)}
        found.update(("", attr) for method, attr in list(found) if method in called)
    for cls in module.classes:
        hashing = by_class.get(cls.qualname, set())
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None and hashing and any(
                    isinstance(n, ir.Name) and n.id in hashing for n in ir.walk_expr(stmt.value)):
                found.update(("", t.id) for t in stmt.targets if isinstance(t, ir.Name) and _is_password(t))
    return frozenset(found)


_ORM_WRITE_EVENTS = frozenset({"before_insert", "before_update", "before_flush", "set"})


def _listeners(module: ir.Module) -> frozenset[str]:
    """Functions run before a record is written: `@event.listens_for(User, "before_insert")`, or handed
    to `listen(User, "before_update", hash_password)`."""
    found = {f.qualname for f in module.functions for d in f.decorators if isinstance(d, ir.Call)
             and ir.last_name(d.func) == "listens_for" and any(const_str(a) in _ORM_WRITE_EVENTS for a in d.args)}
    for stmt in ir.walk_stmts(module.body):
        call = stmt.value if isinstance(stmt, ir.ExprStmt) else None
        if isinstance(call, ir.Call) and ir.last_name(call.func) == "listen" and len(call.args) >= 3 \
                and const_str(call.args[1]) in _ORM_WRITE_EVENTS and isinstance(call.args[2], ir.Name):
            found.add(call.args[2].id)
    return frozenset(found)


def _hashed_locals(function: ir.Function) -> set[str]:
    return ir.names_assigned(function.body, _hashed_value)


def _hashed_value(expr: ir.Expr, hashed: set[str]) -> bool:
    return _hashed(expr) or any(isinstance(n, ir.Name) and n.id in hashed for n in ir.walk_expr(expr))


def _hashed_attributes(function: ir.Function) -> set[tuple[str, str]]:
    """(owner, attribute) of each password attribute the function sets to a hash."""
    hashed = _hashed_locals(function)
    return {(ir.dotted_name(t.value) or "", t.attr) for stmt in ir.walk_stmts(function.body)
            if isinstance(stmt, ir.Assign) and stmt.value is not None and _hashed_value(stmt.value, hashed)
            for t in stmt.targets if isinstance(t, ir.Attr) and _is_password(t)}


def _returns_hashed(function: ir.Function) -> bool:
    hashed = _hashed_locals(function)
    return any(isinstance(stmt, ir.Return) and stmt.value is not None and _hashed_value(stmt.value, hashed)
               for stmt in ir.walk_stmts(function.body))


def _findings(module: ir.Module, scope: ModuleScope) -> Iterator[Finding]:
    if is_test_path(module.path):
        return
    issues: list[Issue] = list(_hashers(module)) if is_settings_module(module) else []
    hashers = {c.name for c in module.classes
               if any((ir.dotted_name(b) or "").endswith("Hasher") for b in c.bases)}
    index = file_index(module, scope)
    for function, body in all_bodies(module):
        if function is not None and function.class_name in hashers:
            continue  # a custom Django hasher (legacy import format) is a deliberate, reviewed choice
        context = (function.name if function else "") + " " + (function.docstring or "" if function else "")
        if re.search(r"(?i)pwned|breach|hibp|k_?anon", context):
            continue
        hashed_names = frozenset(t.id for s in index.walk_stmts(body) if isinstance(s, ir.Assign)
                                 and s.value is not None and _hashed(s.value)
                                 for t in s.targets if isinstance(t, ir.Name))
        for call in index.block_of_kind(body, ir.Call):
            issues.extend(_call_issues(module, call, call_name(call, scope, function), hashed_names))
        for stmt in ir.walk_stmts(body):
            issues.extend(_stmt_issues(module, stmt))
    seen: set[int] = set()
    for node, title, why, confidence, code in issues:
        line = getattr(node, "line", 0)
        if line in seen:
            continue
        seen.add(line)
        yield make_finding("weak-password-hash", location(module, node), title, why, confidence=confidence,
                           fix=Fix(_FIX_TEXT, code, "python"), rule=RULE.id, key=title)


_FIX_TEXT = ("Hash passwords with a slow, salted algorithm: argon2id, bcrypt or scrypt (Django: make_password / "
             "set_password; Flask: werkzeug.security.generate_password_hash).")


def _call_issues(module: ir.Module, call: ir.Call, name: str, hashed_names: frozenset[str]) -> Iterator[Issue]:
    """`hashed_names`: variables assigned a hash in this body; a lookup by one of them repeats the
    fast-hash finding on the line that computed it."""
    match = _FAST.match(name)
    secret = next((n for a in call.args for n in ir.walk_expr(a) if _is_password(n)), None) if match else None
    if match and secret is not None:
        algorithm = match.group(1) if match.group(1) != "new" else (const_str(call.args[0]) or "hash")
        yield (call, f"Password hashed with {algorithm.upper()}, a fast hash",
               f"{algorithm.upper()} is built to be fast: a GPU tries billions of guesses per second, so leaked "
               "hashes of real passwords are cracked within hours (instantly without a salt).",
               Confidence.HIGH, "from werkzeug.security import generate_password_hash\n\n"
               f"password_hash = generate_password_hash({_source_name(secret)})  # scrypt/pbkdf2, salted")
    elif name == "hashlib.pbkdf2_hmac":
        iterations = call.arg(3, "iterations")
        if isinstance(iterations, ir.Const) and isinstance(iterations.value, int) and iterations.value < 100_000:
            yield (call, f"Probable weak password hash: PBKDF2 with only {iterations.value:,} iterations",
                   "OWASP recommends 600,000 PBKDF2-HMAC-SHA256 iterations; a low count makes each guess cheap "
                   "for an attacker holding the hashes.", Confidence.MEDIUM,
                   module.line_text(call.line).replace(str(iterations.value), "600_000"))
    elif isinstance(call.func, ir.Attr) and call.func.attr == "create" and ".objects" in module.line_text(call.line):
        raw = call.kwarg("password")
        if raw is not None and not _hashed(raw) and (_is_password(raw) or isinstance(raw, ir.Const)):
            user_model = bool(_USER_MODELS.search(module.line_text(call.line)))
            yield (call, "Password stored in plain text by objects.create(password=...)" if user_model else
                   "Probable plain-text password stored by objects.create(password=...)",
                   "Model.objects.create writes the password field as given: the raw password lands in the "
                   "database for anyone who reads a backup, a replica or an injection result.",
                   Confidence.HIGH if user_model else Confidence.MEDIUM,
                   module.line_text(call.line).replace(".objects.create(", ".objects.create_user(", 1))
    elif isinstance(call.func, ir.Attr) and call.func.attr in ("filter", "get", "filter_by", "exclude", "get_or_none"):
        raw = call.kwarg("password") or call.kwarg("passwd")
        if raw is not None and _is_password(raw) and not _hashed(raw) and \
                not (isinstance(raw, ir.Name) and raw.id in hashed_names):
            yield (call, "Password matched inside the database query (stored in plain text or unsalted)",
                   "Looking a user up by password only works when the stored value is the password itself or an "
                   "unsalted hash of it: one leak exposes every account.", Confidence.HIGH,
                   "user = User.objects.filter(username=username).first()\n"
                   "if user is None or not user.check_password(password):\n    ...")


def _stmt_issues(module: ir.Module, stmt: ir.Stmt) -> Iterator[Issue]:
    if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
        for target in stmt.targets:
            if not isinstance(target, ir.Attr):
                continue
            copied = isinstance(stmt.value, ir.Attr) and stmt.value.attr == target.attr  # `a.password = b.password`
            if target.attr in ("password", "passwd") and _owned(target) \
                    and not copied and not _hashed(stmt.value) and _is_raw_password(stmt.value):
                yield (stmt, _PLAIN_STORE,
                       "The password is assigned to the user record unchanged, so the database holds it in plain "
                       "text for anyone who reads a backup, a replica or an injection result.", Confidence.MEDIUM,
                       f"{ir.dotted_name(target.value) or 'user'}.set_password({_text(stmt.value)})  # Django\n"
                       f"# Flask: user.password_hash = generate_password_hash({_text(stmt.value)})")
    for top in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(top):
            if isinstance(node, ir.Compare) and node.ops in (("==",), ("!=",)):
                yield from _plain_compare(node)


def _plain_compare(node: ir.Compare) -> Iterator[Issue]:
    left, right = node.left, node.comparators[0]
    for stored, given in ((left, right), (right, left)):
        if _stored_password(stored) and _is_raw_password(given) and not _hashed(given):
            yield (node, "Password compared in plain text (stored unhashed)",
                   "Comparing the stored password with the submitted one only works if the database holds the "
                   "password itself: a single leak exposes every user's password.", Confidence.HIGH,
                   "from werkzeug.security import check_password_hash\n\n"
                   "if check_password_hash(user.password_hash, password):\n    ...")
            return


def _hashers(module: ir.Module) -> Iterator[Issue]:
    if is_dev_path(module.path):
        return
    stmt = module_constants(module).get("PASSWORD_HASHERS")
    if stmt is None or not isinstance(stmt.value, ir.Seq) or not stmt.value.elts:
        return
    first = const_str(stmt.value.elts[0]) or ""
    match = _WEAK_HASHERS.search(first)
    if match:
        yield (stmt.value.elts[0], f"Django stores new passwords with {first.rsplit('.', 1)[-1]}",
               "The first entry of PASSWORD_HASHERS hashes every new or changed password; MD5/SHA-1 hashers are "
               "fast (and the unsalted ones fall to precomputed tables), so leaked hashes are cracked quickly.",
               Confidence.HIGH, 'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.Argon2PasswordHasher",\n'
               '    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n]')


def _is_password(node: ir.Expr) -> bool:
    return is_password_expr(node) or _is_pin(node)


def _source_name(node: ir.Expr) -> str:
    """How the code spells the hashed secret (`portal_pin`, `data["pin_code"]`), for the fix."""
    if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and ir.dotted_name(node.value):
        return f'{ir.dotted_name(node.value)}["{node.index.value}"]'
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and ir.dotted_name(node.func.value):
        return ir.dotted_name(node.func.value) or "password"  # `password.encode()`
    return ir.dotted_name(node) or "password"


def _is_pin(node: ir.Expr) -> bool:
    """A PIN is a password too (`pin`, `portal_pin`, `pin_code`), and a short one: a fast hash of a
    4-8 digit space is reversed by trying every value. Asked only of what reaches a hash call or a
    stored credential, where a map marker or a GPIO pin does not go."""
    name = expr_name(node) if isinstance(node, (ir.Name, ir.Attr, ir.Subscript, ir.Call)) else None
    parts = words(name or "")
    return bool(parts) and (parts[-1] in ("pin", "pincode") or parts[-2:] == ["pin", "code"]) \
        and not ({"reset", "hash", "hashed", "confirm", "map", "gpio"} & set(parts))


def _is_raw_password(expr: ir.Expr) -> bool:
    """A submitted password: a password-named variable or a read of a request/form field."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    return _is_password(expr)


def _stored_password(expr: ir.Expr) -> bool:
    """`user.password`, `row["password"]`: a password read from a stored record."""
    owner = expr.value if isinstance(expr, (ir.Attr, ir.Subscript)) else None
    return owner is not None and _is_password(expr) and _owned(expr)


def _owned(expr: ir.Attr | ir.Subscript | ir.Expr) -> bool:
    owner = ir.dotted_name(expr.value) if isinstance(expr, (ir.Attr, ir.Subscript)) else None
    parts = words(owner.rsplit(".", 1)[-1]) if owner else []
    return bool(parts) and bool(_OWNERS & set(parts)) and "form" not in parts and "request" not in parts


def _hashed(expr: ir.Expr) -> bool:
    if isinstance(expr, ir.Const):
        return False
    return any(isinstance(n, ir.Call) and _HASH_CALLS.search(
        ir.dotted_name(n.func) or (n.func.attr if isinstance(n.func, ir.Attr) else "")) for n in ir.walk_expr(expr))


def _text(expr: ir.Expr) -> str:
    return ir.dotted_name(expr) or expr_name(expr) or "password"


RULE = Rule("py-weak-password-hash", frozenset({"weak-password-hash"}), "python", check, collect=collect,
            combine=combine, requires=("passw", "hasher", "pwd"))
