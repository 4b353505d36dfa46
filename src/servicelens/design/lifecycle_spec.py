"""Life cycles into the design: a state column the database checks, one endpoint per
transition (a conditional UPDATE from its source states, 409 from any other), the time
column a cut-off is measured against, and the expiry an expiring hold needs.

Kept apart from `lifecycle` (which only reads the text) so the reading can be tested
without building a spec, and the spec without parsing.
"""
from __future__ import annotations

from typing import Any

from servicelens.design.identifiers import entity_names
from servicelens.design.lifecycle import Lifecycle, Transition, conditional_update
from servicelens.model.design import Invariant

_STATUS = "status varchar(32) not null"


def apply_lifecycles(lifecycles: tuple[Lifecycle, ...], tables: dict[str, dict[str, Any]],
                     ops: list[dict[str, Any]]) -> None:
    """Rewrites each entity's table and operations for its life cycle (in place: the spec is
    being assembled)."""
    for lc in lifecycles:
        table = tables.get(lc.entity)
        if table is None:
            continue
        _state_column(table, lc)
        for transition in lc.transitions:
            if transition.by_job:
                _expiry_columns(table)
            else:
                _transition_op(ops, table["name"], lc, transition)
            if transition.cutoff_column and not any(c.startswith(transition.cutoff_column + " ") for c in table["columns"]):
                table["columns"].insert(-2, f"{transition.cutoff_column} timestamptz not null")


def _state_column(table: dict[str, Any], lc: Lifecycle) -> None:
    """The status column starts in the initial state and may hold only the life cycle's
    states (merged with any states another rule of the design already allows)."""
    columns = table["columns"]
    other: tuple[str, ...] = ()
    for i, column in enumerate(list(columns)):
        if column.startswith("status "):
            columns[i] = f"{_STATUS} default '{lc.initial}'"
        elif column.startswith("check (status in ("):
            inner = column[len("check (status in ("):column.rindex("))")]
            other = tuple(s.strip().strip("'") for s in inner.split(","))
            columns.remove(column)
    columns.append(lc.check_constraint(other))
    table.setdefault("indexes", []).append(["status", "created_at"])


def _expiry_columns(table: dict[str, Any]) -> None:
    if not any(c.startswith(("expires_at", "hold_expires_at")) for c in table["columns"]):
        table["columns"].append("expires_at timestamptz")
        table["indexes"].append({"columns": ["expires_at"], "where": "status = 'held'"})


def _transition_op(ops: list[dict[str, Any]], name: str, lc: Lifecycle, transition: Transition) -> None:
    op_id = f"{transition.verb}_{lc.entity}"
    rule = describe(name, transition)
    for op in ops:
        if op["id"] == op_id:
            if op["method"] == "POST" and "{id}" in op["path"]:
                op["summary"] = f"{op['summary'].split(' (')[0]} ({rule})"
            return
    words = f"{transition.verb.replace('_', ' ')} {lc.entity.replace('_', ' ')}".capitalize()
    ops.append({"id": op_id, "method": "POST", "path": f"/v1/{name}/{{id}}/{transition.verb.replace('_', '-')}",
                "summary": f"{words} ({rule})", "kind": "write", "status": 200, "auth": True, "table": name,
                "skeleton": False, "queries": [{"table": name, "where": ["id"]}]})


def describe(table: str, transition: Transition) -> str:
    """One line for a reader: from which states, to which, and how it stays atomic."""
    sources = "|".join(transition.sources)
    cut = f", until {transition.cutoff}" if transition.cutoff else ""
    return (f"{sources} -> {transition.target}{cut}; conditional update, 409 from any other state: "
            f"{conditional_update(table, transition)}")


def lifecycle_summary(lc: Lifecycle) -> str:
    """"booking: held -> confirmed -> cancelled | expired (expiry job after 10 minutes)"."""
    _, plural = entity_names(lc.entity)
    moves = "; ".join(f"{t.verb}: {'|'.join(t.sources)} -> {t.target}" + (" (scheduled job)" if t.by_job else "")
                      for t in lc.transitions)
    return f"{lc.entity} states {', '.join(lc.states)} (initial {lc.initial}); {moves}" if moves else \
        f"{lc.entity} states {', '.join(lc.states)} (initial {lc.initial})"


def lifecycle_invariants(text: str, lifecycles: tuple[Lifecycle, ...], have: set[str],
                         specs: dict[str, Any]) -> tuple[Invariant, ...]:
    """The rules a life cycle puts into words: a cut-off on a transition ("cancel up to 24
    hours before departure"), a rule sentence about a state ("only confirmed sightings are
    published", "after it submissions are locked"), and an expiring hold."""
    from servicelens.design.lifecycle import rule_sentences
    out: list[Invariant] = []
    for lc in lifecycles:
        _, plural = entity_names(lc.entity)
        for t in lc.transitions:
            if t.cutoff:
                spec = specs.get("cutoff", {})
                out.append(Invariant(
                    "cutoff", _sentence_with(text, t.verb) or f"{t.verb} until {t.cutoff}",
                    f"deadline check on {t.verb} of a {lc.entity.replace('_', ' ')} in the same conditional update "
                    f"({conditional_update(plural, t)}); after the cut-off no row changes and the call answers 409; "
                    f"{_filled(spec.get('mechanism', ''), t)}", spec.get("enforced_in", "")))
        if not {"state-machine", "lifecycle"} & (have | {i.kind for i in out}):
            for sentence in rule_sentences(text, lc):
                spec = specs.get("lifecycle", {})
                moves = "; ".join(conditional_update(plural, t) for t in lc.transitions if not t.by_job)[:400]
                out.append(Invariant(
                    "lifecycle", sentence,
                    f"state machine on {lc.entity.replace('_', ' ')}: status column with check constraint "
                    f"({', '.join(lc.states)}); each transition is a conditional update from its allowed states "
                    f"({moves}); 409 from any other state", spec.get("enforced_in", "")))
                break
        if lc.hold and "expiry" not in have and "expiry" not in {i.kind for i in out}:
            spec = specs.get("expiry", {})
            out.append(Invariant(
                "expiry", _sentence_with(text, "held") or f"held for {lc.hold}",
                f"expires_at on each {lc.entity.replace('_', ' ')} ({lc.hold}) with a scheduled expiry job "
                f"({conditional_update(plural, lc.transitions[-1])} AND expires_at < now()); {spec.get('mechanism', '')}",
                spec.get("enforced_in", "")))
    return tuple(out)


def _sentence_with(text: str, word: str) -> str:
    import re
    from servicelens.design.text import sentence_bounds
    m = re.search(rf"\b{re.escape(word[:max(3, len(word) - 1)])}", text, re.I)
    if not m:
        return ""
    a, b = sentence_bounds(text, m.start())
    return " ".join(text[a:b].split())


def _filled(template: str, t: Any) -> str:
    """The cut-off template with this transition's column and period, never its placeholders."""
    period = t.cutoff.split(" before ")[0] if " before " in t.cutoff else t.cutoff
    column = t.cutoff_column or (t.cutoff.split(" before ")[-1].split()[-1].replace("-", "_") + "_at" if " before " in t.cutoff else "")
    if not column or not period:
        return template.replace("<event>_at - interval '<cut-off>'", "the cut-off").replace("<cut-off>", "the cut-off")
    return template.replace("<event>_at", column).replace("<cut-off>", period)

