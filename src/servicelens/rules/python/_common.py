"""Shared predicates for the Python security rules: what a name means, where a file lives,
what a settings module is, and small IR look-ups the rules would otherwise repeat.

Kept private (the leading underscore keeps rule discovery out of it) and pure: every
function takes IR or strings and returns a value; nothing here holds state.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re
from pathlib import PurePosixPath
from typing import Collection, Iterator

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.fixcode.routes import def_header
from servicelens.model.finding import Location
from servicelens.taint.scope import ModuleScope

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Words that make `<word>_key` a secret key rather than a dict key, cache key or setting name.
_KEY_QUALIFIERS = frozenset({
    "secret", "api", "access", "private", "signing", "sign", "encryption", "encrypt", "master",
    "auth", "hmac", "jwt", "crypt", "fernet", "client", "app", "webhook", "license", "service",
})
_SECRET_LAST = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey",
                          "pass"})
_NOT_SECRET_FIRST = frozenset({"csrf", "xsrf", "reset", "max", "min", "num", "is", "has", "use",
                               "no", "show", "confirm", "new", "old"})
# end-to-end suites (`e2e/`, `e2etests/`) hold test support too, even when the app imports a piece of
# it (a middleware settings add only for an e2e deployment): analysis/postprocess.py knows `e2e/` alike
_TEST_DIRS = frozenset({"tests", "test", "testing", "fixtures", "testdata", "test_data", "testutils",
                        "e2e", "e2etests", "e2e_tests", "unittests", "unit_tests", "integration_tests",
                        "functional_tests"})
_DEV_WORDS = re.compile(
    r"(?i)(^|[/_.\-])(tests?|testing|dev|devel|develop|development|local|ci|example|examples|"
    r"sample|samples|demo|debug|docker|e2e|dummy|template)(?=$|[/_.\-])")


def words(name: str) -> list[str]:
    """`awsSecretAccessKey` / `AWS_SECRET_ACCESS_KEY` -> ["aws", "secret", "access", "key"]."""
    return list(_name_words(name))  # a fresh list: callers may change theirs


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    """The rules ask this of the same few thousand names again and again (saleor: 200k asks per
    review): a regex scan and a lowered copy per word each time, against one look-up."""
    return tuple(w.lower() for w in _WORDS.findall(name))


def is_secret_name(name: str, *, strict: bool = False) -> bool:
    """Does this identifier hold a credential? Judged by its last word, so `PASSWORD_RESET_TIMEOUT`,
    `token_type` and `cache_key` are not secrets while `DB_PASSWORD` and `SECRET_KEY` are.
    `strict` drops words such as `csrf_token` / `new_password` whose values are secrets but whose
    literals are usually form field names, not credentials."""
    parts = words(name)
    if not parts:
        return False
    last = parts[-1]
    if strict and parts[0] in _NOT_SECRET_FIRST:
        return False
    if last in _SECRET_LAST:
        return not (last == "pass" and len(parts) == 1)
    if last == "key" and len(parts) > 1:
        return parts[-2] in _KEY_QUALIFIERS
    if last in ("credentials", "credential"):
        return True
    return "".join(parts[-2:]) in ("apikey", "secretkey", "accesskey", "privatekey", "authtoken")


@lru_cache(maxsize=4096)
def is_test_path(path: str) -> bool:
    """Test code legitimately holds fake secrets and insecure settings; never report it."""
    pure = PurePosixPath(path)
    if any(part.lower() in _TEST_DIRS for part in pure.parts[:-1]):
        return True
    name = pure.name.lower()
    return name.startswith("test_") or name.endswith(("_test.py", "_tests.py")) or name in (
        "conftest.py", "tests.py", "test.py")


def is_dev_path(path: str) -> bool:
    """Settings meant for a developer's machine, CI, docs or tests, judged by the path."""
    return is_test_path(path) or bool(_DEV_WORDS.search(path.rsplit(".", 1)[0]))


def is_settings_module(module: ir.Module) -> bool:
    """A Django settings module (or a plain-Python config of UPPERCASE constants). Some twenty
    rules ask it of every file: answered once per module (kept in `module.derived`)."""
    found = module.derived.get(_SETTINGS_KEY)
    if found is None:
        found = module.derived[_SETTINGS_KEY] = _is_settings_module(module)
    return found  # type: ignore[return-value]


_SETTINGS_KEY = "is-settings-module"
_CONSTANTS_KEY = "module-constants"


def _is_settings_module(module: ir.Module) -> bool:
    pure = PurePosixPath(module.path)
    if "settings" in pure.name.lower() or "settings" in (p.lower() for p in pure.parts[:-1]):
        return True
    names = set(module_constants(module))
    return bool(names & {"INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE", "DATABASES"})


def module_constants(module: ir.Module) -> dict[str, ir.Assign]:
    """Top-level `NAME = value` assignments (the last one wins, as at run time). Assignments
    nested in an `if` are left out: they depend on the environment, not on the file. Laid out
    once per module; each caller gets its own copy."""
    found = module.derived.get(_CONSTANTS_KEY)
    if found is None:
        found = module.derived[_CONSTANTS_KEY] = _module_constants(module)
    return dict(found)  # type: ignore[call-overload]


def _module_constants(module: ir.Module) -> dict[str, ir.Assign]:
    out: dict[str, ir.Assign] = {}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and stmt.op is None and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    out[target.id] = stmt
    return out


def target_name(target: ir.Expr) -> str | None:
    """The name an assignment writes: `X`, `obj.X`, `obj["X"]`."""
    if isinstance(target, ir.Name):
        return target.id
    if isinstance(target, ir.Attr):
        return target.attr
    if isinstance(target, ir.Subscript) and isinstance(target.index, ir.Const) \
            and isinstance(target.index.value, str):
        return target.index.value
    return None


def const_str(expr: ir.Expr | None) -> str | None:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None


def is_const(expr: ir.Expr | None, value: object) -> bool:
    return isinstance(expr, ir.Const) and type(expr.value) is type(value) and expr.value == value


def call_name(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> str:
    """The dotted name of the callee through imports (`jwt.decode`), or its raw spelling."""
    raw = ir.dotted_name(call.func) or ""
    return scope.qualify(raw, function, set()) or raw


def may_call(module: ir.Module, scope: ModuleScope, names: Collection[str]) -> frozenset[int]:
    """ids of the file's calls whose `call_name` can be one of `names`, taken from the index by
    callee name: `call_name` keeps the last name as spelled, except for a bare imported alias
    (`from flask_login import login_user as sign_in`), whose import names the target. A rule
    asks `call_name` of these calls only, not of every call of the file."""
    spelled = {name.rsplit(".", 1)[-1] for name in names}
    spelled.update(local for local, target in scope.imports.items() if target in names)
    index = file_index(module, scope)
    return frozenset(id(call) for name in spelled for call in index.calls_named(name))


def expr_name(expr: ir.Expr) -> str | None:
    """The most telling name of an operand: `token`, `obj.token` -> token, `d["token"]` -> token,
    `request.headers.get("X-Api-Key")` -> X-Api-Key."""
    if isinstance(expr, ir.Await):
        return expr_name(expr.value)
    if isinstance(expr, ir.Call):
        func = ir.dotted_name(expr.func) or ""
        if func.endswith((".get", ".getlist", ".pop")) and expr.args:
            return const_str(expr.args[0])
        return None
    return target_name(expr)


def is_password_expr(node: ir.Expr) -> bool:
    """A value named as a password (`password`, `form["new_password"]`, `data.get("pwd")`), not a
    reset token, a confirmation field or an existing hash."""
    name = expr_name(node) if isinstance(node, (ir.Name, ir.Attr, ir.Subscript, ir.Call)) else None
    parts = words(name or "")
    return bool(parts) and parts[-1] in ("password", "passwd", "pwd", "passphrase", "passcode") and \
        not ({"reset", "hash", "hashed", "confirm"} & set(parts))


_AUTH_OWNERS = frozenset({"auth", "user", "session", "oauth", "jwt", "credentials", "api", "access", "refresh",
                          "login", "account", "response", "resp", "result", "request", "reset", "token", "tokens",
                          "member", "customer", "client", "app", "settings", "config", "conf"})


def auth_owner(node: ir.Attr) -> bool:
    """Is `owner.token` an auth token? `user.token`/`settings.API_TOKEN` yes; `checkout.token` and
    `transaction.token` are public identifiers in many schemas (Saleor's are UUIDs)."""
    owner = ir.dotted_name(node.value) or ""
    return bool(set(words(owner)) & _AUTH_OWNERS)


def location(module: ir.Module, node: ir.Call | ir.Stmt | ir.Expr) -> Location:
    line = getattr(node, "line", 1)
    end = getattr(node, "end_line", 0) or line
    return Location(module.path, line, end)


def iter_stmts_with_function(module: ir.Module) -> Iterator[tuple[ir.Function | None, ir.Stmt]]:
    """Every statement of the module, class bodies and functions, with its function."""
    for stmt in ir.walk_stmts(module.body):
        yield None, stmt
    for cls in module.classes:
        for stmt in ir.walk_stmts(cls.body):
            yield None, stmt
    for function in module.functions:
        for stmt in ir.walk_stmts(function.body):
            yield function, stmt


def iter_exprs(stmt: ir.Stmt) -> Iterator[ir.Expr]:
    for top in ir.stmt_exprs(stmt):
        yield from ir.walk_expr(top)


def dev_class(module: ir.Module, line: int) -> bool:
    """Is `line` inside a class whose name marks it as dev/test configuration
    (`class DevelopmentConfig`, `class TestConfig`)?"""
    for cls in module.classes:
        if cls.line <= line <= cls.end_line and _DEV_WORDS.search("_" + "_".join(words(cls.name))):
            return True
    return False


@dataclass(frozen=True, slots=True)
class AppSite:
    """`app = Flask(__name__)`: where app-wide protection is installed."""

    path: str
    line: int
    name: str  # the variable holding the app
    code: str  # the creating line
    factory: str = ""  # the def line of the factory creating it, "" at module level


def flask_app_site(module: ir.Module, scope: ModuleScope) -> AppSite | None:
    """The first `<name> = Flask(...)` of the module, at module level or in a factory."""
    if not may_call(module, scope, ("flask.Flask",)):
        return None
    for function, body in [(None, module.body)] + [(f, f.body) for f in module.functions]:
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                    and call_name(stmt.value, scope, function) == "flask.Flask" \
                    and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name):
                factory = def_header(module.lines, function.line) if function is not None else ""
                return AppSite(module.path, stmt.line, stmt.targets[0].id, module.line_text(stmt.line), factory)
    return None
