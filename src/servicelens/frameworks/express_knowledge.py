"""The Express middleware knowledge file (models/express/middleware.yaml), read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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

    def guard_evidence(self, name: str) -> str:
        return dict(self.guards).get(name, "")

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
    )
