"""Acts the text says are not wanted, so that no operation offers them.

A verb next to its object is not always an operation: "we don't need to export bookings",
"no need to refund orders in v1", "exporting invoices is out of scope", "an approved expense
can't be edited afterwards", "a payslip can never be deleted". Each such clause names an act
(verb, object) the contract must not contain, whatever part of design mode proposed it (the
text's own verbs, a lifecycle step, a derived cancel, a generic edit or delete).

An act that is only bounded ("a seat is never sold twice", "can't be cancelled within 24 hours",
"never edited after approval") is still an operation with a rule, not a missing one: a
negation followed by such a bound is not read.
"""
from __future__ import annotations

import re
from typing import Any

from servicelens.design.identifiers import entity_names
from servicelens.design.verb_phrases import lemma

_SCOPE = (r"(?:(?:do|does|did|will|would|should|shall)\s*(?:n't|not)|won't|shan't)\s+(?:\w+\s+)?(?:need|have|want)\s+to"
          r"|no\s+need\s+to|(?:is|are)\s+not\s+(?:needed|required)\s+to|not\s+required\s+to")
_STEADY = r"(?:can't|cannot|can\s+not|must\s+not|mustn't|may\s+not|will\s+not|won't|shall\s+not|should\s+not|never)"
_CHANGE = r"(?:edit|edited|change|changed|modify|modified|alter|altered|update|updated|delete|deleted|remove|removed|amend|amended)"
_WANTED_NOT = re.compile(rf"\b(?:{_SCOPE})\s+(?P<verb>[a-z]+)\s+(?P<obj>(?:[a-z\-]+\s+){{0,3}}[a-z\-]+)", re.I)
# "exporting invoices is out of scope", "refunds of orders are not needed"
_OUT_OF_SCOPE = re.compile(r"\b(?P<verb>[a-z]+ing)\s+(?P<obj>(?:[a-z\-]+\s+){0,2}?[a-z\-]+)\s+(?:is|are)\s+"
                           r"(?:out\s+of\s+scope|not\s+(?:needed|required|in\s+scope|part\s+of)|unnecessary)\b", re.I)
# "an approved expense can't be edited afterwards", "payslips can never be deleted"
_IMMUTABLE = re.compile(rf"\b(?P<obj>[a-z\-]+)\s+(?:{_STEADY}\s+(?:ever\s+)?be|(?:is|are)\s+never)\s+(?P<verb>{_CHANGE})\b"
                        rf"(?P<rest>[^.;:]*)", re.I)
# A bound after the act makes it a rule about the act, not its absence.
_BOUND = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:twice|again|more\s+than|after|within|before|until|unless|without|except|"
                    r"once\s+\w+|by\s+anyone\s+but|by\s+anyone\s+other|other\s+than|outside|during|while|if)\b", re.I)
_NOT_OBJECTS = frozenset("a an the any their its our your his her this that these those it them all every each".split())
# Where an object's noun phrase ends.
_PHRASE_END = frozenset("to in into for from on at with by via as than until before after when if or and but".split())
_EDIT_VERBS = {"edit": "update", "change": "update", "modify": "update", "alter": "update", "update": "update",
               "amend": "update", "delete": "delete", "remove": "delete"}


def negated_acts(text: str) -> frozenset[tuple[str, str]]:
    """(verb, singular object) pairs the text says are not wanted; the verb is in its base form,
    an edit or delete of an immutable thing also under its generic names (update, delete)."""
    out: set[tuple[str, str]] = set()
    for m in list(_WANTED_NOT.finditer(text)) + list(_OUT_OF_SCOPE.finditer(text)):
        verb = lemma(m.group("verb"))
        for word in m.group("obj").lower().split():
            if word in _PHRASE_END or not word.isalpha():
                break
            if word not in _NOT_OBJECTS and word != "of":
                out.add((verb, entity_names(word)[0]))
    for m in _IMMUTABLE.finditer(text):
        if _BOUND.match(m.group("rest")):
            continue
        verb = lemma(m.group("verb").lower())
        verb = {"edite": "edit", "modifie": "modify", "update": "update"}.get(verb, verb)
        thing = entity_names(m.group("obj").lower())[0]
        out.add((verb, thing))
        if verb in _EDIT_VERBS:
            out.add((_EDIT_VERBS[verb], thing))
    return frozenset(out)


def without_negated(ops: list[dict[str, Any]], text: str, any_object: bool = False) -> list[dict[str, Any]]:
    """`ops` without those the text says are not wanted (op ids are verb_thing, the thing singular
    or plural). `any_object`: the operations were bound to the design's main thing by a building
    block ("export_courts" for "we don't need to export bookings"), so the verb alone decides."""
    negated = negated_acts(text)
    if not negated:
        return ops

    def unwanted(op_id: str) -> bool:
        for verb, thing in negated:
            if not op_id.startswith(verb + "_"):
                continue
            if any_object or entity_names(op_id[len(verb) + 1:])[0] == thing:
                return True
        return False
    return [op for op in ops if not unwanted(op["id"])]
