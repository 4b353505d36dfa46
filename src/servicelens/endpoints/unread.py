"""Whether everything that runs before a route's handler has been read.

A route is "none" (no check) only when every decorator and dependency it declares is decided:
a project function whose body is visibly open, or a library one whose name says nothing about
the caller. A library decorator whose name speaks of the caller (`@acl.needs_role(...)`,
`@requires_scope(...)`) cannot be read, and a project one that turns callers away (401/403, a
"forbidden" exception) after a test the review does not recognise cannot be ruled out: such a
route is "unknown", and rules that claim a missing check stay silent there (missing
authentication always; object-level authorization when the unread check may be about what the
caller may do, not only who they are). On code never seen before, most wrong "no check" claims
were exactly these unread idioms (session 6's fourth validation set).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Protocol

from servicelens.endpoints.route import RouteFact
from servicelens.rules.python._common import words
from servicelens.rules.python._purpose import vocabulary_file

# what an unread check may decide: who the caller is, or also what they may do
AUTHENTICATION, AUTHORIZATION = "authentication", "authorization"


class PrincipalLookup(Protocol):
    def find(self, name: str) -> object | None: ...
    def guard(self, name: str) -> str: ...
    def visibly_open(self, name: str) -> bool: ...
    def denies(self, name: str) -> bool: ...
    def origin_only(self, name: str) -> bool: ...
    def unresolved_delegates(self, name: str) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class CallerCheckWords:
    caller_words: frozenset[str]
    permission_words: frozenset[str]
    never_checks: frozenset[str]


@dataclass(frozen=True, slots=True)
class UnreadCheck:
    reason: str  # why the review cannot rule out a check, for the route's auth evidence
    kind: str  # AUTHENTICATION | AUTHORIZATION


@lru_cache(maxsize=1)
def caller_check_words() -> CallerCheckWords:
    data = vocabulary_file("caller_checks.yaml")
    return CallerCheckWords(frozenset(data["caller_words"]), frozenset(data["permission_words"]),
                            frozenset(data["never_checks"]))


def unread_check(ref: str, table: PrincipalLookup, known: frozenset[str] = frozenset()) -> UnreadCheck | None:
    """Why `ref` (a declared decorator or dependency) may check the caller in a way the review
    did not read, or None when it is decided: a guard the inventory already counted, a project
    function that can turn nobody away, a library name in `known` (decided by the models), or a
    library name that says nothing about the caller."""
    last = ref.rsplit(".", 1)[-1]
    vocabulary = caller_check_words()
    if not last or last in vocabulary.never_checks or ref in known or last in known:
        return None
    if table.find(ref) is not None:
        # a CORS check refuses by the request's Origin, which any caller sets: no check of the caller
        if table.guard(ref) or table.visibly_open(ref) or table.origin_only(ref):
            return None
        if table.denies(ref):
            return UnreadCheck(f"`{last}` is defined in this project and answers 401/403 after a check the review "
                               "does not recognise", AUTHORIZATION)
        hidden = next((d for d in table.unresolved_delegates(ref) if _kind(d, vocabulary)), "")
        if not hidden:
            return None
        return UnreadCheck(f"`{last}` relies on `{hidden.rsplit('.', 1)[-1]}`, which the review cannot read and "
                           "whose name says it may check the caller", _kind(hidden, vocabulary))
    kind = "" if last[:1].isupper() else _kind(ref, vocabulary)  # a library class is a parameter's type
    if not kind:
        return None
    return UnreadCheck(f"`{last}` comes from a library the review cannot read, and its name says it may check "
                       "the caller", kind)


def says_caller_check(name: str) -> bool:
    """The last part of a library name says it may check who calls or what they may do
    (`StaffRequiredMixin`, `LoginRequiredMiddleware`; not `RevisionMixin`, `LocaleMiddleware`)."""
    return bool(_kind(name, caller_check_words()))


def _kind(name: str, vocabulary: CallerCheckWords) -> str:
    last = name.rsplit(".", 1)[-1]
    if last in vocabulary.never_checks:
        return ""
    said = set(words(last))
    if not said.isdisjoint(vocabulary.permission_words):
        return AUTHORIZATION
    return AUTHENTICATION if not said.isdisjoint(vocabulary.caller_words) else ""


@dataclass(frozen=True, slots=True)
class NamedOnly:
    """A decorator whose name alone made routes "required": the review has neither its body nor a model of it."""

    ref: str  # its project-wide name (`baselayer.app.access.auth_or_token`)
    routes: int


def authenticated_by_name_only(modules: Iterable[str], routes: Iterable[RouteFact],
                               known: frozenset[str]) -> tuple[NamedOnly, ...]:
    """The decorators, defined in no module of the review (`modules`: the reviewed files' module
    names) and unknown to the models (`known`), that are the only reason routes count as requiring
    authentication (`RouteFact.auth_ref`, still the route's evidence): a submodule or a package
    installed another way. Their name is a guess the reader should be asked to confirm, most routes
    first."""
    reviewed = frozenset(modules)
    counts: Counter[str] = Counter()
    for route in routes:
        ref = route.auth_ref
        last = ref.rsplit(".", 1)[-1]
        if route.auth != "required" or "." not in ref or not route.auth_evidence.startswith(f"@{last}"):
            continue
        if ref in known or last in known or _in_review(ref, reviewed):
            continue
        counts[ref] += 1
    return tuple(NamedOnly(ref, n) for ref, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _in_review(ref: str, reviewed: frozenset[str]) -> bool:
    """`ref` is defined in, or on an object of, a reviewed module (`app.auth.login_required` in `app`)."""
    parts = ref.split(".")
    return any(".".join(parts[:i]) in reviewed for i in range(1, len(parts)))
