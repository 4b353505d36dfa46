"""Which stage of design mode lost each expected item the design missed, as a category.

Used by `run_design_corpus.py --diagnose`. It reads the corpus file's expectations and the
design's JSON, never prints text: a category per missed item, so that the blind half can be
diagnosed in aggregate without anyone reading its requirements.

figures      not_tokenised     a stated number the derivation uses has no row in the design's
                               "as understood" table (the number was never read);
             not_bound         read, but with no meaning or a different value (not bound to a subject);
             kind_absent       every input bound, and no capacity item of the figure's unit family
                               (storage, bandwidth, rate per period, count, duration) exists at all;
             subject_absent    items of that family exist, none about the figure's subject words;
             other_formula     an item of that family about the subject exists, > 2x off the hand value;
             out_of_tolerance  the nearest such item is within 2x but outside the tolerance;
             other_unit        an item about the subject exists only in another unit family;
             unscorable_unit   the figure's unit has no family the scorer compares (ratio, characters).
operations   entity_absent     none of the operation's object words is in the design's entities or contract;
             verb_absent       its object is there, its verb (first word) is in no contract operation;
             other_name        verb and object both appear in the contract, never in one operation.
components   not_derived       the catalogue has a component that would match; the design did not choose it;
             not_in_catalogue  nothing in the catalogue would match.
invariants   not_detected      no invariant of the design shares words with the expected invariant;
             other_mechanism   detected, but its mechanism names none of the acceptable ones.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, Callable

# Words that say how a figure is aggregated, not what it counts: they do not tie a
# capacity item to the figure's subject.
_GENERIC = {"averag", "peak", "second", "minute", "hour", "day", "week", "month", "year", "total", "request",
            "rate", "number", "count", "size", "daily", "per", "at", "steady", "state", "sustain", "approx", "estimat"}


def _numbers(text: str) -> list[float]:
    """Numbers in a derivation, with k/M/B suffixes read ("1.01B", "35k", "200 GB" -> 200)."""
    out = []
    for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)\s*(k|K|M|B|thousand|million|billion)?\b", text):
        v = float(m.group(1).replace(",", ""))
        v *= {"k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "B": 1e9, "billion": 1e9}.get(m.group(2) or "", 1)
        out.append(v)
    return out


def _inputs(fig: dict[str, Any], stated: list[dict[str, Any]], factors: tuple[float, ...]) -> list[dict[str, Any]]:
    """The stated numbers the figure's derivation uses (its numbers in some common unit)."""
    nums = _numbers(str(fig.get("derivation", "")))
    used = []
    for s in stated:
        values = s.get("value") if isinstance(s.get("value"), list) else [s.get("value")]
        for v in values:
            if not isinstance(v, (int, float)) or v == 0:
                continue
            if any(math.isclose(n, v * f, rel_tol=0.02) or math.isclose(n * f, v, rel_tol=0.02) for n in nums for f in factors):
                used.append(s)
                break
    return used


def figure_stage(fig: dict[str, Any], out: dict[str, Any], stated: list[dict[str, Any]], sc: Any) -> str:
    rows = out["requirement"].get("as_understood", [])
    for s in _inputs(fig, stated, sc.FACTORS):
        if sc.stated_accounted(s, rows):
            continue
        values = s["value"] if isinstance(s["value"], list) else [s["value"]]
        read = [r for r in rows if any(re.search(rf"(?<![\d.]){re.escape(n)}(?!\d)", sc._digits(r["phrase"]))
                                       for n in re.findall(r"\d+(?:\.\d+)?", sc._digits(str(s["phrase"]))))]
        return "not_bound" if read and values else "not_tokenised"
    want = sc.family(str(fig["unit"]))
    if not want:
        return "unscorable_unit"
    subject = sc.tokens(str(fig.get("name", ""))) - _GENERIC
    same, about, other_unit = [], [], False
    for item in out["capacity"]:
        have = sc.family(str(item["unit"]))
        words = sc.tokens(f"{item.get('name', '')} {item['unit']}") - _GENERIC
        if not have or sc._base(have[0]) != sc._base(want[0]):
            other_unit = other_unit or bool(subject & words)
            continue
        same.append(item)
        if subject & words or not subject:
            about.append(float(item["value"]) * have[1])
    if not same:
        return "other_unit" if other_unit else "kind_absent"
    if not about:
        return "subject_absent"
    target = float(fig["value"]) * want[1]
    if target <= 0:
        return "other_formula"
    nearest = min(about, key=lambda v: abs(math.log(max(v, 1e-12) / target)))
    return "out_of_tolerance" if 0.5 <= nearest / target <= 2 else "other_formula"


def operation_stage(expected: str, out: dict[str, Any], ops: list[str], sc: Any) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", expected.lower()) if w not in sc.STOP]
    verb = sc.tokens(words[0]) if words else set()
    objects = sc.tokens(" ".join(words[1:])) if len(words) > 1 else set(verb)
    known = set().union(*(sc.tokens(o) for o in ops)) if ops else set()
    known_entities = known | set().union(*(sc.tokens(e) for e in out["requirement"].get("entities", [])) or [set()])
    if not objects & known_entities:
        return "entity_absent"
    if verb and not verb & known:
        return "verb_absent"
    return "other_name"


def component_stage(expected: str, catalogue: list[str], sc: Any) -> str:
    return "not_derived" if sc.covered(expected, catalogue) else "not_in_catalogue"


def invariant_stage(inv: dict[str, Any], out: dict[str, Any], sc: Any) -> str:
    want = sc.tokens(str(inv.get("text", "")))
    for got in out["requirement"].get("invariants", []):
        if len(want & sc.tokens(f"{got.get('phrase', '')} {got.get('kind', '')}")) >= min(2, len(want)):
            return "other_mechanism"
    return "not_detected"


def catalogue_components() -> list[str]:
    """Every component the catalogue can produce, as `name technology` (what the scorer reads)."""
    from servicelens.design.catalog import load_catalog
    from servicelens.design.shape_blocks import SHAPE_BLOCKS, block

    cat = load_catalog()
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "name" in node and "technology" in node:
                out.append(f"{node['name']} {node['technology']}")
            for key, value in node.items():
                if key == "component" and isinstance(value, list) and len(value) == 3:
                    out.append(f"{value[0]} {value[2]}")
                elif key == "components" and isinstance(value, list):
                    out.extend(f"{c[0]} {c[2]}" for c in value if isinstance(c, list) and len(c) == 3)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(cat.patterns)
    walk(cat.characteristics)
    for kind in SHAPE_BLOCKS:
        try:
            out.extend(f"{c.name} {c.technology}" for c in block(kind, "items").components)
        except Exception:  # a block that needs a richer argument is simply not listed
            continue
    return out


def diagnose(doc: dict[str, Any], out: dict[str, Any] | None, res: dict[str, Any], sc: Any,
             catalogue: list[str]) -> dict[str, list[tuple[int, str]]]:
    """(index, category) of every missed item, per kind; a refused design loses everything at 'refused'."""
    kinds = ("figures", "operations", "components", "invariants")
    if out is None:
        return {k: [(i, "refused") for i, hit in enumerate(res.get(k, [])) if not hit] for k in kinds}
    ops = [f"{o.get('operationId', '')} {o.get('summary', '')} {path}"
           for path, methods in out["openapi"].get("paths", {}).items() for o in methods.values() if isinstance(o, dict)]
    stated = doc.get("stated") or []
    stage: dict[str, Callable[[Any], str]] = {
        "figures": lambda f: figure_stage(f, out, stated, sc),
        "operations": lambda o: operation_stage(str(o), out, ops, sc),
        "components": lambda c: component_stage(str(c["name"] if isinstance(c, dict) else c), catalogue, sc),
        "invariants": lambda inv: invariant_stage(inv, out, sc),
    }
    return {k: [(i, stage[k](item)) for i, (item, hit) in enumerate(zip(doc.get(k) or [], res.get(k, []))) if not hit]
            for k in kinds}


def tally(per_file: list[dict[str, list[tuple[int, str]]]]) -> dict[str, dict[str, int]]:
    totals: dict[str, Counter[str]] = {}
    for d in per_file:
        for kind, misses in d.items():
            totals.setdefault(kind, Counter()).update(cat for _, cat in misses)
    return {k: dict(sorted(c.items(), key=lambda kv: -kv[1])) for k, c in totals.items()}
