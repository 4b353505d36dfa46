"""Library knowledge the timing-unsafe-comparison rule reads (models/vocabulary/secret_checks.yaml).

Not a rule (it defines no RULE): where the caller's own session lives, what reads a declared
secret's value and which calls check a secret a safe way, kept as data.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

from servicelens.rules.python._purpose import checked_vocabulary


@dataclass(frozen=True, slots=True)
class SecretChecks:
    caller_session_modules: tuple[str, ...]  # module prefixes whose `session` is the caller's own
    secret_accessors: frozenset[str]  # methods reading a secret holder's value
    signed_checks: frozenset[str]  # last names of calls that check a secret another way


@lru_cache(maxsize=1)
def secret_checks() -> SecretChecks:
    """The vocabulary, parsed and checked once per process (package data, never user input)."""
    data = checked_vocabulary("secret_checks.yaml", frozenset(field.name for field in fields(SecretChecks)))
    return SecretChecks(tuple(data["caller_session_modules"]), frozenset(data["secret_accessors"]),
                        frozenset(data["signed_checks"]))
