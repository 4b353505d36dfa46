"""Invariants, constraints and workload shapes read from the text, and the building
blocks they call for (data: data/characteristics.yaml).

This is what makes a design fit a system nobody catalogued: the blocks follow from what
the system must guarantee and how its load is shaped, not from what it is called.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from servicelens.design.text import only_as_verb, phrase_pattern, statement_bounds
from servicelens.model.design import Component, Constraint, Decision, Invariant


@dataclass(frozen=True, slots=True)
class Block:
    """A building block chosen from the characteristics, with its reason and trigger."""

    id: str
    components: tuple[Component, ...]
    why: str
    trigger: str  # the phrase or figure that called for it
    operations: tuple[tuple[str, ...], ...] = ()  # (id, method, path, summary) the block offers


def _match(text: str, phrase: str) -> re.Match[str] | None:
    """Whole-word, case-insensitive; "in order to" is a purpose, not an ordering. A phrase
    written "re:<pattern>" is a regular expression (for wordings with a variable word)."""
    if phrase.startswith("re:"):
        return re.search(phrase[3:], text, re.I)
    pat = r"(?<![a-z])" + phrase_pattern(phrase) + r"(?![a-z])"
    for m in re.finditer(pat, text.lower()):
        if phrase.lower() == "in order" and re.match(r"\s+to\b", text[m.end():]):
            continue
        return m
    return None


def _sentence(text: str, pos: int) -> str:
    a, b = statement_bounds(text, pos)
    return " ".join(text[a:b].split())


def find_invariants(text: str, data: dict[str, Any]) -> tuple[Invariant, ...]:
    out = []
    for kind, spec in data.get("invariants", {}).items():
        m = _first_match(text, spec)
        if m:
            out.append(Invariant(kind, _sentence(text, m.start()), spec["mechanism"], spec.get("enforced_in", "")))
    return tuple(out)


def _first_match(text: str, spec: dict[str, Any]) -> re.Match[str] | None:
    """The first phrase of the spec the text uses; with `needs_place`, only in a sentence that
    names a place ("data stays in Germany" is residency, "stays in a grace period" is not)."""
    for phrase in spec["phrases"]:
        m = _match(text, phrase)
        if m and (not spec.get("needs_place") or names_place(_sentence(text, m.start()))):
            return m
    return None


_PLACE_WORDS = re.compile(r"\b(?:regions?|regional|countr(?:y|ies)|jurisdictions?|borders?|sovereign\w*|on-?prem\w*|"
                          r"data\s+cent(?:er|re)s?|in-region)\b", re.I)
# "in Germany", "inside Brazil": a capitalised name after a preposition of place (not at a sentence start)
_PROPER_PLACE = re.compile(r"\b(?:in|inside|within|leave|leaves|outside)\s+(?:the\s+)?[A-Z][a-zA-Z]+")


def names_place(sentence: str) -> bool:
    """A region, a country or a jurisdiction is named in the sentence."""
    low = sentence.lower()
    # "us" is also a pronoun: the country abbreviations count only in capitals
    named = any(re.search(pat, low) for name, pat in _REGIONS if name not in ("US", "UK"))
    proper = [m for m in _PROPER_PLACE.finditer(sentence) if m.group().split()[-1].lower() not in _NOT_PLACES]
    return (named or bool(re.search(r"\b(?:US|USA|UK|EU)\b", sentence)) or bool(_PLACE_WORDS.search(sentence))
            or bool(proper))


# Capitalised names after "in" that are stores or tools, not places ("stored only in Redis").
_NOT_PLACES = frozenset("redis postgres postgresql mysql s3 kafka dynamodb memcached elasticsearch opensearch bigquery "
                        "snowflake mongodb cassandra sqlite excel git vault gcs clickhouse".split())


def find_constraints(text: str, data: dict[str, Any]) -> tuple[Constraint, ...]:
    out = []
    for kind, spec in data.get("constraints", {}).items():
        m = _first_match(text, spec)
        if m:
            value = _region(_sentence(text, m.start()), text) if kind == "residency" else text[m.start():m.end()]
            out.append(Constraint(kind, value, _sentence(text, m.start()), spec["consequence"]))
    return tuple(out)


_REGIONS = (("EU", r"\beu\b|europe|european"), ("US", r"\bus\b|\busa\b|united states"), ("UK", r"\buk\b|united kingdom"),
            ("Germany", r"germany|german"), ("Canada", r"canada"), ("India", r"india"), ("Australia", r"australia"))


def _region(sentence: str, text: str) -> str:
    """The place the residency sentence names, else one named anywhere in the text."""
    for part in (sentence, text):
        low = part.lower()
        named = next((name for name, pat in _REGIONS if re.search(pat, low)), "")
        proper = _PROPER_PLACE.search(part)
        if named or proper:
            return named or proper.group().split()[-1]
    return "the required region"


def named_workloads(text: str, data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(block id, phrase) for every catalogued block whose phrases the text uses: what the
    text says about its workload, kept in the requirement so a spec can list and edit it."""
    out = []
    for spec in data.get("blocks", ()):
        when = spec.get("when", {})
        # a block whose phrases name things (`when.nouns: true`) is not named by a one-word
        # phrase only ever used as a verb with an object ("a short pick flags the line")
        phrase = next((_said(text, p) for p in when.get("phrases", ()) if _match(text, p)
                       and not (when.get("nouns") and " " not in p and only_as_verb(text, p))), "") or _weakly_named(text, when)
        if phrase:
            out.append((spec["id"], phrase))
    return tuple(out)


def _said(text: str, phrase: str) -> str:
    """The words that named a block: a pattern's match as written, a plain phrase as listed."""
    if phrase.startswith("re:"):
        m = _match(text, phrase)
        return " ".join(m.group(0).split()) if m else phrase
    return phrase


def _weakly_named(text: str, when: dict[str, Any]) -> str:
    """A block named only by words with other meanings (`when.weak`: "samples", "sensors",
    "metrics") is needed when two of them occur, or one with the load shape it serves
    (`when.weak_with`, e.g. a periodic report "every 30 s"): a lab's blood samples are not a
    time series, but "sensors report every 30 s" is."""
    hits = [p for p in when.get("weak", ()) if _match(text, p)]
    if len(hits) >= 2 or (hits and any(_match(text, f"re:{c}") for c in when.get("weak_with", ()))):
        return hits[0]
    return ""


def choose_blocks(named: tuple[tuple[str, str], ...], data: dict[str, Any], invariants: tuple[Invariant, ...],
                  constraints: tuple[Constraint, ...], facts: dict[str, float]) -> tuple[Block, ...]:
    """Blocks whose named workload, numeric conditions or triggering invariant/constraint hold.
    `named`: the requirement's workloads; `facts`: peak_factor, concurrent (connections),
    users (the largest stated user count), peak_rps, peak_writes."""
    kinds = {i.kind for i in invariants}
    cons = {c.kind for c in constraints}
    said = dict(named)
    chosen: list[Block] = []
    for spec in data.get("blocks", ()):
        trigger = _trigger(said.get(spec["id"], ""), spec, facts, cons, {b.id for b in chosen}) or _by_invariant(spec, kinds, facts)
        if not trigger:
            continue
        if spec.get("invariant_any") and not kinds & set(spec["invariant_any"]):
            continue
        comps = tuple(Component(name, role, tech) for name, role, tech in spec.get("components", ()))
        ops = tuple(tuple(str(x) for x in op) for op in spec.get("operations", ()))
        chosen.append(Block(spec["id"], comps, spec["why"], trigger, ops))
    return tuple(chosen)


def _by_invariant(spec: dict[str, Any], kinds: set[str], facts: dict[str, float]) -> str:
    """A block a guarantee calls for whatever words name the workload: "every bid appears on
    all screens within a second" for thousands of connected clients needs a push tier.
    `when.invariants` lists the kinds; `when.min_concurrent` the connections it needs."""
    when = spec.get("when", {})
    hit = sorted(kinds & set(when.get("invariants", ())))
    if not hit or facts.get("concurrent", 0.0) < when.get("min_concurrent", 0):
        return ""
    return f"{hit[0]} invariant" + (f" with {facts['concurrent']:,.0f} concurrent clients" if when.get("min_concurrent") else "")


def _trigger(phrase: str, spec: dict[str, Any], facts: dict[str, float], cons: set[str], chosen: set[str]) -> str:
    if spec.get("constraint"):
        return spec["constraint"] if spec["constraint"] in cons else ""
    when = spec.get("when", {})
    if when.get("users_at_most") is not None:
        users = facts.get("users", 0.0)
        small = 0 < users <= when["users_at_most"] and facts.get("peak_rps", 0.0) < 100
        if not users and 0 < facts.get("peak_rps", 0.0) < _TINY_RPS:
            # no user count, but the whole stated load is under one request a second: nothing in it needs
            # more than one service and one database
            return f"{facts['peak_rps']:.2g} requests/s at peak"
        return f"{users:,.0f} users" if small else ""
    if spec.get("also_when_block") and spec["also_when_block"] not in chosen:
        return ""
    if when.get("min_peak_writes") and facts.get("peak_writes", 0.0) < when["min_peak_writes"]:
        return ""
    if phrase:
        return phrase
    floor = when.get("peak_factor_at_least")
    if floor and facts.get("peak_factor", 0.0) >= floor:
        return f"peak {facts['peak_factor']:g}x the average"
    return ""


# A peak below this many requests a second is a small system whatever it does.
_TINY_RPS = 1.0


def block_decisions(blocks: tuple[Block, ...], text: str = "") -> tuple[Decision, ...]:
    """Each block as a trade-off entry: what was added and why, naming its trigger and, as
    evidence, the sentence of the requirement the trigger was read from."""
    out = []
    for b in blocks:
        what = ", ".join(c.name for c in b.components) or "one service and one database"
        said = evidence(text, b.trigger.partition(": ")[2] or b.trigger)
        why = f"{b.why}; the requirement says: \"{said}\"" if said else b.why
        out.append(Decision(b.id.replace("_", " "), f"{what} (because the requirement says '{b.trigger}')", (), why, True))
    return tuple(out)


_EVIDENCE_WORD = re.compile(r"[a-z][a-z\-]{3,}")


def evidence(text: str, words: str) -> str:
    """The sentence of `text` that holds `words` ("status pages" -> "... its status page gets
    ~20,000 page views per second"): the one sharing most of their content words (compared by
    their first five letters, so a plural finds its singular); '' when none shares one."""
    wanted = {w[:5] for w in _EVIDENCE_WORD.findall(words.lower())}
    best, best_score, pos = "", 0, 0
    while wanted and pos < len(text):
        a, b = statement_bounds(text, pos)
        b = max(b, pos + 1)
        sentence = " ".join(text[a:b].split())
        score = len(wanted & {w[:5] for w in _EVIDENCE_WORD.findall(sentence.lower())})
        if score > best_score:
            best, best_score = sentence, score
        pos = b + 1
    # a quote of untrusted text lands in Markdown, where raw HTML passes through: no angle brackets
    return " ".join(re.sub(r"[<>`]", " ", best).split())[:300]


def invariant_decisions(invariants: tuple[Invariant, ...], constraints: tuple[Constraint, ...]) -> tuple[Decision, ...]:
    out = [Decision(f"invariant: {i.kind}", i.mechanism, (), f"the requirement says: \"{i.phrase}\"", True) for i in invariants]
    out += [Decision(f"constraint: {c.kind} ({c.value})", c.consequence, (), f"the requirement says: \"{c.phrase}\"", True)
            for c in constraints]
    return tuple(out)


def enforcing_components(invariants: tuple[Invariant, ...], constraints: tuple[Constraint, ...],
                         data: dict[str, Any]) -> tuple[Component, ...]:
    """The component that keeps each invariant or meets each constraint, named after it."""
    from servicelens.design.invariant_shapes import subject_of  # (imports this module's neighbours only)
    out: list[Component] = []
    for inv in invariants:
        spec = data.get("invariants", {}).get(inv.kind, {})
        # a variant of the component chosen by what the rule does ("... the page escalates")
        variant = next((v for v in spec.get("component_variants", ()) if re.search(v["when"], inv.phrase, re.I)), {})
        chosen = {**spec, **variant} if variant else spec
        if chosen.get("component"):
            name, role, tech = chosen["component"]
            subject = subject_of(inv.phrase).replace("_", " ")
            if chosen.get("component_named") and subject:
                # named after what it guards: "Scheduled expiry job for reservations"
                name = chosen["component_named"].format(subject=subject)
                name = name[0].upper() + name[1:]
            if variant:
                role = f"{role}; the requirement says: \"{inv.phrase}\""
            out.append(Component(name, role, tech))
    for con in constraints:
        spec = data.get("constraints", {}).get(con.kind, {})
        if spec.get("component"):
            value = con.value if con.kind != "sso" else con.value.title() if con.value.islower() else con.value
            parts = [part.replace("{value}", _display(value)) for part in spec["component"]]
            if con.kind == "sso" and value.lower() in _GENERIC_SSO:
                parts[0] = "SSO login (company identity provider)"  # not "SSO SSO login"
            out.append(Component(*parts))
    seen, unique = set(), []
    for c in out:
        if c.name not in seen:
            seen.add(c.name)
            unique.append(c)
    return tuple(unique)


# Names of single sign-on itself rather than of an identity provider.
_GENERIC_SSO = frozenset({"sso", "single sign-on"})


def _display(value: str) -> str:
    """'stripe' -> 'Stripe', 'mqtt' -> 'MQTT' (short protocol names are acronyms)."""
    if value.isupper() or any(ch.isupper() for ch in value):
        return value
    return value.upper() if len(value) <= 4 else value.title()


def characteristic_operations(blocks: tuple[Block, ...], invariants: tuple[Invariant, ...],
                              constraints: tuple[Constraint, ...], data: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """Operations the blocks, invariants and constraints call for ("join waiting room",
    "list audit log", "handle Stripe webhook"), with {value} filled from the constraint."""
    out: list[tuple[str, ...]] = [op for b in blocks for op in b.operations]
    for inv in invariants:
        out += [tuple(str(x) for x in op) for op in data.get("invariants", {}).get(inv.kind, {}).get("operations", ())]
    for con in constraints:
        for op in data.get("constraints", {}).get(con.kind, {}).get("operations", ()):
            out.append(tuple(str(x).replace("{value}", _display(con.value)) for x in op))
    return tuple(out)
