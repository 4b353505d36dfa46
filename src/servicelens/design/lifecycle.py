"""The life cycle of each entity, read from the grammar of the text.

Most things a backend keeps move through states: a basket is held, paid, released; a paper
is submitted, locked, accepted or rejected; a bed is occupied, dirty, cleaned. A writer
rarely lists the states; they show up as the verbs done to a thing ("passengers cancel
tickets"), as participles and status words next to it ("confirmed sightings", "beds are
marked dirty", "become available"), as holds ("held for 10 minutes") and as cut-offs
("can withdraw until 12 hours before it starts"). From those this module derives the
states, the transitions between them (each a conditional UPDATE from its source states),
the expiry a hold needs, and the cut-off a transition must check. No list of domains is
used: only spelling rules for participles and a closed list of status adjectives.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from servicelens.design.identifiers import entity_names
from servicelens.design.text import sentence_bounds

# Adjectives that name a state whatever the thing is.
STATUS_WORDS = frozenset("pending active inactive available unavailable open closed overdue draft live due occupied "
                         "vacant idle busy final void valid invalid dirty clean ready late lost stale blocked free "
                         "outstanding unpaid paid expired locked".split())
# Participles that describe a thing rather than a state it reaches ("a fixed number", "based on").
_NOT_STATES = frozenset("based used required needed expected stored allowed supported related called named limited "
                        "estimated combined detailed dedicated distributed automated integrated advanced mixed fixed "
                        "preferred interested concerned registered insulated attached listed stated shared linked "
                        "connected installed signed logged given sent kept held made built seen known shown "
                        "featured popular scheduled".split())
# Verbs whose state no transition leaves.
_TERMINAL_VERBS = frozenset("cancel reject expire close discard void delete archive complete retire refund revoke "
                            "decline withdraw discharge finish end resolve dispose destroy".split())
_IRREGULAR = {"hold": "held", "sell": "sold", "buy": "bought", "pay": "paid", "send": "sent", "lend": "lent",
              "find": "found", "issue": "issued", "make": "made", "keep": "kept", "take": "taken", "give": "given",
              "lose": "lost", "write": "written", "build": "built", "begin": "begun", "run": "run", "set": "set",
              "put": "put", "shut": "shut", "open": "open", "close": "closed", "free": "free", "withdraw": "withdrawn",
              "draw": "drawn", "drive": "driven", "ride": "ridden", "hide": "hidden", "choose": "chosen"}
# Verbs that name a state change without being one ("mark it dirty": the state is "dirty").
_MARKING_VERBS = frozenset("mark flag set label tag make show scan see get check notify email text remind".split())
_RULE_WORDS = re.compile(r"\b(?:must|only|never|cannot|can't|not|no\s+longer|once|after|until|unless)\b", re.I)
_CUTOFF = re.compile(
    r"\b(?P<verb>(?!(?:can|may|must|will|should|could|to|and|or|then|also)\b)[a-z]+)"
    r"(?:\s+(?:it|them|(?:(?:a|an|the|their|its|his|her)\s+)?(?P<obj>[a-z]+)))?\s+(?:until|up\s+to|no\s+later\s+than|"
    r"at\s+least|at\s+the\s+latest)\s+(?P<d>\d[\d.,]*|an?|one|two|three|twelve|twenty-four|forty-eight)\s*-?\s*"
    r"(?P<unit>minutes?|hours?|h|days?|weeks?)\s+before\s+(?:the\s+|its\s+|their\s+|it\s+)?(?P<event>[a-z]+)", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "twelve": 12, "twenty-four": 24, "forty-eight": 48}
_HOLD = re.compile(
    r"\b(?:held|hold|holds|reserved|reserve|kept|locked|booked|book)\s+(?:it\s+|them\s+)?(?:for\s+)?(?:up\s+to\s+|at\s+most\s+)?"
    r"(?P<d>\d[\d.,]*|one|two|five|ten|fifteen|thirty)\s*-?\s*(?P<unit>seconds?|minutes?|mins?|hours?|days?)\b", re.I)
_FUNCTION = frozenset("a an the their its his her our your this that these those each every any some no not and or but "
                      "to of in on at by for from with is are was were be been can could may might must should will "
                      "would it they them we you he she i".split())


@dataclass(frozen=True, slots=True)
class Transition:
    """One way a row changes state: the verb, the states it may leave, the state it reaches."""

    verb: str
    sources: tuple[str, ...]
    target: str
    cutoff: str = ""  # "24 hours before departure": the transition is refused after it
    cutoff_column: str = ""  # the time column the cut-off is measured against ("departure_at")
    by_job: bool = False  # made by a scheduled job, not by a caller (an expiring hold)


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """The states of one entity and how it moves between them."""

    entity: str
    initial: str
    states: tuple[str, ...]
    transitions: tuple[Transition, ...]
    hold: str = ""  # "10 minutes" when the text holds the entity for a while
    evidence: tuple[str, ...] = ()  # the words each state came from

    def transition(self, verb: str) -> Transition | None:
        return next((t for t in self.transitions if t.verb == verb), None)

    def check_constraint(self, extra: tuple[str, ...] = ()) -> str:
        states = tuple(dict.fromkeys(self.states + extra))
        return "check (status in (" + ", ".join(f"'{s}'" for s in states) + "))"


def participle(verb: str) -> str:
    """'cancel' -> 'cancelled', 'confirm' -> 'confirmed', 'release' -> 'released',
    'hold' -> 'held', 'pick_up' -> 'picked_up', 'carry' -> 'carried'."""
    head, _, particle = verb.partition("_")
    if head in _IRREGULAR:
        word = _IRREGULAR[head]
    elif head.endswith("e"):
        word = head + "d"
    elif re.search(r"[^aeiou]y$", head):
        word = head[:-1] + "ied"
    elif head.endswith("el") or re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", head) or head.endswith(("mit", "fer", "pel")):
        word = head + head[-1] + "ed"  # "cancelled", "shipped", "submitted", "transferred"
    else:
        word = head + "ed"
    return f"{word}_{particle}" if particle else word


def verb_of_participle(word: str) -> str:
    """'cancelled' -> 'cancel', 'confirmed' -> 'confirm', 'released' -> 'release' (spelling rules)."""
    from servicelens.design.verb_phrases import lemma
    reverse = {v: k for k, v in _IRREGULAR.items()}
    return reverse.get(word, lemma(word))


def lifecycles(text: str, entities: tuple[str, ...], actions: tuple[str, ...]) -> tuple[Lifecycle, ...]:
    """A life cycle for each entity whose text shows at least two states or a stated hold."""
    from servicelens.design.entities import verb_kind
    low = text.lower()
    out = []
    cutoffs = _cutoffs(low, entities, actions)
    for entity in entities:
        singular, plural = entity_names(entity)
        mentions = _mentions(low, singular, plural)
        if not mentions:
            continue
        states: list[str] = []
        evidence: list[str] = []
        verbs: list[str] = []
        initial = ""
        on_entity = [(a, _verb_on(a, singular)) for a in actions]
        on_entity.sort(key=lambda pair: _position(low, pair[1], mentions))
        for action, verb in on_entity:
            if not verb or verb.split("_")[0] in _MARKING_VERBS:
                continue
            kind = verb_kind(verb)
            if kind == "read":
                continue
            state = participle(verb)
            if verb in _RECORDING and initial:
                continue  # a second way to create it ("log" and "record" a sighting) is no new state
            if kind == "create" and verb not in _HOLDING and not initial:
                initial = state
            verbs.append(verb)
            _add(states, evidence, state, action.replace("_", " "))
        for _, word, phrase in sorted(_stated_states(low, singular, plural, mentions)):
            if word not in states:
                _insert_by_position(states, evidence, word, phrase, low)
        hold = _hold(low, mentions)
        if hold:
            _add(states, evidence, "held", f"held for {hold}")
            _add(states, evidence, "expired", f"released after {hold}")
            initial = initial if initial and initial != "created" else "held"
        verbs += [v for v, e, *_ in cutoffs if e == singular and v not in verbs]
        for verb, e, *_ in cutoffs:
            if e == singular:
                _add(states, evidence, participle(verb), f"{verb} (cut-off)")
        states = [s for s in states if "_" not in s or s.split("_")[0] not in states]  # "delivered_in" is "delivered"
        if len(states) < 2 and not hold and not any(e == singular for _, e, *_ in cutoffs) and not set(states) & _LENT:
            continue
        if not initial and states and not _is_terminal(states[0]) \
                and states[0] in {participle(v) for v in verbs if verb_kind(v) == "transition"}:
            # nothing in the text creates it and its first state is reached by a verb ("the
            # host accepts or declines a request"): the row exists before that verb, waiting
            initial = "pending"
        initial = initial or _first_open(states) or "active"
        if initial not in states:
            states.insert(0, initial)
        ordered = _flow(initial, states)
        transitions = _alternatives(_transitions(ordered, singular, verbs, hold, cutoffs), low)
        transitions, ordered = _with_counterparts(transitions, ordered)
        transitions, ordered = _with_return(transitions, ordered, initial)
        out.append(Lifecycle(singular, initial, tuple(ordered), transitions, hold, tuple(evidence)))
    return tuple(out)


# Verbs that only bring a row into being (a second one is a synonym, not a new state).
_RECORDING = frozenset("create add log record register enter ingest store write upload post capture".split())
# Verbs that put an existing row on hold rather than create the thing's first state.
_HOLDING = frozenset("hold reserve claim book lock".split())


def _position(low: str, verb: str, mentions: list[tuple[int, int]] = ()) -> int:
    """Where the text first uses a verb (any inflection) in a sentence that names the entity
    (any sentence when no mentions are given): the order its states are named in."""
    stem = verb.split("_")[0]
    sentences = [sentence_bounds(low, start) for start, _ in mentions]
    for m in re.finditer(rf"\b{re.escape(stem[:max(3, len(stem) - 1)])}", low):
        if not sentences or any(a <= m.start() < b for a, b in sentences):
            return m.start()
    return len(low)


def _insert_by_position(states: list[str], evidence: list[str], state: str, phrase: str, low: str) -> None:
    """A state from an adjective goes where the text names it among the verbs' states."""
    where = low.find(phrase.split(" ")[0]) if phrase else len(low)
    index = next((i for i, s in enumerate(states) if _position(low, verb_of_participle(s.split("_")[0])) > where),
                 len(states))
    states.insert(index, state)
    evidence.append(f"{state}: \"{phrase}\"")


def _verb_on(action: str, singular: str) -> str:
    suffix = f"_{singular}"
    return action[: -len(suffix)] if action.endswith(suffix) and len(action) > len(suffix) else ""


def _add(states: list[str], evidence: list[str], state: str, phrase: str) -> None:
    if state and state not in states:
        states.append(state)
        evidence.append(f"{state}: \"{phrase}\"")


def _mentions(low: str, singular: str, plural: str) -> list[tuple[int, int]]:
    words = sorted({singular.replace("_", " "), plural.replace("_", " ")}, key=len, reverse=True)
    pattern = r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"
    return [(m.start(), m.end()) for m in re.finditer(pattern, low)]


def _is_state_word(word: str, sentence: str, prenominal: bool) -> bool:
    """A status adjective, or a participle of a verb that changes things; before a noun a
    participle counts only when its verb is one rows go through or the sentence is a rule
    ("sealed cases must be visible only to ..."), so "an insulated box" is no state."""
    from servicelens.design.entities import VERBS
    if word in STATUS_WORDS:
        return True
    if word in _NOT_STATES or len(word) < 5 or not word.endswith("ed") or word.endswith("eed"):
        return False
    if verb_of_participle(word) in _MARKING_VERBS:
        return False  # "emailed", "scanned": something happened to it, not a state it is in
    if not prenominal:
        return True
    verb = verb_of_participle(word)
    return VERBS.get(verb) == "transition" or bool(_RULE_WORDS.search(sentence))


def _stated_states(low: str, singular: str, plural: str, mentions: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
    """(position, state, words) for participles and status words before a mention
    ("confirmed sightings") or said of it ("submissions are locked", "beds are marked
    dirty ... and become available again", "marks them cleaned")."""
    out = []
    for start, end in mentions:
        a, b = sentence_bounds(low, start)
        sentence = low[a:b]
        before = re.search(r"([a-z]+)\s+(?:[a-z]+\s+)?$", low[max(a, start - 30):start])
        if before and _is_state_word(before.group(1), sentence, prenominal=True):
            out.append((start, before.group(1), " ".join(low[start - len(before.group(0)):end].split())))
        rest = low[end:b]
        said = re.match(r"\s+(?:\([^)]*\)\s+)?(?:is|are|get|gets|become|becomes|go|goes|stay|stays|remain|remains|"
                        r"turn|turns|can\s+be|must\s+be|will\s+be|are\s+then|is\s+then|are\s+automatically|"
                        r"is\s+automatically)\s+(?:marked\s+(?:as\s+)?|flagged\s+(?:as\s+)?|set\s+to\s+)?([a-z]+)", rest)
        if said and _is_state_word(said.group(1), sentence, prenominal=False):
            out.append((end, said.group(1), " ".join(low[start:end + said.end()].split())))
        if said or (start - a) < 40:  # the entity is the clause's subject: later predicates are about it too
            for m in re.finditer(r"\b(?:and|then|once|until)\s+(?:\w+ly\s+|then\s+|again\s+)?(?:become|becomes|are|is|get|gets|go|goes)\s+"
                                 r"(?:marked\s+|flagged\s+)?([a-z]+)", rest):
                if _is_state_word(m.group(1), sentence, prenominal=False):
                    out.append((end + m.start(), m.group(1), " ".join(m.group(0).split())))
            for m in re.finditer(r"\b(?:mark|marks|flag|flags|set|sets)\s+(?:it|them)\s+(?:as\s+)?([a-z]+)\b", rest):
                if _is_state_word(m.group(1), sentence, prenominal=False):
                    out.append((end + m.start(), m.group(1), " ".join(m.group(0).split())))
    return out


def _hold(low: str, mentions: list[tuple[int, int]]) -> str:
    """"held for 10 minutes" in a sentence that names the entity -> "10 minutes"."""
    for start, _ in mentions:
        a, b = sentence_bounds(low, start)
        m = _HOLD.search(low[a:b])
        if m:
            return f"{m.group('d')} {m.group('unit')}"
    return ""


def _cutoffs(low: str, entities: tuple[str, ...], actions: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """(verb, entity, "24 hours before departure", column) for each stated cut-off. The verb's
    entity is its object when the text names one, else the entity mentioned last before it
    ("volunteers ... can withdraw until 12 hours before it starts": the shift)."""
    from servicelens.design.verb_phrases import lemma
    out = []
    for m in _CUTOFF.finditer(low):
        verb = lemma(m.group("verb"))
        if verb in _FUNCTION or len(verb) < 3:
            continue
        named = entity_names(m.group("obj"))[0] if m.group("obj") else ""
        entity = next((e for e in entities if entity_names(e)[0] == named), "") or \
            next((e for e in entities if f"{verb}_{entity_names(e)[0]}" in actions), "")
        if not entity:
            a, _ = sentence_bounds(low, m.start())
            entity = _last_mentioned(low, m.start(), entities, skip_from=a, skip_to=a + 25)
        if not entity:
            continue
        amount = m.group("d")
        amount = str(_NUMBER_WORDS.get(amount, amount))
        unit = m.group("unit") if m.group("unit") != "h" else "hours"
        event = m.group("event")
        column = "starts_at" if event in ("it", "start", "starts", "begins") else f"{_noun_of(event)}_at"
        out.append((verb, entity_names(entity)[0], f"{amount} {unit} before {event}", column))
    return out


def _noun_of(event: str) -> str:
    """The time column's stem: "departure" -> "departure", "starts" -> "start"."""
    return re.sub(r"[^a-z]", "", event.rstrip("s") if event.endswith("s") and not event.endswith("ss") else event) or "start"


def _last_mentioned(low: str, pos: int, entities: tuple[str, ...], skip_from: int = 0, skip_to: int = 0) -> str:
    """The entity named last before pos; a mention opening the sentence (the people who act,
    "volunteers ... can withdraw") is skipped."""
    best, where = "", -1
    for e in entities:
        singular, plural = entity_names(e)
        for start, _ in _mentions(low[:pos], singular, plural):
            if skip_from <= start < skip_to:
                continue
            if start > where:
                best, where = e, start
    return best


def _first_open(states: list[str]) -> str:
    return next((s for s in states if verb_of_participle(s.split("_")[0]) not in _TERMINAL_VERBS
                 and s not in ("expired", "closed", "void", "final")), "")


def _is_terminal(state: str) -> bool:
    return state in ("expired", "closed", "void", "final", "lost") or verb_of_participle(state.split("_")[0]) in _TERMINAL_VERBS


def _flow(initial: str, states: list[str]) -> list[str]:
    """The initial state, then the open states in the order the text names them, then the
    terminal ones (cancelled, expired, rejected ...)."""
    rest = [s for s in states if s != initial]
    return [initial] + [s for s in rest if not _is_terminal(s)] + [s for s in rest if _is_terminal(s)]


def _transitions(ordered: list[str], singular: str, verbs: list[str], hold: str,
                 cutoffs: list[tuple[str, str, str, str]]) -> tuple[Transition, ...]:
    """Each verb moves its row to the verb's state from the open states named before it
    (a terminal state is never left); an expiring hold adds the job's transition."""
    out = []
    open_states = [s for s in ordered if not _is_terminal(s)]
    for verb in dict.fromkeys(verbs):
        target = participle(verb)
        if target not in ordered or target == ordered[0]:
            continue
        position = ordered.index(target)
        sources = tuple(s for s in open_states if ordered.index(s) < position) if not _is_terminal(target) \
            else tuple(s for s in open_states if s != target)
        cut = next(((c, col) for v, e, c, col in cutoffs if v == verb and e == singular), ("", ""))
        out.append(Transition(verb, sources or (ordered[0],), target, cut[0], cut[1]))
    if hold and "expired" in ordered:
        out.append(Transition("expire", ("held",), "expired", by_job=True))
    return tuple(out)


# A decision has two outcomes and a reversible state its way back: whoever may approve may
# refuse, what is paused is resumed. English antonymy, not domain words.
_COUNTERPARTS = {"approve": "reject", "accept": "decline", "pause": "resume", "suspend": "reinstate",
                 "open": "close", "enable": "disable", "lock": "unlock", "publish": "unpublish"}


def _with_counterparts(transitions: tuple[Transition, ...], ordered: list[str]) -> tuple[tuple[Transition, ...], list[str]]:
    """Each decision or reversible transition the text names gets the other way when the text
    names none: the counterpart leaves the states the named verb leaves ("approve" a pending
    expense: "reject" leaves pending too); the way back from a reversible state leaves that state."""
    verbs = {t.verb for t in transitions}
    out, states = list(transitions), list(ordered)
    for t in transitions:
        other = _COUNTERPARTS.get(t.verb)
        if not other or other in verbs or {v for v, o in _COUNTERPARTS.items() if o == t.verb} & verbs:
            continue
        target = participle(other)
        decision = t.verb in ("approve", "accept")
        sources = t.sources if decision else (t.target,)
        if target not in states:
            states.append(target)
        out.append(Transition(other, sources, target))
        verbs.add(other)
    return tuple(out), states


# What is handed over for a while comes back: a loan is returned, a rental handed back.
_LENT = frozenset("borrowed rented lent leased hired checked_out".split())


def _with_return(transitions: tuple[Transition, ...], ordered: list[str], initial: str) -> tuple[tuple[Transition, ...], list[str]]:
    """A thing that starts out borrowed, rented or lent gets its return when the text names none."""
    if initial not in _LENT or any(t.verb == "return" for t in transitions):
        return transitions, ordered
    states = ordered + ([] if "returned" in ordered else ["returned"])
    return transitions + (Transition("return", (initial,), "returned"),), states


_OR = re.compile(r"\b([a-z]+)(?:\s*,\s*[a-z]+)*\s*(?:,\s*)?\bor\s+(?:to\s+)?([a-z]+)\b")


def _alternatives(transitions: tuple[Transition, ...], low: str) -> tuple[Transition, ...]:
    """"accept or decline a request", "approve or reject": verbs offered as alternatives
    leave the same states; the second is not also allowed after the first."""
    from servicelens.design.entities import base_verb
    pairs = {(base_verb(m.group(1)), base_verb(m.group(2))) for m in _OR.finditer(low)}
    by_verb = {t.verb: t for t in transitions}
    out = []
    for t in transitions:
        first = next((a for a, b in pairs if b == t.verb and a in by_verb and a != t.verb), "")
        if first:
            sources = by_verb[first].sources
            t = replace(t, sources=sources)
        out.append(t)
    return tuple(out)


def conditional_update(table: str, transition: Transition) -> str:
    """The statement that makes a transition atomic: it changes the row only from an allowed
    state (and before its cut-off); zero rows updated means 409."""
    sources = ", ".join(f"'{s}'" for s in transition.sources)
    guard = ""
    if transition.cutoff:
        amount, unit = transition.cutoff.split()[:2]
        guard = f" AND now() <= {transition.cutoff_column} - interval '{amount} {unit}'"
    return f"UPDATE {table} SET status = '{transition.target}' WHERE id = $1 AND status IN ({sources}){guard}"


# Words that make a state a condition of something else ("only approved claims", "once
# housekeeping marks them cleaned", "no longer editable after it is locked").
_GOVERNS = r"\b(?:only|once|until|unless|no\s+longer|while|after|except)\s+"


def rule_sentences(text: str, lc: Lifecycle) -> tuple[str, ...]:
    """Sentences that make one of the entity's states a condition: a rule word right before
    a state ("only approved claims may be paid"), in a sentence that names the entity."""
    low = text.lower()
    singular, plural = entity_names(lc.entity)
    out = []
    for start, _ in _mentions(low, singular, plural):
        a, b = sentence_bounds(low, start)
        sentence = low[a:b]
        if any(re.search(rf"{_GOVERNS}(?:[a-z]+\s+){{0,3}}{re.escape(s)}\b", sentence)
               for s in lc.states if s != lc.initial):
            phrase = " ".join(text[a:b].split())
            if phrase not in out:
                out.append(phrase)
    return tuple(out)
