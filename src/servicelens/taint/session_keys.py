"""Which session stores cross a trust boundary: those under a key naming who the caller is or what they may do.

The session is where the server keeps what it has established about the caller (CWE-501): who
signed in, with which role, which e-mail address was verified, which tenant was chosen after a
membership check, which price or discount applies. Code reads those keys back as settled facts,
so a request value stored under one lets the caller assert them. The caller's own preferences
and navigation are kept there too (a language, a time zone, a `next` URL, a filter,
breadcrumbs), but nothing is granted by them: the request could carry them every time. A key
holding a row's identifier (`vendor_id`) counts: read back, it loads that row as the one the
caller was let at. A key the code does not spell (`session[key]`) is not known to be harmless
and still counts. Words: models/vocabulary/caller_checks.yaml `caller_words`
(auth, login, role, admin, permission, tenant, verified, ...) and access.yaml `user_words`,
`privilege_words` and `user_privilege_fields` (user, account, member, groups, level, ...); the
principal's own keys (`id`, `uid`, `username`) by whole name; purpose.yaml's money names
(price, discount, amount, ...).
"""
from __future__ import annotations

from functools import lru_cache

from servicelens import ir
from servicelens.rules.python._common import words
from servicelens.rules.python._purpose import vocabulary_file

# keys that are the principal itself when they are the whole key
_PRINCIPAL_KEYS = frozenset({"id", "uid", "pk", "sub", "username", "userid", "login"})
# the last word of a key that holds a row's identifier (`vendor_id`, `selected_ids`): read back, it
# loads that row as the one this caller was let at (the signed-in vendor, the chosen tenant)
_ROW_KEYS = frozenset({"id", "ids", "pk", "uuid", "uid", "username"})


@lru_cache(maxsize=1)
def _trust_words() -> frozenset[str]:
    access = vocabulary_file("access.yaml")
    money = vocabulary_file("purpose.yaml")["money"]
    return frozenset(vocabulary_file("caller_checks.yaml")["caller_words"]).union(
        access["user_words"], access["privilege_words"], access["user_privilege_fields"],
        money["money_names"], money["ambiguous_names"])


def spelled_key(target: ir.Expr, key: object) -> str | None:
    """The key a session store writes, as the code spells it: the constant (`session["lang"]`),
    the attribute (`session.timezone`, `req.session.userId`), or the name of the constant it is
    held in (`session[AUTH_SESSION_KEY]`); None for a key computed at run time."""
    if isinstance(key, str):
        return key
    if isinstance(target, ir.Subscript):
        name = ir.dotted_name(target.index) or ""
        last = name.rsplit(".", 1)[-1]
        return last if last and last.upper() == last and any(c.isalpha() for c in last) else None
    if isinstance(target, ir.Attr):
        return target.attr
    return None


def trusted_key(target: ir.Expr, key: object) -> bool:
    """Does storing under this key record something about the caller that later code trusts?"""
    spelled = spelled_key(target, key)
    if spelled is None:
        return True
    parts = words(spelled)  # `auth_mfa_username`, `AUTH_SESSION_KEY`, `userId`
    if "".join(parts) in _PRINCIPAL_KEYS or (parts and parts[-1] in _ROW_KEYS):
        return True
    return bool(set(parts) & _trust_words())
