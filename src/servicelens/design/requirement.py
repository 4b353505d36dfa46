"""Plain English -> `Requirement`, without an LLM.

Domains come from keyword hits in the catalogue, numbers from `measures` and `rates`,
consistency and compliance from key phrases. Only what the user wrote lands here;
defaults are added later, as explicit assumptions.
"""
from __future__ import annotations

import re

from servicelens.design.catalog import Catalog, domain_spec
from servicelens.design.contradictions import find_contradictions
from servicelens.design.measures import extract, flags, with_text_people
from servicelens.design.characteristics import find_constraints, find_invariants, named_workloads
from servicelens.design.interface_standards import interface_standards
from servicelens.design.shape_blocks import find_shape_blocks, fleet_blocks, provider_blocks
from servicelens.design.entities import entities as text_entities
from servicelens.design.entities import (GENERIC_PEOPLE, find_actions, head_noun, invariant_subjects, is_thing, noun_of_gerund,
                                         of_filed_request)
from servicelens.design.entities import VERBS, counted_head, filed_requests
from servicelens.design.entity_roles import modifier_only
from servicelens.design.figures import concurrency, counted_noun, understood
from servicelens.design.intervals import interval_rates
from servicelens.design.lifecycle import lifecycles
from servicelens.design.lifecycle_spec import lifecycle_invariants
from servicelens.design.form_actions import form_actions
from servicelens.design.invariant_shapes import find_shapes, shaped_invariants, unaddressed
from servicelens.design.rates import rates_by_start
from servicelens.design.staff_sign_in import without_named_login
from servicelens.design.stream_peaks import split_peaks
from servicelens.design.identifiers import entity_names
from servicelens.design.synthesis import SYSTEM, title_phrase
from servicelens.design.text import has_phrase, is_money, normalise, numbers, only_as_verb, without_speakers
from servicelens.design.text_guard import check_numbers, check_raw, well_formed
from servicelens.model.design import Invariant, Requirement

_ENTITY_RE = re.compile(
    r"\b(?:manage|managing|store|storing|track|tracking|crud\s+(?:for|of|on)|(?:rest\s+)?api\s+(?:for|to\s+manage|to\s+store|to\s+track)|"
    r"endpoints?\s+(?:for|to\s+manage)|service\s+(?:for|to\s+manage)|backend\s+for|resources?\s+(?:for|called))\s+"
    r"(?:the\s+|our\s+|their\s+|user\s+|customer\s+|all\s+|a\s+list\s+of\s+)?([a-z][a-z_]{2,30})\b",
    re.I,
)
_NOT_ENTITIES = {"data", "things", "stuff", "information", "requests", "traffic", "endpoint",
                 "endpoints", "api", "apis", "service", "services", "high", "lots", "many",
                 "the", "it", "them", "everything", "a", "an", "system", "app", "users"}


def detect_domains(text: str, catalog: Catalog) -> tuple[str, ...]:
    """Domains by keyword hits, best first; ties keep catalogue order (specific first)."""
    scores = []
    for index, (name, spec) in enumerate(catalog.domains.items()):
        if spec.get("fallback"):
            continue
        hits = sum(1 for kw in spec["keywords"] if has_phrase(text, [kw]))
        if hits:
            scores.append((-hits, index, name))
    # A second domain needs two of its keywords: one side word ("password resets" in an
    # email service) does not make the system an authentication service.
    ranked = sorted(scores)
    ordered = [name for hits, _, name in ranked if name == ranked[0][2] or -hits >= 2]
    if not ordered:
        return ()
    subsumed = set()
    for name in ordered:
        if name not in subsumed:
            subsumed.update(catalog.domains[name].get("subsumes", ()))
    return tuple(n for n in ordered if n not in subsumed)


def detect_entity(text: str) -> str:
    """The resource a generic CRUD requirement is about ("manage invoices" -> invoices)."""
    for m in _ENTITY_RE.finditer(text):
        word = m.group(1).lower()
        if word not in _NOT_ENTITIES and is_thing(word):
            if word.endswith("ies"):
                return word[:-3] + "ys" if word[-4] in "aeiou" else word
            return word
    return ""


# "Multi-tenant expense-management SaaS", "an inventory management tool": the system is named after
# the thing it manages
_MANAGED = re.compile(r"\b([a-z][a-z]{2,30})[\s-]+management\b", re.I)


def managed_noun(opening: str) -> str:
    """The thing a system named "<noun> management" manages, from the words that say what the
    system is (the opening), or ''."""
    m = _MANAGED.search(opening)
    word = m.group(1).lower() if m else ""
    return word if word and word not in _NOT_ENTITIES and is_thing(word) and word not in GENERIC_PEOPLE else ""


def parse_requirement(raw: str, catalog: Catalog) -> Requirement:
    """Parse free text. Raises `UnreadableText` only for text that cannot be read safely
    (too long, absurd or negative figures); an empty result is judged by the caller."""
    check_raw(raw)
    shown = well_formed(raw)
    raw = without_speakers(shown)
    text = normalise(raw)
    vocab = with_text_people(catalog.vocabulary, text)
    nums = numbers(text)
    check_numbers(text, nums)
    measures = extract(text, nums, vocab)
    by_start = rates_by_start(text, nums, measures, vocab)
    intervals = interval_rates(text, nums, set(measures.used) | set(by_start),
                               frozenset(start for start, field in measures.roles if field.endswith("_users")))
    by_start.update(intervals)
    rates, paired_peak = split_peaks(tuple(by_start[k] for k in sorted(by_start)))
    domains = detect_domains(text, catalog)
    entity = detect_entity(text) or managed_noun(_opening(raw))
    actions = of_filed_request(form_actions(text, find_actions(text)), filed_requests(text))
    counted = tuple(w for w in (_counted(text, n) for n in nums if n.start not in measures.used and n.start not in by_start
                                and not is_money(text, n.start, n.end)) if w)
    subjects = tuple(r.subject.split()[-1] for r in rates if r.subject and r.subject.split()[-1] not in vocab["total_words"]
                     and re.fullmatch(r"[A-Za-z][A-Za-z\-]*", r.subject.split()[-1]))
    rules = shaped_invariants(text, find_invariants(text, catalog.characteristics), catalog.characteristics)
    shape_subjects = tuple(s.subject for s in find_shapes(text) if s.subject and s.kind in _SUBJECT_SHAPES)
    own_entities = text_entities(actions, counted, subjects, noun_of_gerund(head_noun(title_phrase(raw)), text),
                                 invariant_subjects(tuple(i.phrase for i in rules)) + shape_subjects + filed_requests(text), text,
                                 frozenset(vocab["user_nouns"]))
    if entity and (entity.lower() in GENERIC_PEOPLE or modifier_only(entity.lower(), text)):
        entity = ""  # "a backend for a dating app": the word qualifies the system, it names no resource
    if entity:
        lead = entity_names(entity)[0]
        own_entities = (lead,) + tuple(e for e in own_entities if e != lead)
    invariants = _one_cutoff(rules, lifecycle_invariants(
        text, lifecycles(text, _first_entities(own_entities), tuple(a.op_id for a in actions)),
        {i.kind for i in rules}, catalog.characteristics.get("invariants", {})))
    if domains or len(own_entities) > 1 or actions or not entity:
        domains = _with_system(domains, own_entities, catalog, _opening(raw), {i.kind for i in rules}, text,
                               tuple(a.op_id for a in actions))
    if not domains and entity:
        domains = ("crud",)
    entities: list[str] = list(own_entities) if domains and domains[0] == SYSTEM else []
    operations: list[str] = []
    for d in (x for x in domains if x != SYSTEM):
        spec = domain_spec(catalog, d, entity)
        entities.extend(t["name"] for t in spec["tables"] if t["name"] not in entities)
        operations.extend(op["id"] for op in spec["operations"])
    consistency, compliance, traffic = flags(text, vocab)
    if not consistency and "payments" in domains and has_phrase(text, ["double charge", "charged twice"]):
        consistency = "exactly-once"
    v = measures.values
    constraints = find_constraints(text, catalog.characteristics) + interface_standards(text, catalog.characteristics)
    shapes = without_named_login(find_shape_blocks(text, invariants), constraints)
    req = Requirement(
        text=" ".join(shown.split()), domains=domains, entities=tuple(entities),
        operations=tuple(operations), rates=rates,
        total_users=v.get("total_users"), daily_active_users=v.get("daily_active_users"),
        monthly_active_users=v.get("monthly_active_users"),
        daily_active_fraction=v.get("daily_active_fraction"),
        read_write_ratio=v.get("read_write_ratio"), peak_factor=v.get("peak_factor") or paired_peak,
        record_bytes=v.get("record_bytes"), media_bytes=v.get("media_bytes"),
        media_fraction=v.get("media_fraction"), retention=v.get("retention"),
        latency_p99_ms=v.get("latency_p99_ms"), latency_p50_ms=v.get("latency_p50_ms"),
        availability_pct=v.get("availability_pct"), fanout=v.get("fanout"),
        query_chars=v.get("query_chars"), stream_bitrate=v.get("stream_bitrate"), consistency=consistency,
        compliance=compliance, traffic_hint=traffic,
        invariants=invariants,
        unaddressed=unaddressed(text, invariants, constraints),
        constraints=constraints,
        actions=tuple(a.op_id for a in actions),
        workloads=_one_time_series(named_workloads(text, catalog.characteristics) + shapes
                                   + provider_blocks(shapes, constraints)
                                   + fleet_blocks(text, nums, intervals, vocab["user_nouns"])),
    )
    figures = understood(text, nums, measures, by_start, _USED_FIELDS)
    from dataclasses import replace
    req = replace(req, figures=figures, concurrent_connections=concurrency(figures))
    return _with_contradictions(req, measures.duplicates)


def _counted(text: str, n) -> str:
    """The head noun a bare number counts ("90k annual members" -> members), or ''."""
    word = counted_noun(text, n)
    if not word or text[n.start - 1:n.start] == ":" or re.match(r":\d\d", text[n.end:n.end + 3]):
        return ""  # "10:00 sharp": a time of day counts nothing
    at = text.lower().find(word, n.end)
    return counted_head(text, word, at + len(word)) if at >= 0 else ""


def _one_time_series(workloads: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """A fleet's kept reports are the time series the text already named ("telemetry"): one store, not two."""
    if any(kind == "time_series" for kind, _ in workloads):
        return tuple(w for w in workloads if w[0] != "fleet_history")
    return workloads


# Shapes whose subject is a thing the system stores ("a slot takes max 10 orders": slots).
_SUBJECT_SHAPES = frozenset({"capacity-limit", "expiry", "exactly-once-effect", "no-double-sell"})


# Requirement fields the workload reads (a stated figure for one of them is "used").
_USED_FIELDS = frozenset({"total_users", "daily_active_users", "monthly_active_users", "daily_active_fraction",
                          "read_write_ratio", "peak_factor", "record_bytes", "media_bytes", "media_fraction",
                          "retention", "latency_p99_ms", "availability_pct", "fanout", "query_chars",
                          "stream_bitrate"})


# Invariants every design keeps with its ordinary parts (they never decide who leads).
_ANY_DOMAIN_KEEPS = {"audit", "strong-read", "tenant-isolation", "residency", "ownership", "uniqueness", "exactly-once-effect",
                     "at-least-once", "alert-deadline", "propagation-deadline", "retention-lock", "isolation",
                     "retention", "authorization", "degraded-mode", "content-redaction", "derived-recompute",
                     "point-in-time-restore"}


def _first_entities(names: tuple[str, ...]) -> tuple[str, ...]:
    """The entities the design will keep as tables (the same cut as the synthesis)."""
    from servicelens.design.synthesis import MAX_ENTITIES
    return tuple(dict.fromkeys(entity_names(n)[0] for n in names))[:MAX_ENTITIES]


def _opening(raw: str, words: int = 12) -> str:
    """The first words of the first sentence: where a text says what the system is."""
    first = re.split(r"(?<!\d)[.;:!?\n]", raw.strip(), maxsplit=1)[0]
    return " ".join(first.split()[:words])


def _with_system(domains: tuple[str, ...], own: tuple[str, ...], catalog: Catalog, title: str,
                 invariants: set[str] = frozenset(), text: str = "", actions: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A catalogued domain leads when the system is named after it ("URL shortener, ...")
    or its main entity is the text's; otherwise the text's own entities lead and a domain
    matched on a side word ("pay" in a concert-ticketing text) only adds its part. A domain
    named in the title does not lead either when the text acts on things of its own the
    domain does not keep ("residents report potholes with a photo; crews close reports":
    the photos are a part, the reports are the system)."""
    if not own:
        return domains
    if domains:
        lead = catalog.domains[domains[0]]
        known = set(lead.get("entities", ())) | {t["name"].rstrip("s") for t in lead.get("tables", ())}
        foreign = invariants - set(lead.get("models", ())) - _ANY_DOMAIN_KEEPS
        named = own[0] in known or own[0].rstrip("s") in known or any(has_phrase(title, [k]) and not only_as_verb(text or title, k)
                                                                        for k in lead.get("keywords", ()))
        kept = known | {k.rstrip("s") for k in lead.get("keywords", ())}  # "photo" of a media domain
        if named and not foreign and not _acts_on_own(actions, own, kept) and not _mostly_own(own, kept):
            return domains
    return (SYSTEM,) + tuple(d for d in domains if d != "crud" and _side_part_named(catalog.domains[d], text))


def _mostly_own(own: tuple[str, ...], known: set[str]) -> bool:
    """Most of the text's leading things (its three most referred-to) are kept by no part
    of the domain: "price alerts" over ticks and symbols is a system of its own that
    sends notifications, not a notification service."""
    lead = [e for e in own[:3] if e.rstrip("s") not in known and e not in known]
    return len(own) >= 3 and len(lead) >= 2


def _acts_on_own(actions: tuple[str, ...], own: tuple[str, ...], known: set[str]) -> bool:
    """Two or more of the text's actions act on one of its own things that the domain does not
    keep (one verb on a side thing does not move the lead)."""
    objects = [a.split("_", 1)[1] for a in actions if "_" in a]
    mine = {e.rstrip("s") for e in own} - {k.rstrip("s") for k in known}
    return any(objects.count(o) + objects.count(o + "s") >= 2 for o in {x.rstrip("s") for x in objects} if o in mine)


def _side_part_named(spec: dict, text: str) -> bool:
    """A catalogued domain that does not lead adds its part only when the text names it: two
    of its keywords, or one of the things it stores ("orders", "payment"). One shared word
    ("bookings" of rooms) does not bring a shop's orders and order items into the design."""
    if not text:
        return True
    hits = len({kw.lower().rstrip("s") for kw in spec["keywords"] if has_phrase(text, [kw])})  # "booking(s)" is one
    things = {n for t in spec.get("tables", ()) for n in entity_names(t["name"].rstrip("s"))} | set(spec.get("entities", ()))
    return hits >= 2 or any(re.search(rf"\b{re.escape(n.replace('_', ' '))}s?\b", text, re.I) and not only_as_verb(text, n)
                            for n in things)


def _with_contradictions(req: Requirement, duplicates) -> Requirement:
    from dataclasses import replace
    return replace(req, contradictions=find_contradictions(req, duplicates))


def is_meaningful(req: Requirement) -> bool:
    """A requirement we can design for names at least a domain, or things it keeps and
    something it does with them or a load it carries."""
    if not req.domains:
        return False
    if req.domains[0] != SYSTEM:
        return True
    people = any(q is not None for q in (req.total_users, req.daily_active_users, req.monthly_active_users))
    # a verb only the sentence shape revealed ("to rain in Lisbon") is no sign of a system by itself
    known_actions = any(a.split("_", 1)[0] in VERBS for a in req.actions)
    signals = bool(known_actions or req.rates or req.invariants or req.constraints or people or req.workloads
                   or len(req.domains) > 1)
    return signals or (bool(req.entities) and bool(_SYSTEM_WORDS.search(req.text)))


# Words that say a text is about software (a bare noun such as "rain" is not a system).
_SYSTEM_WORDS = re.compile(r"\b(?:service|system|app|application|api|apis|platform|backend|back-end|database|endpoint|"
                           r"endpoints|server|website|portal|dashboard|tool|workflow|pipeline|design|build|users?|"
                           r"customers?|requests?|store|stores|stored|tracking|booking|scheduling|management)\b", re.I)


def _one_cutoff(rules: tuple[Invariant, ...], cycles: tuple[Invariant, ...]) -> tuple[Invariant, ...]:
    """A cut-off found both by the sentence shape and by a life cycle is kept once: the life
    cycle's (it names the states the transition leaves) when it read the same verb, else the
    shape's (a life cycle that took a noun for the verb would guard a transition nobody calls)."""
    shaped = [i for i in rules if i.kind == "cutoff"]
    cycled = [i for i in cycles if i.kind == "cutoff"]
    if not shaped or not cycled:
        return rules + cycles
    verbs = {m.group(1) for i in shaped for m in [re.search(r"deadline check inside the (\S+) update", i.mechanism)] if m}
    if any(f"deadline check on {v} " in i.mechanism for i in cycled for v in verbs):
        return tuple(i for i in rules if i.kind != "cutoff") + cycles
    return rules + tuple(i for i in cycles if i.kind != "cutoff")

