"""What libraries do at a sign-in (models/vocabulary/credential_endpoints.yaml).

Not a rule (it defines no RULE). py-rate-limit asks which library views check a credential the
caller sends, which calls check one and which send mail: library knowledge, kept as data so that
teaching the rule a new library is a line of YAML.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

from servicelens.rules.python._purpose import checked_vocabulary


@dataclass(frozen=True, slots=True)
class CredentialEndpoints:
    login_view_bases: frozenset[str]  # a library login view's class name, as a base's last name
    credential_calls: frozenset[str]  # lower-cased last names of calls that check a credential
    mail_calls: frozenset[str]  # lower-cased last names of calls that send mail or a text
    mail_call_prefixes: tuple[str, ...]  # lower-cased prefixes of such names

    def checks_credential(self, name: str) -> bool:
        return name.lower() in self.credential_calls

    def sends_mail(self, name: str) -> bool:
        lower = name.lower()
        return lower in self.mail_calls or lower.startswith(self.mail_call_prefixes)


@lru_cache(maxsize=1)
def credential_endpoints() -> CredentialEndpoints:
    """The vocabulary, parsed and checked once per process (package data, never user input)."""
    data = checked_vocabulary("credential_endpoints.yaml",
                              frozenset(field.name for field in fields(CredentialEndpoints)))
    return CredentialEndpoints(frozenset(data["login_view_bases"]),
                               frozenset(name.lower() for name in data["credential_calls"]),
                               frozenset(name.lower() for name in data["mail_calls"]),
                               tuple(prefix.lower() for prefix in data["mail_call_prefixes"]))
