"""Building blocks composed from the requirement model's shapes (data/compositions.yaml).

Why: a design must fit a kind of system nobody catalogued. What the text does with its things
(an act's verb and object: "assign tickets", "download episodes"), how its load is shaped (a
fan-out, megabyte files, a p99 in tens of milliseconds) and what must happen at a time ("closes
exactly at its end time") call for the same building blocks whatever the system is called. Each
block is named after the thing it serves and says why; a block some chosen component already
provides is not added twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from servicelens.design.characteristics import Block
from servicelens.design.identifiers import entity_names
from servicelens.design.text import sentence_bounds
from servicelens.model.design import Component, Requirement


@dataclass(frozen=True, slots=True)
class Facts:
    """The numbers composition rules compare against (0 when the text does not state one)."""

    fanout: float = 0.0
    media_bytes: float = 0.0
    concurrent: float = 0.0
    peak_writes: float = 0.0
    p99_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class Hit:
    """Why a rule fired: the thing it serves and the words of the text that called for it."""

    subject: str
    said: str
    sentence: str
    name: str = ""  # the outside party the words name ("the co-op's ERP"), from their `name` group


def facts_of(req: Requirement, metrics: dict[str, float]) -> Facts:
    """The figures of the requirement and the capacity plan that composition reads."""
    def value(q) -> float:
        return float(q.value) if q else 0.0
    return Facts(fanout=value(req.fanout), media_bytes=value(req.media_bytes), concurrent=value(req.concurrent_connections),
                 # a plan built on assumed rates only says nothing about this system's load
                 peak_writes=float(metrics.get("peak_write_rps", 0.0)) if req.rates else 0.0,
                 p99_ms=value(req.latency_p99_ms))


@dataclass(frozen=True, slots=True)
class Composition:
    """The blocks composed for a requirement, and the operations of rules whose component the
    design already had (a chosen push tier still needs the contract's "watch" operation)."""

    blocks: tuple[Block, ...]
    operations: tuple[tuple[str, ...], ...]


def compose(req: Requirement, facts: Facts, rules: list[dict[str, Any]], have: tuple[Component, ...]) -> Composition:
    """One block per rule that fires and whose job no component in `have` (nor an earlier
    composed block) already does."""
    things = _things(req.entities)
    out: list[Block] = []
    kept_ops: list[tuple[str, ...]] = []
    for rule in rules:
        hit = _fires(rule, req, facts, things)
        if hit is None:
            continue
        fill = _filler(hit.subject, facts, hit.name, hit.said)
        comp = Component(*(fill(part) for part in rule["component"]))
        taken = have + tuple(c for b in out for c in b.components)
        ops = tuple(tuple(fill(str(x)) for x in op) for op in rule.get("operations", ()))
        if _covered(rule.get("covers", ()), taken, fill):
            kept_ops.extend(ops)
            continue
        out.append(Block(f"composed_{rule['id']}", (comp,), rule["why"], hit.said, ops))
    return Composition(tuple(out), tuple(kept_ops))


def _fires(rule: dict[str, Any], req: Requirement, facts: Facts, things: tuple[str, ...]) -> Hit | None:
    """The hit of a rule on this requirement, or None: a verb or words of it, then its figures."""
    main = things[0] if things else "item"
    hit: Hit | None = None
    if rule.get("verbs") or rule.get("words"):
        hit = _verb_hit(rule.get("verbs", ()), req, things) or _word_hit(rule.get("words", ()), req.text, things)
        if hit is None:
            return None
    else:
        hit = Hit(_busiest(req, things) or main, _figure_words(rule), "")
    sentence_count = _largest_count(req, hit.sentence)
    values = {"fanout": facts.fanout, "media_bytes": facts.media_bytes, "concurrent": facts.concurrent,
              "peak_writes": facts.peak_writes, "p99_ms": facts.p99_ms, "sentence_count": sentence_count}
    for key, floor in rule.get("at_least", {}).items():
        if values.get(key, 0.0) < float(floor):
            return None
    for key, ceiling in rule.get("at_most", {}).items():
        if not 0 < values.get(key, 0.0) <= float(ceiling):
            return None
    return hit


def _verb_hit(verbs, req: Requirement, things: tuple[str, ...]) -> Hit | None:
    """An act of the text whose verb is one of `verbs`; its object (when the design keeps
    it) is the subject."""
    for action in req.actions:
        for verb in verbs:
            if not action.startswith(verb + "_"):
                continue
            obj = action[len(verb) + 1:]
            obj = re.sub(r"^(?:up|in|out|off|over|back|down|on|away|for)_", "", obj)
            subject = entity_names(obj)[0] if obj else ""
            subject = subject if subject in things else (things[0] if things else subject)
            word = verb.split("_")[0]
            m = re.search(rf"\b{re.escape(word)}\w*", req.text, re.I)
            sentence = _sentence(req.text, m.start()) if m else ""
            return Hit(subject or "item", action.replace("_", " "), sentence)
    return None


def _word_hit(patterns, text: str, things: tuple[str, ...]) -> Hit | None:
    """Words of the load's shape; the subject is the kept thing named nearest before them in
    their sentence (else after them, else the main thing)."""
    for pattern in patterns:
        m = re.search(pattern, text, re.I)
        if not m:
            continue
        a, b = sentence_bounds(text, m.start())
        # "hands each build to a free runner": the thing served comes before the words, not in them
        before, after = text[a:m.start()].lower(), text[m.start():b].lower()
        subject = _nearest(before, things, last=True) or _nearest(after, things, last=False) or (things[0] if things else "item")
        name = m.groupdict().get("name") or ""
        return Hit(subject, " ".join(m.group(0).split()), " ".join(text[a:b].split()), _party(name))
    return None


def _nearest(part: str, things: tuple[str, ...], last: bool) -> str:
    best, best_at = "", -1 if last else len(part) + 1
    for thing in things:
        _, plural = entity_names(thing)
        for word in {thing.replace("_", " "), plural.replace("_", " ")}:
            for m in re.finditer(rf"\b{re.escape(word)}\b", part):
                if (last and m.start() > best_at) or (not last and m.start() < best_at):
                    best, best_at = thing, m.start()
    return best


def _busiest(req: Requirement, things: tuple[str, ...]) -> str:
    """The kept thing with the highest stated rate: what a load-shaped block serves."""
    for rate in sorted(req.rates, key=lambda r: -r.per_second):
        for word in reversed(rate.subject.lower().split()):
            singular = entity_names(word)[0]
            if singular in things:
                return singular
    return ""


def _largest_count(req: Requirement, sentence: str) -> float:
    """The largest count the parser read in `sentence` (0 without one); a rate is not a count
    of things made at once ("users upload 5 million photos a day" is no bulk job)."""
    low = " ".join(sentence.lower().split())
    values = [f.value for f in req.figures if f.phrase and f.unit == "count" and "rate" not in f.meaning
              and " ".join(f.phrase.lower().split()) in low]
    return max(values or [0.0])


def _figure_words(rule: dict[str, Any]) -> str:
    """The stated figures a figure-only rule fired on, for the trade-off entry."""
    names = {"fanout": "a stated fan-out", "media_bytes": "the stated file size", "concurrent": "the stated concurrent clients",
             "peak_writes": "the peak write rate", "p99_ms": "the stated p99 latency"}
    keys = list(rule.get("at_least", {})) + list(rule.get("at_most", {}))
    return " and ".join(names.get(k, k) for k in keys)


def _things(entities: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(entity_names(e)[0] for e in entities))


def _sentence(text: str, pos: int) -> str:
    a, b = sentence_bounds(text, pos)
    return " ".join(text[a:b].split())


def _party(name: str) -> str:
    """The outside party as the text names it, without a leading article or possessive
    ("the bank" -> "bank", "RxWorks's" -> "RxWorks"); a name given in brackets leads
    ("practice management system (RxWorks)" -> "RxWorks practice management system")."""
    name = " ".join(name.split())
    name = re.sub(r"^(?:the|our|its|their|an?)\s+", "", name, flags=re.I)
    own = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)  # "policy admin system (Guidewire PolicyCenter)"
    name = f"{own.group(2)} {own.group(1)}" if own else name
    return re.sub(r"(?:'s|'|’s)$", "", name)


def _filler(subject: str, facts: Facts, name: str = "", said: str = ""):
    """Fills {subject}, {Subject}, {subjects}, {p99_ms} (and their identifier forms in paths and ids),
    {name} / {Name} (the outside party the words named, else "the external system") and {said}
    (the words of the text that fired the rule, so a component's reason cites them)."""
    singular, plural = entity_names(subject)
    words, words_plural = singular.replace("_", " "), plural.replace("_", " ")
    party = name or "the external system"
    title = (name or "external system")[:1].upper() + (name or "external system")[1:]

    def fill(part: str) -> str:
        ident = part.startswith("/") or re.fullmatch(r"[a-z_{}]+", part) is not None
        one, many = (singular, plural) if ident else (words, words_plural)
        return (part.replace("{Subject}", words[:1].upper() + words[1:]).replace("{subjects}", many)
                .replace("{subject}", one).replace("{p99_ms}", f"{facts.p99_ms:g}")
                .replace("{Name}", title).replace("{name}", party).replace("{said}", said))
    return fill


def _covered(covers, have: tuple[Component, ...], fill) -> bool:
    """A component of `have` holds every word of one `covers` entry (compared by prefix)."""
    texts = [f"{c.name} {c.technology}".lower() for c in have]
    for entry in covers:
        words = [fill(str(w)).lower() for w in entry]
        if any(all(re.search(rf"\b{re.escape(w[:6])}", t) for w in words) for t in texts):
            return True
    return False
