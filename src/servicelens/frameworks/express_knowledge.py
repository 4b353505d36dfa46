"""The Express middleware knowledge file (models/express/middleware.yaml), read once."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class MiddlewareKnowledge:
    guards: tuple[tuple[str, str], ...]  # (project-wide name, evidence)
    open: frozenset[str]
    rate_limiters: frozenset[str]
    credential_attributes: frozenset[str]  # lower-cased
    credential_headers: frozenset[str]  # lower-cased
    caller_attributes: frozenset[str]  # lower-cased
    verifier_calls: frozenset[str]
    # guard -> the strategies that, named in its call, let every request through
    passing_strategies: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))

    def guard_evidence(self, name: str) -> str:
        return dict(self.guards).get(name, "")

    def passes_everyone(self, name: str, strategies: tuple[str, ...]) -> bool:
        """`passport.authenticate(['session', 'jwt'])`: a strategy named there passes a request
        without a credential on, so the guard refuses nobody."""
        return bool(set(strategies) & self.passing_strategies.get(name, frozenset()))

    def checks_nobody(self, name: str) -> bool:
        """Library middleware that never refuses a caller for who they are."""
        return name in self.open or name in self.rate_limiters


@lru_cache(maxsize=1)
def middleware_knowledge() -> MiddlewareKnowledge:
    text = resources.files("servicelens.models").joinpath("express/middleware.yaml").read_text("utf-8")
    data = packaged_yaml(text)
    return MiddlewareKnowledge(
        guards=tuple((str(k), str(v)) for k, v in (data.get("guards") or {}).items()),
        open=frozenset(data.get("open") or ()),
        rate_limiters=frozenset(data.get("rate_limiters") or ()),
        credential_attributes=frozenset(str(a).lower() for a in data.get("credential_attributes") or ()),
        credential_headers=frozenset(str(h).lower() for h in data.get("credential_headers") or ()),
        caller_attributes=frozenset(str(a).lower() for a in data.get("caller_attributes") or ()),
        verifier_calls=frozenset(data.get("verifier_calls") or ()),
        passing_strategies=MappingProxyType({str(k): frozenset(str(s) for s in v)
                                             for k, v in (data.get("passing_strategies") or {}).items()}),
    )
