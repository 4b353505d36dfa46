"""Rules stated by what breaking them costs, read as the prohibition they mean.

Engineers often state a hard rule by its consequence rather than with a modal: "if two
dispatchers grab the same truck we lose the contract", "a missing invoice number is a tax
offence", "last month a room ended up in two calendars. That cannot happen again." Each of
these forbids the condition it names. `reading` turns such a clause into the plain
prohibition ("never two dispatchers grab the same truck"), which the rule readers then read by
its meaning like any other; the harm itself ("we lose the contract") is dropped, so its words
("lose") are not taken for the rule. The harm vocabulary is data (data/consequences.yaml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_DATA = Path(__file__).parent / "data" / "consequences.yaml"


@dataclass(frozen=True, slots=True)
class Consequences:
    """The compiled forms: a harm after a condition, a harm predicated of a thing, and a
    clause that forbids the one before it."""

    conditional: re.Pattern[str]
    predicated: re.Pattern[str]
    anaphoric: re.Pattern[str]


@lru_cache(maxsize=1)
def _forms() -> Consequences:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    harm = "(?:" + "|".join(data["harms"]) + ")"
    subjects = "(?:" + "|".join(data["harm_subjects"]) + ")"
    # "if <condition>, <harm>" / "if <condition> we lose ...": the harm within a few words of the split
    conditional = re.compile(
        rf"\b(?:if|when|whenever|once|should|in\s+case)\s+(?P<cond>[^;]{{5,200}}?)"
        rf"(?:\s*,\s*(?:then\s+)?(?:[\w']+\s+){{0,4}}?|\s+(?:then\s+)?{subjects}\s+(?:[\w']+\s+){{0,2}}?){harm}", re.I)
    # "<a missing number> is a tax offence", "<double booking> would be a disaster", "<x> costs us money"
    predicated = re.compile(
        rf"^(?:[\w\s'-]{{0,30}}:\s*)?(?P<cond>[^,;:]{{5,120}}?)\s+(?:is|are|was|were|would\s+be|will\s+be|means|meant|counts?\s+as|"
        rf"gets?\s+us|puts?\s+us|leads?\s+to|ends?\s+(?:up\s+)?in|results?\s+in|causes?)\s+(?:[\w']+\s+){{0,3}}?{harm}", re.I)
    anaphoric = re.compile("^(?:" + "|".join(data["forbids_previous"]) + r")\b", re.I)
    return Consequences(conditional, predicated, anaphoric)


_CONDITION = re.compile(r"\s*(?:if|when|whenever|should|in\s+case)\b", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the|any|one|some)\s+", re.I)


def reading(clause: str, following: str = "") -> str:
    """The prohibition a clause states by its consequence ("never <condition>"), or '' when it
    states none. `following` is the next clause: "That cannot happen again" forbids this one."""
    forms = _forms()
    m = forms.conditional.search(clause)
    if not m and following and _CONDITION.match(clause):
        # "If a confirmation gets dropped, | the customer never gets the goods": a clause
        # splitter may cut the harm off its condition
        m = forms.conditional.search(f"{clause}, {following}")
    if m:
        return f"never {_bare(m.group('cond'))}"
    m = forms.predicated.search(clause.strip())
    if m and not re.search(r"\b(?:if|when|whenever)\b", m.group("cond"), re.I):
        return f"no {_ARTICLE.sub('', _bare(m.group('cond')))}"
    if following and forms.anaphoric.search(following.strip()):
        return f"never {_bare(clause)}"
    return ""


def forbids_previous(clause: str) -> bool:
    """The clause only forbids what the one before it said ("That cannot happen again")."""
    return bool(_forms().anaphoric.search(clause.strip()))


def _bare(condition: str) -> str:
    """The condition without a leading greeting or label ("Hi team, quick one: ...")."""
    text = condition.rsplit(":", 1)[-1] if ":" in condition else condition
    return " ".join(text.split())
