"""Operations an entity's archetype implies although the text never writes their verbs.

"Patrons borrow books" means a loan is renewed and returned; "customers open disputes" means a
dispute is resolved and closed; "riders take trips" means a trip starts and ends. The steps of
each archetype are data (data/lifecycles.yaml); this module only decides which entity is of
which archetype, from what the text says about it: its head noun ("loan", "booking",
"dispute") or a verb the text does to it ("members borrow tools": a tool is lent out, so it
is returned and renewed). A step is offered only for an entity the text names and refers to
more than in passing (acted on, counted, or named twice), and never twice: an operation the
text already names keeps the text's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from servicelens.design.identifiers import plural, text_word

# How often an entity must be named, when nothing acts on it and no number counts it, to be
# more than a passing mention ("data stays in the EU" names no thing the design keeps).
_NAMED_AGAIN = 2


@dataclass(frozen=True, slots=True)
class Step:
    verb: str  # "renew", "add_member"
    kind: str  # transition | internal | read
    does: str  # what the step does, with {thing}/{things} placeholders


@dataclass(frozen=True, slots=True)
class Archetype:
    name: str
    nouns: frozenset[str]
    acts: frozenset[str]
    steps: tuple[Step, ...]
    on_thing: frozenset[str]  # the verbs of steps that also apply to a thing acted on ("return a tool")


def archetypes(data: dict[str, Any]) -> tuple[Archetype, ...]:
    """The catalogue's archetypes (data/lifecycles.yaml `archetypes`)."""
    out = []
    for name, spec in (data.get("archetypes") or {}).items():
        steps = tuple(Step(s[0], s[1], s[2]) for s in spec.get("steps", ()))
        on_thing = frozenset(s[0] for s in spec.get("steps", ()) if len(s) > 3 and s[3] == "on_thing")
        out.append(Archetype(name, frozenset(spec.get("nouns", ())), frozenset(spec.get("acts", ())), steps, on_thing))
    return tuple(out)


def archetype_of(entity: str, verbs_on_it: set[str], catalogue: tuple[Archetype, ...]) -> tuple[Archetype | None, bool]:
    """(archetype, by noun): the archetype the entity's head noun names, else the one a verb
    done to it implies (then only its `on_thing` steps apply); (None, False) when neither."""
    entity = text_word(entity)
    head = entity.split("_")[-1]
    for arch in catalogue:
        if entity in arch.nouns or head in arch.nouns:
            return arch, True
    for arch in catalogue:
        if verbs_on_it & arch.acts and arch.on_thing:
            return arch, False
    return None, False


def more_than_passing(entity: str, text: str, acted_on: set[str]) -> bool:
    """Whether the text keeps coming back to the entity: something is done to it, a number
    counts it, or it is named at least twice."""
    if entity in acted_on:
        return True
    word = text_word(entity)
    # a compound entity ("time_off_request") is spelt with spaces or hyphens in the text
    forms = "|".join(r"[ -]".join(re.escape(w) for w in form.split("_")) for form in (word, plural(word)))
    pattern = rf"\b(?:{forms})\b"
    if re.search(rf"\d[\d,.]*\s*(?:[kmb]\s+)?(?:[a-z\-]+\s+)?{pattern}", text, re.I):
        return True
    return len(re.findall(pattern, text, re.I)) >= _NAMED_AGAIN


def archetype_operations(names: tuple[str, ...], actions: tuple[str, ...], text: str,
                         tables: dict[str, dict[str, Any]], ops: list[dict[str, Any]],
                         catalogue: tuple[Archetype, ...]) -> list[dict[str, Any]]:
    """The archetype steps of the design's entities not already among `ops`."""
    from servicelens.design.synthesis import split_action
    verbs: dict[str, set[str]] = {}
    for action in actions:
        verb, singular = split_action(action, names)
        if singular:
            verbs.setdefault(singular, set()).add(verb)
    have = {op["id"] for op in ops}
    out: list[dict[str, Any]] = []
    for s in names:
        table = tables.get(s)
        if table is None or not more_than_passing(s, text, set(verbs)):
            continue
        arch, by_noun = archetype_of(s, verbs.get(s, set()), catalogue)
        if arch is None:
            continue
        things = table["name"]
        for step in arch.steps:
            if not by_noun and step.verb not in arch.on_thing:
                continue
            op = _step_op(step, s, things, arch.name)
            if op["id"] in have or _has_path(ops + out, op["path"]):
                continue
            have.add(op["id"])
            out.append(op)
            if step.kind == "internal" and ["status", "created_at"] not in table.setdefault("indexes", []):
                table["indexes"].append(["status", "created_at"])  # the job finds what is due by its state
    return out


def _step_op(step: Step, singular: str, table: str, archetype: str) -> dict[str, Any]:
    thing, things = singular.replace("_", " "), table.replace("_", " ")
    does = step.does.replace("{things}", things).replace("{thing}", thing)
    why = f"(derived: a {archetype.replace('_', ' ')} has this step; the text names the {thing} but not the step)"
    verb_words = step.verb.replace("_", " ")
    if step.kind == "internal":
        return {"id": f"{step.verb}_{table}", "method": "POST", "path": f"/v1/{table}/{step.verb}",
                "summary": f"{verb_words.capitalize()} {things}: {does} {why}", "kind": "write", "status": 200,
                "auth": True, "table": table, "skeleton": False,
                "queries": [{"table": table, "where": ["status"], "order": ["created_at"]}]}
    if step.kind == "read":
        return {"id": f"list_{singular}_{step.verb}", "method": "GET", "path": f"/v1/{table}/{{id}}/{step.verb}",
                "summary": f"List a {thing}'s {verb_words}: {does} {why}", "kind": "read", "status": 200,
                "auth": True, "table": table, "skeleton": False, "queries": [{"table": table, "where": ["id"]}]}
    segment = step.verb.replace("_", "-")
    return {"id": f"{step.verb}_{singular}", "method": "POST", "path": f"/v1/{table}/{{id}}/{segment}",
            "summary": f"{verb_words.capitalize()} a {thing}: {does} {why}", "kind": "write", "status": 200,
            "auth": True, "table": table, "skeleton": False, "queries": [{"table": table, "where": ["id"]}]}


def _has_path(ops: list[dict[str, Any]], path: str) -> bool:
    return any(op["path"] == path and op["method"] == "POST" for op in ops)
