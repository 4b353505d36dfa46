"""The nouns and verbs of a requirement: what the system keeps (entities) and what it
must do with them (actions such as "hold seat", "confirm booking", "submit score").

No catalogue is needed: a verb from a small closed vocabulary followed by its object is
an action; the objects, the things counted ("40,000 seats") and the subjects of rates
are the entities. A system nobody catalogued is designed from these.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.entity_roles import MEASURE_WORDS, NounRoles, modifier_only, noun_roles, used_as_noun
from servicelens.design.identifiers import entity_names, text_word
from servicelens.design.lifecycle import verb_of_participle
from servicelens.design.lifecycle_chains import chain_acts
from servicelens.design.noun_acts import act_noun_verb, agent_acts, listed_act_nouns, participle_acts
from servicelens.design.object_lists import listed_objects
from servicelens.design.reduced_passives import reduced_passives
from servicelens.design.subject_changes import ERGATIVE, subject_changes
from servicelens.design.verb_phrases import (NOT_OPERATIONS, NUMBER_WORDS, describes, in_prepositional_phrase,
                                             verb_of_nominalisation, verb_phrases)

# verb -> how an action changes its entity: create (a new row), transition (a state
# change of an existing row), read (a query). Inflected forms map to the base verb.
VERBS: dict[str, str] = {
    **dict.fromkeys("submit post upload send request book place create register report ingest hold reserve issue schedule "
                    "publish buy purchase record log add invite comment order pay enqueue emit store write edit "
                    "subscribe rate review shorten claim open start sell join earn borrow upload define configure "
                    "provision set follow react share invite enroll enrol apply rent lease hire lend".split(), "create"),
    **dict.fromkeys("confirm cancel accept decline approve reject complete assign release refund resolve close retry "
                    "redeliver expire toggle enable disable archive void match dispatch acknowledge update delete "
                    "revoke finalize finalise replay roll return renew redeem reverse pause resume trigger rotate "
                    "unsubscribe unfollow mark transfer adjust use receive accept reset ship deliver collect allocate grade "
                    "settle escalate dismiss triage suspend halt".split(), "transition"),
    **dict.fromkeys("view see get list search browse track find show query fetch download read rank evaluate check "
                    "watch monitor lookup export".split(), "read"),
}
_DETERMINERS = {"a", "an", "the", "their", "its", "his", "her", "my", "our", "your", "each", "every", "new", "own",
                "past", "other", "all", "any", "some", "this", "that", "these", "those", "one", "single", "current",
                "latest", "live", "incoming", "outgoing", "recent", "nearest", "available", "free", "pending", "same", "whole",
                "entire", "first", "last", "next", "most", "many", "several", "both", "either"}
_NOT_OBJECTS = {"it", "them", "us", "you", "me", "to", "that", "which", "what", "how", "when", "if", "and", "or",
                "in", "on", "at", "by", "for", "with", "from", "of", "up", "out", "back", "down", "over", "is", "are",
                "be", "within", "under", "about", "around", "per", "as", "than", "so", "more", "less", "data", "time",
                "times", "way", "ways", "sure", "system", "service", "app", "api", "thing", "things", "lot", "lots",
                "requests", "request", "people", "everything", "something", "nothing", "s", "ms", "once", "twice",
                "then", "too", "also", "only", "just", "not", "no", "seconds", "minutes", "hours", "days", "second",
                "minute", "hour", "day", "week", "month", "year", "must", "should", "can", "could", "will", "would", "may",
                "might", "shall", "need", "needs", "like", "via", "using", "based", "where", "while", "limit", "limits",
                "number", "numbers", "numbering", "rate", "ratio", "latency", "availability", "size", "traffic", "load",
                "peak", "count", "total", "amount", "percentage", "share", "ordering", "order-of", "scale", "volume",
                "after", "before", "through", "during", "without", "between", "among", "into", "onto", "across", "along",
                "behind", "beyond", "above", "below", "against", "upon", "since", "until", "till", "toward", "towards",
                "and", "or", "nor", "but", "yet", "here", "there", "now", "later", "soon", "again", "ever", "never",
                "away", "off", "online", "offline", "minimum", "maximum", "average", "deadline", "instantly", "anyone",
                "someone", "everyone", "nobody", "anything", "each", "other", "others", "own", "able", "possible",
                # the shape of a load, not a thing kept ("Saturdays see a spike")
                "spike", "spikes", "surge", "surges", "burst", "bursts", "rush", "growth", "increase", "dip", "lull",
                "percent", "degree", "degrees", "forever", "today", "tomorrow", "overnight", "anywhere", "everywhere",
                "inside", "outside", "beside", "within", "throughout", "who", "whom", "whose",
                # pronouns and adverbs of time or place never name a thing kept ("they must carry on",
                # "opens 7 days ahead")
                "they", "we", "he", "she", "i", "itself", "themselves", "ourselves", "ahead", "early", "late",
                "together", "afterwards", "meanwhile", "beforehand", "abroad", "home", "tonight",
                # auxiliaries, adverbs and conjunctions without "-ly" ("resumes the download rather than
                # starting again", "even at peak", "members plus day-pass riders")
                "has", "have", "had", "was", "were", "been", "being", "does", "did", "done", "rather", "even", "quite",
                "very", "already", "still", "almost", "instead", "else", "perhaps", "maybe", "longer", "sooner", "much", "enough",
                "though", "although", "whether", "however", "plus", "minus", "versus", "except", "unless", "whereas",
                "otherwise", "anyway", "somewhat", "twice", "thrice", "hence", "thus", "etc", "via", "per",
                # the system itself, however it is called ("a leaderboard svc", "phase 2 backend")
                "backend", "back-end", "frontend", "front-end", "svc", "saas", "microservice", "microservices", "mvp"}
# Past participles that are not regular "-ed" forms; they read as adjectives, not things kept.
_IRREGULAR_PARTICIPLES = frozenset("spent done gone taken given known shown sent built held sold paid made kept lost "
                                   "found bought brought caught taught thought told won worn torn born chosen frozen "
                                   "broken spoken written driven ridden hidden forgotten begun run cut put set hit "
                                   "read left felt meant met dealt".split())


def is_thing(word: str) -> bool:
    """Whether a word can name a thing the system keeps: not a function word, not a
    participle or adjective form ("used", "personalised", "spent", "online")."""
    w = word.lower()
    if not w[:1].isalpha():
        return False  # "the top 100", "24h": a number is no thing
    if w in _NOT_OBJECTS or w in _DETERMINERS or w in _IRREGULAR_PARTICIPLES or w in NUMBER_WORDS or len(w) < 3 \
            or w.endswith("ly") or w in _STATE_ADJECTIVES:
        return False
    if w.endswith("ed") and not w.endswith("eed") and len(w) >= 4:
        return False
    return not w.endswith(("ised", "ized", "able", "ible", "ful", "ous", "less"))
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")
# Words that only ever describe the state a thing is in ("beds are marked dirty").
_STATE_ADJECTIVES = frozenset("dirty clean idle busy vacant occupied pending overdue unavailable available inactive "
                              "active stale unpaid outstanding invalid expired".split())


@dataclass(frozen=True, slots=True)
class Action:
    verb: str  # base form: "hold"
    kind: str  # create | transition | read
    entity: str  # singular identifier: "seat"
    phrase: str  # the words it came from: "hold seats"

    @property
    def op_id(self) -> str:
        return f"{self.verb}_{self.entity}"


def base_verb(word: str) -> str:
    """'holds' / 'held' / 'holding' -> 'hold' when it is a known verb, else ''."""
    w = word.lower()
    # "make a booking" is creating one: the light verb takes the meaning of its object
    irregular = {"held": "hold", "sold": "sell", "bought": "buy", "sent": "send", "paid": "pay", "made": "create",
                 "make": "create", "makes": "create", "making": "create",
                 "seen": "see", "saw": "see", "written": "write", "wrote": "write", "found": "find", "shown": "show"}
    if w in irregular:
        return irregular[w]
    if w in VERBS:
        return w
    for cut in ("ing", "ed", "es", "s", "d"):
        if w.endswith(cut) and w[: -len(cut)] in VERBS:
            return w[: -len(cut)]
    if w.endswith("ing") and w[:-3] + "e" in VERBS:
        return w[:-3] + "e"
    if len(w) > 5 and w.endswith("ed") and w[-3] == w[-4] and w[:-3] in VERBS:  # "submitted"
        return w[:-3]
    if len(w) > 6 and w.endswith("ing") and w[-4] == w[-5] and w[:-4] in VERBS:  # "submitting"
        return w[:-4]
    return ""


_PASSIVE = re.compile(r"\b([a-z][a-z\-]{2,})\s+(?:are|is|were|was|get|gets|got|can\s+be|must\s+be|will\s+be|should\s+be|"
                      r"may\s+be|cannot\s+be|can't\s+be)\s+([a-z]+)\b", re.I)


def passive_actions(text: str) -> tuple[Action, ...]:
    """"plots are rented", "parcels get delivered": the subject of a passive verb is the
    thing acted on (an entity) and the verb is what happens to it."""
    out = []
    for m in _PASSIVE.finditer(text):
        noun, participle = m.group(1).lower(), m.group(2).lower()
        verb = base_verb(participle)
        if not verb or participle == verb or not is_thing(noun) or noun in GENERIC_PEOPLE:
            continue
        clause = re.split(r"[,;.:!?()\n]", text[:m.start(1)])[-1]  # "parts come in, parts get used": "in" ends a clause
        before = [w.lower() for w in _WORD.findall(clause)][-3:] + [noun]
        if in_prepositional_phrase(before, len(before) - 1):
            continue  # "a fine paid at the desk is cleared": the desk is not what is cleared
        singular, _ = entity_names(noun)
        out.append(Action(verb, VERBS[verb], singular, " ".join(m.group(0).split())))
    return tuple(out)


def find_actions(text: str) -> tuple[Action, ...]:
    """Verb + object pairs, in order of appearance, one per (verb, object); then what things
    do by themselves ("holds expire") and what passive sentences say is done to their subjects."""
    tokens = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
    seen: set[str] = set()
    out = []
    for i, (word, start, _) in enumerate(tokens):
        verb = base_verb(word)
        if not verb or (word != verb and i > 0 and tokens[i - 1][0] in _DETERMINERS):
            continue  # "each found item", "the booked slots": a participle qualifying a noun
        if i > 0 and tokens[i - 1][0] in _ARTICLES and _adjacent(text, tokens[i - 1], tokens[i]):
            continue  # "a report moves", "the review": a verb's own form after an article is a noun
        start_obj = _after_coordinated_verbs(tokens, i + 1, text)
        obj, end = _object(tokens, start_obj, text)
        if not obj and VERBS[verb] == "transition":
            obj, end = _requested(tokens, start_obj, text)
        if not obj or _noun_phrase_subject(tokens, i, text[end:]) or _verb_after_subject(obj, text):
            continue
        singular, _ = entity_names(obj)
        action = Action(verb, VERBS[verb], singular, " ".join(text[start:end].split()))
        if action.op_id not in seen and singular != verb:
            seen.add(action.op_id)
            out.append(action)
    for change in subject_changes(text):
        noun = change.noun.lower()
        singular, _ = entity_names(noun)
        action = Action(change.verb, verb_kind(change.verb), singular, change.phrase)
        if is_thing(noun) and noun not in GENERIC_PEOPLE and action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    for act in chain_acts(text, is_thing, verb_of_participle):
        singular, _ = entity_names(act.noun)
        action = Action(act.verb, verb_kind(act.verb), singular, act.phrase)
        if singular not in GENERIC_PEOPLE and action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    for act in participle_acts(text, _state_change, is_thing):
        singular, _ = entity_names(act.noun)
        action = Action(act.verb, "transition", singular, act.phrase)
        if singular not in GENERIC_PEOPLE and action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    for act in agent_acts(text, VERBS.__contains__, is_thing, GENERIC_PEOPLE):
        singular, _ = entity_names(act.noun)
        action = Action(act.verb, verb_kind(act.verb), singular, act.phrase)
        if singular not in GENERIC_PEOPLE and action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    for action in passive_actions(text):
        if action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    for note in reduced_passives(text, is_thing):
        singular, _ = entity_names(note.noun)
        action = Action(note.verb, verb_kind(note.verb), singular, note.phrase)
        if singular not in GENERIC_PEOPLE and action.op_id not in seen:
            seen.add(action.op_id)
            out.append(action)
    for vp in verb_phrases(text, is_thing):
        singular, _ = entity_names(vp.obj)
        action = Action(vp.verb, verb_kind(vp.verb), singular, vp.phrase)
        if action.op_id not in seen and singular != vp.verb and singular not in GENERIC_PEOPLE and is_thing(singular):
            seen.add(action.op_id)
            out.append(action)
    out.extend(_further_objects(text, tuple(out), seen))
    return tuple(out) + _listed_acts(text, tuple(out))


def _further_objects(text: str, found: tuple[Action, ...], seen: set[str]) -> list[Action]:
    """"register births, deaths and marriages": the verb of an action acts on every noun listed
    after its object too (object_lists)."""
    verbs = frozenset(a.verb.split("_", 1)[0] for a in found) | frozenset(VERBS)
    out = []
    for action in found:
        if verb_of_nominalisation(action.verb) or action.verb.endswith(("ing", "ings")):
            continue  # "administrations and dispensings to patients": a noun read as a verb lists nothing
        for noun in listed_objects(text, action.phrase, is_thing, verbs):
            singular, _ = entity_names(noun)
            extra = Action(action.verb, action.kind, singular, action.phrase)
            if singular not in GENERIC_PEOPLE and extra.op_id not in seen:
                seen.add(extra.op_id)
                out.append(extra)
    return out


def _state_change(participle: str) -> str:
    """The verb of a participle that names a state change ("acknowledged" -> acknowledge), or ''."""
    verb = base_verb(participle)
    return verb if verb and verb != participle and VERBS.get(verb) == "transition" else ""


def _listed_acts(text: str, found: tuple[Action, ...]) -> tuple[Action, ...]:
    """Acts named as a list of nouns ("acknowledgements and resolutions", "refunds, reloads and
    pre-authorisations"), bound to the thing the text acts on most; an act already read with an
    object keeps that object."""
    verbs = {a.verb for a in found}
    known = verbs | set(VERBS)
    objects = tuple(a.entity for a in found if a.entity not in GENERIC_PEOPLE and is_thing(a.entity))
    out = []
    for act in listed_act_nouns(text, lambda w: act_noun_verb(w, verb_of_nominalisation, known.__contains__), objects):
        if act.verb in verbs or act.verb in NOT_OPERATIONS or _reads_only(act.verb):
            continue
        verbs.add(act.verb)
        out.append(Action(act.verb, verb_kind(act.verb), act.noun, act.phrase))
    return tuple(out)


def _reads_only(verb: str) -> bool:
    return VERBS.get(verb) == "read"


# Words after which a verb's bare form can only be a noun.
_ARTICLES = frozenset("a an the each every its their our your his her this that".split())


def _adjacent(text: str, before: tuple[str, int, int], word: tuple[str, int, int]) -> bool:
    """Whether only spaces stand between two tokens (no punctuation or line break)."""
    return not text[before[2]:word[1]].strip() and "\n" not in text[before[2]:word[1]]


def _verb_after_subject(obj: str, text: str) -> bool:
    """"Holds expire after 7 days", "if no clearing record arrives": the word after a verb-looking
    noun is the sentence's own verb (one that takes no object), never the noun's object, unless
    the text uses it as a noun elsewhere."""
    base = obj[:-1] if obj.endswith("s") and obj[:-1] in ERGATIVE | _VERB_ONLY else obj
    return base in ERGATIVE | _VERB_ONLY and not used_as_noun(base, text)


_AUX_AFTER = re.compile(r"\s+(?:are|is|were|was|must|cannot|can't|should|get|gets|have|has)\b", re.I)
_SINGULAR_AUX = re.compile(r"\s+(?:is|was|has)\b", re.I)
_LEADS_A_VERB = frozenset("to can could must should will would may might shall".split())


def _noun_phrase_subject(tokens: list[tuple[str, int, int]], i: int, rest: str) -> bool:
    """"send rates are capped", "booking requests are reviewed": a verb-looking word and the noun
    after it are one noun phrase when an auxiliary follows and nothing before made the word a verb."""
    if tokens[i][0].endswith("ing") and _SINGULAR_AUX.match(rest):
        return False  # "approving expenses is the manager's job": a gerund phrase, its verb acts on the noun
    return bool(_AUX_AFTER.match(rest)) and (i == 0 or tokens[i - 1][0] not in _LEADS_A_VERB)


def verb_kind(verb: str) -> str:
    """create | transition | read for a known verb; a verb only the sentence shape revealed
    ("drop off", "unblind") changes the state of the thing it acts on."""
    if verb in VERBS:
        return VERBS[verb]
    return "read" if VERBS.get(verb.split("_", 1)[0]) == "read" or verb == "look_up" else "transition"


def _after_coordinated_verbs(tokens: list[tuple[str, int, int]], j: int, text: str) -> int:
    """Where a verb's object starts when more verbs share it: "approve or reject requests",
    "hold/confirm seats" -> the index of "requests" / "seats"."""
    while j + 1 < len(tokens):
        word, start, _ = tokens[j]
        joined = text[tokens[j - 1][2]:start].strip()
        if word in ("and", "or") and not joined and base_verb(tokens[j + 1][0]):
            j += 2
        elif joined == "/" and base_verb(word):
            j += 1
        else:
            break
    return j


def _requested(tokens: list[tuple[str, int, int]], j: int, text: str) -> tuple[str, int]:
    """"approve or reject requests": a request someone decides on is a thing kept, not traffic."""
    for k in range(j, min(j + 3, len(tokens))):
        word, _, end = tokens[k]
        if word in ("request", "requests"):
            return word, end
        if word not in _DETERMINERS:
            break
    return "", 0


def _object(tokens: list[tuple[str, int, int]], j: int, text: str) -> tuple[str, int]:
    """The noun after a verb, skipping determiners, within the same clause."""
    for k in range(j, min(j + 4, len(tokens))):
        word, start, end = tokens[k]
        between = text[tokens[k - 1][2]:start]
        if re.search(r"[.;:!?,()]", between) or _LINE_BREAK.search(between):
            return "", 0
        if word in _DETERMINERS:
            continue
        if not is_thing(word):
            if describes(word, is_thing) and k + 1 < len(tokens) and is_thing(tokens[k + 1][0]) \
                    and not text[end:tokens[k + 1][1]].strip():
                continue  # "an authorised adult": the participle qualifies the noun after it
            return "", 0
        return _compound_head(tokens, k, text)
    return "", 0


# A break between two lines that is more than a wrapped sentence: a blank line or a list item.
_LINE_BREAK = re.compile(r"\n\s*\n|\n\s*(?:[-*\u2022]|\d+[.)])\s")


# Words that name a property of the thing before them ("bed status", "reviewer names").
_ATTRIBUTES = frozenset("status statuses name names text texts title titles date dates details detail info information "
                        "history histories list lists level levels position positions location locations id ids code "
                        "codes type types value values score scores count counts balance balances price prices "
                        "address addresses photo photos image images page pages profile profiles data".split())


def _compound_head(tokens: list[tuple[str, int, int]], k: int, text: str) -> tuple[str, int]:
    """The last noun of a compound ("a temperature reading" -> reading, "a nearby car" -> car):
    the head names the thing, the words before it qualify it. Coordinated qualifiers share
    the head after them ("spin and yoga classes" -> classes)."""
    shared = _shared_head(tokens, k, text)
    if shared:
        k = shared
    word, _, end = tokens[k]
    for n in range(k + 1, min(k + 3, len(tokens))):
        nxt, start, nxt_end = tokens[n]
        if re.search(r"[^\s]", text[tokens[n - 1][2]:start]) or not is_thing(nxt) or (base_verb(nxt) and not nxt.endswith("ing")) or nxt in _ATTRIBUTES \
                or nxt in GENERIC_PEOPLE or (nxt.endswith("s") and n + 1 < len(tokens) and tokens[n + 1][0] in _DETERMINERS) \
                or (_plural(word) and _plural(nxt) and not text[tokens[n - 1][1]:tokens[n - 1][2]].isupper()):
            break  # "exporting invoices happens nightly": two plurals in a row are a noun and its verb
        word, end = nxt, nxt_end
    return word, end


def _plural(word: str) -> bool:
    """A plural by its form (an acronym such as "HTTPS" is checked by the caller)."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _shared_head(tokens: list[tuple[str, int, int]], k: int, text: str) -> int:
    """The index of the plural head two singular qualifiers share ("spin and yoga classes"),
    or 0. A plural first word is a thing of its own ("flights and hotels")."""
    if k + 3 >= len(tokens) or tokens[k][0].endswith("s") or tokens[k + 1][0] not in ("and", "or"):
        return 0
    second, head = tokens[k + 2][0], tokens[k + 3]
    if re.search(r"[^\s]", text[tokens[k][2]:tokens[k + 3][1]].replace(tokens[k + 1][0], "").replace(second, "")):
        return 0
    if second.endswith("s") or not head[0].endswith("s") or head[0].endswith("ss") or not is_thing(head[0]) or not is_thing(second):
        return 0
    return k + 3


# People nouns too generic to be a table of their own ("users" live in the identity store).
GENERIC_PEOPLE = frozenset("users user people person persons customers customer clients client accounts account "
                           "members member staff dau mau visitors visitor end-users".split())


def entities(actions: tuple[Action, ...], counted: tuple[str, ...], subjects: tuple[str, ...],
             head: str = "", rule_subjects: tuple[str, ...] = (), text: str = "",
             people: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Entities by the roles the text gives them: acted on, counted, a rate's subject, kept,
    sized or given parts ("trip records are kept 7 years", "a ping is ~120 bytes"), obliged to be
    acted on ("cover has to be arranged"), owning or
    scoping something, or simply named again and again; the head noun of the system's name
    ("a game leaderboard") counts once. Not entities: a name the writer
    capitalises (a product or provider), a measure word, a word that only ever qualifies
    another ("annual members"), and a person's role (`people`) the text counts or lets act but
    never acts on, keeps or owns things through ("200k players submit runs")."""
    mentions = noun_mentions(text) if text else {}
    roles = noun_roles(text) if text else NounRoles({}, {}, frozenset(), frozenset(), {})
    acted_on = {a.entity for a in actions}
    # a person is kept when an operation acts on them ("assign a driver") or is their own ("riders
    # tap in"), not when a phrasal verb only says they arrive ("~2M fans show up")
    people_acted_on = {a.entity for a in actions if a.verb not in _ARRIVING}
    # a role that only acts ("hosts create listings", "guests search") ranks below what is acted on
    actors = {a for a in acting_nouns(text) if a not in acted_on} if text else set()
    frequent = tuple(n for n, c in mentions.items() if c >= _FREQUENT and not base_verb(n))
    obliged = roles.obliged or {}
    kept = {entity_names(r)[0] for r in rule_subjects} | {entity_names(n)[0] for n in roles.stored} \
        | {entity_names(n)[0] for n in obliged}
    owners = {entity_names(n)[0] for n in roles.owners}
    # "Buyers run roughly 20 searches per session": the noun of a read is traffic, not a thing kept,
    # unless the text keeps it or does more to it than perform it ("users save searches")
    kept_acts = {a.entity for a in actions if a.verb.split("_", 1)[0] not in _PERFORMING}
    reads_only = {e for e in (a.entity for a in actions) if _is_read_act(e)} | \
        {entity_names(n)[0] for n in counted + subjects if _is_read_act(entity_names(n)[0])}
    reads_only -= kept | kept_acts
    roles_of_people = {entity_names(p)[0] for p in people}
    score: dict[str, int] = {}
    order: list[str] = []
    # what flows through the system per period ("25k tickets a day") is what it keeps, like what it acts on
    named = [(a.entity, 2) for a in actions] + [(c, 1) for c in counted] + [(s, 2) for s in subjects] \
        + [(r, 2) for r in rule_subjects] + [(n, 1) for n in frequent] \
        + [(n, min(c, 2) * 2) for n, c in roles.stored.items()] + [(n, min(c, 2)) for n, c in roles.scoped.items()] \
        + [(n, 2) for n in obliged]
    # a word that is a measure in the singular ("a share of traffic") is a thing kept when the text
    # acts on its plural ("members buy shares", "sell shares to another member")
    counted_plurals = {a.entity for a in actions if entity_names(a.entity)[1] in a.phrase.lower().split()
                       and is_thing(entity_names(a.entity)[1])}
    # a participle has no plural: "50 runs a week" counts runs, a thing ("run" alone reads as a verb form)
    counted_plurals |= {n for n in counted + subjects if n != entity_names(n)[0] and is_thing(n)
                        and entity_names(n)[0] in _IRREGULAR_PARTICIPLES}
    if head:  # the system's own name ranks only when the text names nothing else
        named.append((head, 0))
    unfiltered: list[str] = []
    for name, weight in named:
        singular, _ = entity_names(name)
        if name in GENERIC_PEOPLE or text_word(singular) in GENERIC_PEOPLE:
            continue
        if (not is_thing(name) or not is_thing(singular)) and name not in counted_plurals:
            continue
        if singular not in unfiltered:
            unfiltered.append(singular)
        held = (acted_on if singular not in roles_of_people else people_acted_on) | kept
        if singular in reads_only or not _may_be_kept(singular, text, roles, held, owners, roles_of_people, kept) \
                or (weight == 0 and len(named) > 1):
            continue
        if singular not in score:
            order.append(singular)
        score[singular] = score.get(singular, 0) + weight
    if not order:  # nothing passed: the words the text gave are still all it says it is about
        return tuple(unfiltered)
    return tuple(sorted(order, key=lambda e: (-score[e] - min(mentions.get(e, 0), _FREQUENT) + (_ACTOR_PENALTY if e in actors else 0),
                                              order.index(e))))


# Nouns that name an act of reading (a search, a view, a download), and verbs that only perform an
# act ("run a search", "do a lookup"): a read performed is traffic the capacity plan counts.
_READ_ACTS = frozenset("search view query lookup download fetch browse pageview".split())
_PERFORMING = frozenset("run perform do execute conduct make fire issue".split())


def _is_read_act(singular: str) -> bool:
    return text_word(singular) in _READ_ACTS


def _may_be_kept(singular: str, text: str, roles: NounRoles, held: set[str], owners: set[str],
                 people: set[str], kept: set[str] = frozenset()) -> bool:
    """Whether a candidate can name a thing kept: never a capitalised name or a measure word; a
    person's role or a word that only qualifies another only when the text acts on it, states a
    rule about it, keeps it or (a role) owns something through it."""
    word = text_word(singular)
    if word in roles.proper or word in MEASURE_WORDS or singular in MEASURE_WORDS:
        return False
    if text and singular not in kept and (base_verb(word) or word in NOT_OPERATIONS or word in _VERB_ONLY
                                          or word.endswith("ing")) \
            and not used_as_noun(word, text):
        return False  # "Records stay for 8 years", "both people get a push": a verb, never a noun here
    if singular in held:
        return True
    if singular in people:
        return singular in owners
    return not (text and modifier_only(word, text))


# Verbs no closed list above holds that a misread sentence puts in a noun's place ("when a match
# ends", "Records stay for 8 years"); each is a thing only where the text uses it as a noun.
_VERB_ONLY = frozenset("end ends stay go come get become remain happen occur arrive leave begin finish fail succeed".split())


# Phrasal verbs that say someone arrives or gives up, never an operation on them.
_ARRIVING = frozenset("show_up turn_up end_up come_in come_back give_up wake_up sit_down".split())


# How far a noun that only ever acts falls behind the things acted on.
_ACTOR_PENALTY = 4
_ACTOR = re.compile(r"\b([a-z][a-z\-]{2,})\s+(?:can\s+|may\s+|must\s+|will\s+|should\s+|then\s+|also\s+|only\s+)?([a-z]+)\b", re.I)


def acting_nouns(text: str) -> set[str]:
    """Nouns written as the doer of an action verb ("hosts create listings", "a rider
    unlocks a bike", "the picker scans ..."): roles, singular."""
    out = set()
    for m in _ACTOR.finditer(text):
        noun, verb = m.group(1).lower(), m.group(2).lower()
        if not is_thing(noun) or base_verb(noun) or noun.endswith("ing"):
            continue
        base = base_verb(verb)
        if base and VERBS[base] != "read" and (verb == base or verb == base + "s" or verb == base + "es"):
            out.add(entity_names(noun)[0])
    return out


def of_filed_request(actions: tuple[Action, ...], filed: tuple[str, ...]) -> tuple[Action, ...]:
    """"accept or decline a request" in a text that files one kind of request ("stay
    requests") acts on that kind: the action names the entity that is kept."""
    if len(filed) != 1:
        return actions
    kind = filed[0]
    return tuple(Action(a.verb, a.kind, kind, a.phrase) if a.entity == "request" else a for a in actions)


# How often a noun must recur to be an entity although no verb acts on it.
_FREQUENT = 3


def noun_mentions(text: str) -> dict[str, int]:
    """How many times each word that can name a kept thing occurs (singular and plural as
    one). A word that is also a verb ("holds") counts here, but only ranks a thing some verb
    already acts on: the caller never makes it an entity from its count alone."""
    counts: dict[str, int] = {}
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if not is_thing(w) or w in GENERIC_PEOPLE or w in _ATTRIBUTES or w.endswith("ing") or "-" in w:
            continue
        singular, _ = entity_names(w)
        counts[singular] = counts.get(singular, 0) + 1
    return counts


_NOT_HEADS = {"service", "services", "system", "systems", "app", "application", "platform", "api", "backend", "tool",
              "solution", "product", "website", "site", "server", "engine", "svc", "saas", "portal", "project",
              "module", "microservice", "thing", "mvp", "prototype", "phase", "version", "v1", "v2"}


def head_noun(title: str) -> str:
    """The noun a system is named after: "game leaderboard" -> "leaderboard",
    "ride-hailing dispatch service" -> "dispatch"."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z\-]*", title)]
    words = [w for w in words if w not in _DETERMINERS and w not in _NOT_OBJECTS]
    while words and words[-1] in _NOT_HEADS:
        words.pop()
    return words[-1] if words and not base_verb(words[-1]) else ""


_SUBJECT = re.compile(r"\b([a-z][a-z\-]{2,})\s+(?:are|is|must|can't|cannot|can|should|may|never|will|get)\b", re.I)


_PREPOSITIONS = frozenset("on in at of per for with by from to into onto within under over".split())


def invariant_subjects(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The things hard rules are about ("invoices are immutable" -> invoices): the noun
    right before the verb of each invariant's sentence."""
    out = []
    for phrase in phrases:
        for m in _SUBJECT.finditer(phrase):
            word = m.group(1).lower()
            before = phrase[:m.start()].split()
            if before and before[-1].lower() in _PREPOSITIONS:
                break  # "quantity on hand can't go below zero": the noun ends a prepositional phrase
            if re.search(r"\bas\s+(?:of|at)\s+(?:\w+\s+){0,2}$", phrase[:m.start()], re.I):
                break  # "the cap table as of any past date must be reproducible": a point in time, not a thing
            if word not in _NOT_OBJECTS and word not in _DETERMINERS and not base_verb(word) and word not in GENERIC_PEOPLE \
                    and word not in ("data", "it", "that", "which", "there", "nothing", "everything", "one", "nobody"):
                out.append(word)
                break
    return tuple(out)


def noun_of_gerund(head: str, text: str) -> str:
    """'invoicing' -> 'invoices' when the text also uses the noun; else the head as is."""
    if not head.endswith("ing") or len(head) < 6:
        return head
    stem = head[:-3]
    for candidate in (stem + "es", stem + "s", stem + "e", stem + "e" + "s"):
        if re.search(rf"\b{re.escape(candidate)}\b", text, re.I):
            return candidate
    return head


# "time-off requests", "access requests": a request someone files and someone decides on.
# Words that make "requests" traffic instead ("API requests", "read requests").
_TRAFFIC_WORDS = frozenset("http https api web read write search incoming outgoing concurrent total peak average daily "
                           "user client server network rpc grpc rest page ajax inbound outbound backend frontend "
                           "database query lookup get post put delete".split())
_SCALE_WORDS = frozenset("thousand thousands million millions billion billions k m bn".split())
_FILED_REQUEST = re.compile(r"(?<![\d.,])\b([a-z][a-z\-]{2,})\s+requests?\b", re.I)


def filed_requests(text: str) -> tuple[str, ...]:
    """Kinds of request people file ("time-off requests" -> "time_off_request"): a noun
    before "request(s)" that does not make it traffic and is not a number's unit."""
    out = []
    for m in _FILED_REQUEST.finditer(text):
        word = m.group(1).lower()
        if word in _TRAFFIC_WORDS or not is_thing(word) or base_verb(word) or word in _SCALE_WORDS \
                or _request_is_the_verb(word, text[m.end():]):
            continue
        out.append(f"{word.replace('-', '_')}_request")
    return tuple(dict.fromkeys(out))


_OBJECT_START = re.compile(r"\s+(?:a|an|the|their|his|her|its|our|your|my|some|one|more|new)\b"
                           r"(?!\s+(?:day|week|month|year|hour|minute|second|night|quarter|term)s?\b)", re.I)  # not "3,000 stay requests a day"


def _request_is_the_verb(word: str, rest: str) -> bool:
    """"Riders request trips", "a customer requests a refund": English qualifies a noun with a
    singular ("time-off requests"), so a plural before "request", or a determiner right after it,
    makes "request" the verb of a sentence, not a kind of request filed."""
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return plural or bool(_OBJECT_START.match(rest))


_NEXT_WORD = re.compile(r" ([a-z][a-z\-]*)\b", re.I)


def counted_head(text: str, word: str, end: int) -> str:
    """The noun a count is of, read to the end of its phrase: "90k annual members" -> members,
    "450 docking stations" -> stations, "~400 cold-storage trucks" -> trucks (`word` is the
    first word after the number, ending at `end`). A count written into a compound
    ("a 12-person shop") qualifies the noun after it and counts nothing of the system."""
    if not word or text[end - len(word) - 1:end - len(word)] == "-":
        return ""
    for _ in range(2):
        m = _NEXT_WORD.match(text, end)
        if not m:
            break
        nxt = m.group(1).lower()
        if not is_thing(nxt) or base_verb(nxt) or nxt.endswith("ing") or nxt in _ATTRIBUTES:
            break  # "600 photos totalling 2 GB": a participle starts a phrase of its own
        word, end = nxt, m.end()
    return word
