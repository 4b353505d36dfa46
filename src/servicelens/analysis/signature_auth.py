"""Routes open to anyone by their permission classes that authenticate the caller by a signature.

A REST framework view with `AllowAny` (or the framework's default) whose writes are accepted only
with the owner's signature over the payload authenticates every caller: in its handler's own body,
or in the serializer the handler validates (`serializer_class`, or a class its
`get_serializer_class()` returns), the signature is verified and the request refused otherwise
(analysis/signature_checks.py). Such a route's auth is `required`, with that evidence. A handler
that never runs the serializer's validation (a `DestroyAPIView`'s inherited `delete`) is not
protected by what the serializer checks.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.route import RouteFact

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# what a generic view's inherited handler for these methods runs: the serializer's validation
_VALIDATING_METHODS = frozenset({"POST", "PUT", "PATCH"})


def with_signature_auth(facts: Sequence[FileFacts]) -> list[FileFacts]:
    verifying = {key for fact in facts for key in fact.signatures.classes}
    handlers = {f"{fact.module_name}.{name}" for fact in facts for name in fact.signatures.handlers}
    if not verifying and not handlers:
        return list(facts)
    hierarchy = ClassHierarchy.of({key: value for fact in facts for key, value in fact.class_bases}, verifying)
    refs: dict[str, tuple[str, ...]] = {key: names for fact in facts for key, names in fact.framework.class_refs}
    for fact in facts:
        for qualname, names in fact.framework.function_refs:
            if qualname.endswith(".get_serializer_class"):
                key = f"{fact.module_name}.{qualname.rsplit('.', 1)[0]}"
                refs[key] = refs.get(key, ()) + names

    def serializer_check(view: str, built: tuple[str, ...]) -> str | None:
        """The first class the handler builds, or the view (or a base of it) names, that verifies a
        signature when validated."""
        named = [*built, *(name for cls, _ in hierarchy.ancestors(view) for name in refs.get(cls, ()))]
        return next((key for name in named for key, _ in hierarchy.ancestors(name) if key in verifying), None)

    out = []
    for fact in facts:
        defined = {span.qualname for span in fact.spans}
        routes = []
        for route in fact.routes:
            evidence = _evidence(fact, route, defined, handlers, serializer_check) \
                if route.framework == "django" and route.auth == "none" and _WRITES & set(route.methods) \
                and "." in route.qualname else None
            routes.append(replace(route, auth="required", auth_evidence=evidence) if evidence else route)
        out.append(replace(fact, routes=tuple(routes)) if tuple(routes) != fact.routes else fact)
    return out


def _evidence(fact: FileFacts, route: RouteFact, defined: set[str], handlers: set[str],
              serializer_check: Callable[[str, tuple[str, ...]], str | None]) -> str | None:
    if f"{fact.module_name}.{route.qualname}" in handlers:
        return f"`{route.qualname}` verifies a signature over the request and refuses it otherwise"
    runs = route.qualname in fact.signatures.validating if route.qualname in defined \
        else bool(_VALIDATING_METHODS & set(route.methods))
    if not runs:
        return None
    built = dict(fact.signatures.built).get(route.qualname, ())
    found = serializer_check(f"{fact.module_name}.{route.qualname.rsplit('.', 1)[0]}", built)
    return f"`{found.rsplit('.', 1)[-1]}` verifies a signature over the payload when validated" if found else None
