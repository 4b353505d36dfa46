"""Which code of a module belongs to a sign-in flow whose step is an identity provider's (single
sign-on, OAuth, OIDC, SAML: knowledge `unguessed_sign_in_paths`): the whole module when its
directory or file name says so (`auth/sso/google.ts`, `GithubSSO.ts`), else the handlers of the
routes whose path does (`/auth/oauth/callback`), the functions written inside them, and the
module's own helpers only those call. A call made there waits on the provider for the one person
signing in, who cannot finish without it."""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.rules.javascript._node import express_routes, knowledge
from servicelens.rules.javascript._unwaited import helper_uses, only_used_where, outermost
from servicelens.taint.scope import ModuleScope

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def sign_in_module(path: str) -> bool:
    """A directory, or a word of the file's name, names a sign-in step (`sso/`, `OidcCallback.ts`)."""
    *folders, name = path.split("/")
    words = {w.lower() for w in _WORDS.findall(name.rsplit(".", 1)[0])}
    return bool(knowledge().unguessed_sign_in_paths & ({f.lower() for f in folders} | words))


def sign_in_code(module: ir.Module, scope: ModuleScope) -> frozenset[str]:
    """Qualnames of the handlers of the module's sign-in routes, and of its unexported helpers that
    only those (or other such helpers) call: a function written inside one belongs to it too
    (`in_sign_in`). Every function of a sign-in module, and its top level (""), belong."""
    if sign_in_module(module.path):
        return frozenset({""} | {f.qualname for f in module.functions})
    known = knowledge().unguessed_sign_in_paths
    found = {route.qualname for route in express_routes(scope)
             if known & {segment.lower() for segment in route.path.split("/")}}
    if not found:
        return frozenset()
    helpers = only_used_where(helper_uses(module), lambda function, call, kept: in_sign_in(function, found | kept))
    return frozenset(found | helpers)


def in_sign_in(function: ir.Function | None, code: frozenset[str] | set[str]) -> bool:
    """The function is one of `code`, or is written inside one."""
    if function is None:
        return "" in code
    name = function.qualname
    return name in code or outermost(function) in code or any(name.startswith(q + ".<locals>.") for q in code)
