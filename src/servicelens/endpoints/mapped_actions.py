"""Viewset methods a URLconf binds by an explicit action map, and only those.

    adapter_info = AdapterViewSet.as_view({"get": "adapter_info"})     # urls.py
    urlpatterns = [path("adapter/info/<uuid:pk>/", adapter_info)]

A REST framework router serves every action a viewset has; `as_view({...})` serves exactly the
methods its map names, with the map's verbs, at that pattern. So a mapped method is an endpoint
even when nothing else marks it (no `@action`: the map is what routes it), and a viewset every
URLconf binds through maps answers no action the maps leave out (its inherited `retrieve` is
not served at `<pk>/` the way a router would serve it).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.django_urls import mapped_actions

_VIEWSET_ACTIONS = frozenset({"list", "create", "retrieve", "update", "partial_update", "destroy"})
_UNDECIDED = ("unknown", "no decorator; depends on middleware or DRF defaults")


def with_mapped_actions(facts: Sequence[FileFacts]) -> list[FileFacts]:
    patterns = {fact.module_name: fact.url_patterns for fact in facts if fact.url_patterns}
    if not patterns:
        return list(facts)
    verbs, only = mapped_actions(patterns)
    if not verbs:
        return list(facts)
    by_tail: dict[str, list[str]] = {}
    for key in verbs:
        by_tail.setdefault(".".join(key.rsplit(".", 2)[-2:]), []).append(key)
    only_tails: dict[str, list[str]] = {}
    for key in only:
        only_tails.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    out = []
    for fact in facts:
        routes = _kept(fact, only, only_tails) + _added(fact, verbs, by_tail)
        out.append(replace(fact, routes=tuple(routes)) if tuple(routes) != fact.routes else fact)
    return out


def _kept(fact: FileFacts, only: Mapping[str, frozenset[str]],
          only_tails: Mapping[str, list[str]]) -> list[RouteFact]:
    """The routes of the file, less the actions a map-bound viewset leaves out."""
    kept = []
    for route in fact.routes:
        owner, _, action = route.qualname.rpartition(".")
        bound = _match(f"{fact.module_name}.{owner}", only_tails.get(owner.rsplit(".", 1)[-1], ())) \
            if owner and route.framework == "django" else ""
        if bound and (action in _VIEWSET_ACTIONS or route.path_suffix) and action not in only[bound]:
            continue
        kept.append(route)
    return kept


def _added(fact: FileFacts, verbs: Mapping[str, tuple[str, ...]], by_tail: Mapping[str, list[str]]) -> list[RouteFact]:
    """A route for each mapped method of this file that no per-file rule made one: its verbs
    from the map, its auth from the viewset's other routes (the class's permission classes)."""
    have = {route.qualname for route in fact.routes}
    added = []
    for span in fact.spans:
        if span.qualname in have or "." not in span.qualname:
            continue
        key = _match(f"{fact.module_name}.{span.qualname}", by_tail.get(".".join(span.qualname.rsplit(".", 2)[-2:]), ()))
        if not key:
            continue
        owner = span.qualname.rsplit(".", 1)[0]
        sibling = next((r for r in fact.routes if r.qualname.rsplit(".", 1)[0] == owner), None)
        auth, evidence = (sibling.auth, sibling.auth_evidence) if sibling is not None else _UNDECIDED
        added.append(RouteFact(span.qualname, "django", verbs[key], "", span.line, auth, evidence))
    return added


def _match(key: str, candidates: Sequence[str]) -> str:
    """The one candidate naming `key`: module names come from paths (`acts.views`), imports may
    add the package (`shop.acts.views`)."""
    found = [c for c in candidates if c and (c == key or c.endswith("." + key) or key.endswith("." + c))]
    return found[0] if len(found) == 1 else ""
