"""Accounts created with a password written in the code: the default credential every install shares.

`create_superuser("admin", "admin@example.com", "admin")`, `UserCreate(email=..., password="admin",
is_superuser=True)` at first start: whoever reads the source, or tries the usual defaults, logs in
as that account until someone changes its password. Unlike a leaked key, a short word-like literal
is the worst case, so there is no entropy bar: any non-empty text written in the code counts, given
directly or through a local only ever assigned such text. The call must create an account (its name
says it creates or adds one, or it constructs a class) and say whose (an identity keyword such as
`email=` or `is_superuser=`, or a callee named for a user or an administrator).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.rules.python._common import const_str, words

_PASSWORD_WORDS = frozenset({"password", "passwd", "pwd"})
_CREATE_WORDS = frozenset({"create", "add", "register", "new", "signup", "invite", "make", "insert", "bootstrap"})
_ACCOUNT_WORDS = frozenset({"user", "users", "admin", "superuser", "account", "member", "operator", "owner"})
_IDENTITY_KEYWORDS = frozenset({"email", "username", "user_name", "login", "is_superuser", "is_admin", "is_staff"})
# Django's managers take the password third by position: `create_user(username, email, password)`
_POSITIONAL_PASSWORD = {"create_user": 2, "create_superuser": 2}


@dataclass(frozen=True, slots=True)
class DefaultCredential:
    """Where the password text is written, and the argument that carries it into the account."""

    line: int
    argument: str
    text: str


def default_credentials(call: ir.Call, function: ir.Function | None) -> Iterator[DefaultCredential]:
    """The literal passwords `call` gives an account it creates (see the module docstring)."""
    callee = ir.last_name(call.func) or ""
    if not _creates_account(call, callee):
        return
    given = [(kw.name, kw.value) for kw in call.kwargs if kw.name and set(words(kw.name)) & _PASSWORD_WORDS]
    position = _POSITIONAL_PASSWORD.get(callee)
    if position is not None and len(call.args) > position:
        given.append(("password", call.args[position]))
    for argument, value in given:
        written = _written_text(value, function)
        if written is not None:
            yield DefaultCredential(written[0], argument, written[1])


def _creates_account(call: ir.Call, callee: str) -> bool:
    parts = set(words(callee))
    creates = bool(parts & _CREATE_WORDS) or callee[:1].isupper()
    whose = bool(parts & _ACCOUNT_WORDS) or any(kw.name in _IDENTITY_KEYWORDS for kw in call.kwargs)
    return creates and whose


def _written_text(value: ir.Expr, function: ir.Function | None) -> tuple[int, str] | None:
    """(line, text) of a non-empty literal, or of the first assignment of a local every assignment of
    which is one (a parameter is its caller's value, never written here)."""
    text = const_str(value)
    if text is not None:
        return (value.line, text) if text.strip() else None
    if not isinstance(value, ir.Name) or function is None or value.id in {p.name for p in function.params}:
        return None
    assigned = [stmt for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign)
                and any(isinstance(t, ir.Name) and t.id == value.id for t in stmt.targets)]
    if not assigned or any(len(stmt.targets) != 1 or not (const_str(stmt.value) or "").strip() for stmt in assigned):
        return None
    return assigned[0].line, str(const_str(assigned[0].value))
