"""Operations from the acts the invariant forms read: a rule names who does what to which
thing ("a transfer only happens if the current owner signs it" -> sign a transfer; "members
sell shares to another member" -> sell a share), so the act is an operation of the API even
when no other sentence names it with a verb the action reader knows."""
from __future__ import annotations

from servicelens.design.act_forms import acts
from servicelens.design.clause_forms import form_acts
from servicelens.design.entities import GENERIC_PEOPLE, Action, entity_names, is_thing, verb_kind
from servicelens.design.verb_phrases import lemma


_PAYING = frozenset("pay charge refund pay_out reimburse bill".split())


def form_actions(text: str, known: tuple[Action, ...]) -> tuple[Action, ...]:
    """`known` plus the acts the forms read, each once (by operation id)."""
    seen = {a.op_id for a in known}
    out = list(known)
    # an act read without its object ("parents pay online") names no resource of its own
    found = [(verb, obj, text[pos:pos + 60]) for verb, obj, pos in acts(text) if obj != "payment" or verb not in _PAYING] + \
        [(lemma(verb), obj, phrase) for verb, obj, phrase in form_acts(text)]
    for verb, obj, phrase in found:
        singular = entity_names(obj)[0]
        if singular in GENERIC_PEOPLE or not (is_thing(singular) or is_thing(obj)) or singular == verb:
            continue
        action = Action(verb, verb_kind(verb), singular, " ".join(phrase.split()))
        if action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    return tuple(out)
