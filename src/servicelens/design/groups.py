"""People at once grouped into sessions of a stated size: the sessions at once and how many start.

"a peak of 180k concurrent ... Matches are 5v5 (10 players) and last ~25 minutes": an engineer
divides the people online by the group size (18,000 matches at once) and, by Little's law, the
groups at once by a group's length (12 matches start a second). The same holds for tables of 4
players, calls of 3 participants or rooms of 6 learners. The group size is read by grammar:

    "matches are 5v5 (10 players)", "rooms of 6 learners", "tables with up to 4 players"
    "10 players per match", "each call has 3 participants", "4-player tables"

and used only when the people it counts are the people the text says are online at once (the
concurrency phrase names them, or names nobody and the text counts them as its people). The
length is a duration said of the group ("matches last ~25 minutes", "an average call of 8 minutes").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.identifiers import singular
from servicelens.design.measures import DURATION_S, duration_unit
from servicelens.design.subjects import same_word
from servicelens.design.text import sentence_bounds

_N = r"(?:up\s+to\s+|about\s+|around\s+|~\s*)?(?P<k>\d+)"
_SIZE_FORMS = (
    # "matches are 5v5 (10 players)", "rooms of 6 learners", "tables with up to 4 players";
    # the group is plural (sessions that recur): "our food bank has 40 volunteers" is a population
    re.compile(r"\b(?P<group>[a-z][a-z\-]+[^s\W]s)\s+(?:are|have|hold|seat|take|of|with)\s+"
               r"(?:[a-z0-9]+\s+)?\(?\s*" + _N + r"\s+(?P<member>[a-z][a-z\-]+s)\b", re.I),
    # "10 players per match", "3 participants in each call"
    re.compile(_N + r"\s+(?P<member>[a-z][a-z\-]+s)\s+(?:per|in\s+each|in\s+every|for\s+each)\s+(?P<group>[a-z][a-z\-]+)\b", re.I),
    # "4-player tables"
    re.compile(r"\b(?P<k>\d+)-(?P<member>[a-z]+)\s+(?P<group>[a-z][a-z\-]+)\b", re.I),
)
_FUNCTION = frozenset("and or but then a an the and each every it they which that".split())
MAX_GROUP = 100
_NOT_GROUPS = frozenset("there they we these those which who it this that what up about around each every".split())
_NOT_MEMBERS = frozenset("seconds secs minutes mins hours hrs days weeks months years bytes times points percent".split())
_LENGTH = r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?)\b"
_LENGTH_FORMS = (
    # "matches ... last ~25 minutes", "a room lasts 50 minutes": said of the group named before it in the sentence
    re.compile(r"\b(?:last|lasts|take|takes|run|runs)\s+(?:on\s+average\s+)?(?:about\s+|around\s+|roughly\s+|~\s*)?" + _LENGTH, re.I),
    # "an average table is 20 minutes", "a typical call of 8 minutes"
    re.compile(r"\b(?:average|typical)\s+(?P<group>[a-z][a-z\-]+?)\s+(?:is\s+|of\s+|lasts\s+)?(?:about\s+|~\s*)?" + _LENGTH, re.I),
)


@dataclass(frozen=True, slots=True)
class Groups:
    """Sessions of `size` people: how many run at once and, with a stated length, start per second."""

    group: str  # singular as written ("match")
    member: str  # plural ("players")
    size: float
    at_once: float
    length_s: float  # 0 when no length is stated
    phrase: str
    length_phrase: str

    def groups(self) -> str:
        return self.group + ("es" if self.group.endswith(("ch", "sh", "s", "x")) else "s")

    def started_per_second(self) -> float:
        return self.at_once / self.length_s if self.length_s else 0.0


def _group_size(k: str) -> bool:
    """A team, table, room or call holds a handful to a hundred; "a 5,000-employee company" is a population."""
    return 2 <= float(k) <= MAX_GROUP


def size_spans(text: str) -> frozenset[int]:
    """Start offsets of the numbers that give a group's size ("(10 players)", "rooms of 6
    learners") and of the same count of the same people said again ("all 10 players"): a
    group's size, never the number of the system's users."""
    out, sizes = set(), set()
    for form in _SIZE_FORMS[:1]:  # "(10 players)" said of the group; "4 households per slot" is read as before
        for m in form.finditer(text):
            group, member = m.group("group").lower(), m.group("member").lower()
            if _group_size(m.group("k")) and not same_word(group, member) and group not in _NOT_GROUPS and member not in _NOT_MEMBERS:
                out.add(m.start("k"))
                sizes.add((m.group("k"), member))
    for k, member in sizes:
        out.update(m.start(1) for m in re.finditer(rf"\b(?:all|the|those|these)\s+({re.escape(k)})\s+{re.escape(member)}\b", text, re.I))
    return frozenset(out)


def _size(text: str) -> tuple[str, str, float, str] | None:
    for form in _SIZE_FORMS:
        for m in form.finditer(text):
            k = float(m.group("k"))
            group, member = singular(m.group("group").lower()), m.group("member").lower()
            if _group_size(m.group("k")) and not same_word(group, member) and group not in _NOT_GROUPS and member not in _NOT_MEMBERS:
                return group, member if member.endswith("s") else member + "s", k, " ".join(m.group(0).split())
    return None


def _length(text: str, group: str) -> tuple[float, str]:
    for form in _LENGTH_FORMS:
        for m in form.finditer(text):
            s0, _s1 = sentence_bounds(text, m.start())
            if "group" in form.groupindex:
                named, start = same_word(m.group("group"), group), m.start()
            else:  # the nearest noun before the verb in its sentence is the one that lasts
                before = [w for w in re.finditer(r"[a-z][a-z\-]+", text[s0:m.start()], re.I) if w.group(0).lower() not in _FUNCTION]
                if re.search(r"\band\s+$", text[s0:m.start()], re.I):
                    before = before[:1]  # "Matches are 5v5 (10 players) and last ...": the sentence's subject lasts
                named = bool(before) and same_word(before[-1].group(0), group)
                start = s0 + before[-1].start() if before else m.start()
            if named:
                return float(m.group("n")) * DURATION_S[duration_unit(m.group("u"))], " ".join(text[start:m.end()].split())
    return 0.0, ""


def groups_at_once(text: str, people_at_once: float, concurrency_phrase: str, people_nouns: list[str]) -> Groups | None:
    """The sessions `people_at_once` people form, when the text gives the size of one session and
    the people it counts are the ones online at once."""
    found = _size(text)
    if not found or people_at_once <= 0:
        return None
    group, member, k, phrase = found
    said = [w for w in re.findall(r"[a-z][a-z\-]+", concurrency_phrase.lower()) if w.endswith("s")]
    if said and not any(same_word(w, member) for w in said):
        return None  # the concurrency counts something else ("180k open sockets")
    if not said and not any(same_word(p, member) for p in people_nouns):
        return None
    length, length_phrase = _length(text, group)
    return Groups(group, member, k, people_at_once / k, length, phrase, length_phrase)
