"""Building blocks called for by what the text says the system handles, named with the
text's own words: files it keeps, an outside provider it pays or mails through, records
outside senders push, balances it must not overdraw, reminders it must send.

Each block is found as (id, argument) so that a spec can list it and a user can edit it
("object_storage: receipt photos"); `block` rebuilds the same block from that pair.
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.design.entities import GENERIC_PEOPLE, is_thing
from servicelens.design.ephemeral_state import EPHEMERAL_BLOCKS, ephemeral_block, find_ephemeral_state
from servicelens.design.file_blocks import FILE_BLOCKS, acted_files, file_block, find_file_blocks
from servicelens.design.staff_sign_in import STAFF_BLOCKS, find_staff_sign_in, staff_sign_in_block
from servicelens.design.flow_blocks import FLOW_BLOCKS, find_flow_blocks, flow_block
from servicelens.design.identifiers import entity_names, plural, snake_identifier
from servicelens.design.interaction_blocks import INTERACTION_BLOCKS, find_interaction_blocks, interaction_block
from servicelens.design.invariant_shapes import find_shapes, subject_of
from servicelens.design.text import Number, sentence_bounds
from servicelens.design.work_items import find_work, worker_block
from servicelens.model.design import Component, Constraint, Invariant, RateMention

SHAPE_BLOCKS = ("object_storage", "payment_provider", "message_provider", "idempotent_ingest", "balance_ledger",
                "reminders", "search_over", "scheduled_batch", "outbound_client", "ordered_log",
                "polled_cache", "worker_pool", "fleet_ingest", "fleet_history") + INTERACTION_BLOCKS + FILE_BLOCKS + FLOW_BLOCKS + EPHEMERAL_BLOCKS + STAFF_BLOCKS
_FILES = r"(?:photos?|images?|imagery|pictures?|videos?|files?|attachments?|scans?|pdfs?|recordings?|audio|avatars?|" \
         r"screenshots?|signed\s+contracts?|receipts?\s+images?|mp3s?|mp4s?|wav|jpe?gs?|pngs?|tiffs?|docx|raw\s+frames)"
_FILE_PHRASE = re.compile(rf"\b(?:(?P<qual>[a-z][a-z\-]{{2,}})\s+)?(?P<file>{_FILES})\b", re.I)
_NOT_QUALIFIERS = {"the", "a", "an", "and", "or", "of", "with", "their", "its", "our", "your", "any", "some", "large",
                   "small", "big", "include", "includes", "including", "upload", "uploads", "attach", "attached", "csv",
                   "batch", "nightly", "flat", "log", "config", "static", "drop", "to", "for", "by", "in", "on", "as",
                   "per", "each", "every", "from", "into", "at", "one"}
_NOT_FILE_CLAUSE = re.compile(r"\b(?:csv|sftp|batch|nightly|log\s+files?|config|static)\b", re.I)
_PROVIDER = re.compile(r"\b(?:via|through|using|with|by|on|over)\s+(?:[Aa]mazon\s+|AWS\s+|[Gg]oogle\s+|[Mm]icrosoft\s+)?"
                       r"(?P<name>[A-Z][A-Za-z0-9]+(?:\.[a-z]{2,4})?)\b")
_PAY_WORDS = re.compile(r"\b(?:pay|pays|paid|paying|payment|payments|checkout|charge|charged|card|cards|billing)\b", re.I)
_MAIL_WORDS = re.compile(r"\b(?:e-?mails?|mail|send|sends|sending|sms|texts?)\b", re.I)
_NOT_PROVIDERS = {"EU", "US", "UK", "SSO", "API", "APIs", "HTTP", "HTTPS", "REST", "JSON", "CSV", "SFTP", "MQTT", "The", "A",
                  "An", "Our", "We", "It", "I", "SAML", "OIDC", "GDPR", "PCI", "Okta", "Azure", "Google", "AD", "SQL",
                  "Kubernetes", "Postgres", "PostgreSQL", "MySQL", "Redis", "Kafka", "AWS", "GCP"}
_BALANCE_NOUNS = {"balance", "point", "credit", "stock", "quantity", "fund", "allowance", "quota", "budget", "wallet",
                  "inventory"}
# Money taken from a person, in one sentence: a charging verb and what it is charged for or by
# ("no-shows are charged a fee of 20 EUR via a card", "the farmer pays per engine hour").
_CHARGE_VERB = re.compile(r"\b(?:(?:is|are|gets?|get|be|been)\s+charged|pays|pay\s+(?:for|per|by|with)|paid\s+(?:by|with|per|for)|"
                          r"pays?\s+(?:a|an|the|their|my|our)\s+[a-z\-]+\s+(?:by|with|through)|"
                          r"billed|charges?\s+(?:a|the|their|his|her)\s+card)\b", re.I)
_CHARGE_OBJECT = re.compile(r"\b(?:cards?|fees?|fares?|prices?|deposits?|eur|usd|gbp|subscriptions?|per\s+(?:\w+\s+)?(?:hour|minute|day|ride|"
                            r"journey|trip|km|mile|use|session|night))\b|[\u20ac$\u00a3]\s?\d", re.I)
UNNAMED_PSP = "payment provider"


def _charged(text: str) -> bool:
    for m in _CHARGE_VERB.finditer(text):
        a, b = sentence_bounds(text, m.start())
        if _CHARGE_OBJECT.search(text, a, b):
            return True
    return False


_REMINDERS = re.compile(r"\b(?:remind|reminds|reminded|reminder|reminders|overdue|nudge|nudges|chase)\b|"
                        # "a text message 2 hours before my session": a message timed from an event
                        r"\b(?:texts?|sms|e-?mails?|messages?|notifications?|push|pings?)\b[^.;]{0,40}?"
                        r"\b(?:\d[\d.]*\s*(?:min\w*|hours?|h|days?|weeks?)|the\s+(?:day|evening|morning|night|week|hour))\s+"
                        r"(?:before|ahead\s+of|prior\s+to)\b", re.I)


def find_shape_blocks(text: str, invariants: tuple[Invariant, ...] = ()) -> tuple[tuple[str, str], ...]:
    """(block id, argument from the text) for every shape the text names, in a fixed order."""
    out: list[tuple[str, str]] = []
    files = _file_phrase(text) or acted_files(text)
    if files:
        out.append(("object_storage", files))
        out.extend(find_file_blocks(text, files, _FILE_PHRASE))
    for kind, words in (("payment_provider", _PAY_WORDS), ("message_provider", _MAIL_WORDS)):
        name = _provider(text, words)
        if name:
            out.append((kind, name))
    for shape in find_shapes(text):
        if shape.kind == "exactly-once-effect" and shape.source:
            out.append(("idempotent_ingest", f"{shape.subject} from {shape.source}"))
            break
    limited = [s.subject for s in find_shapes(text) if s.kind == "capacity-limit"]
    limited += [subject_of(i.phrase) for i in invariants if i.kind == "capacity-limit"]
    balance = next((s for s in limited if s in _BALANCE_NOUNS), "")
    if balance:
        out.append(("balance_ledger", balance))
    if _REMINDERS.search(text):
        out.append(("reminders", "reminders"))
    searched = _searched(text)
    if searched:
        out.append(("search_over", searched))
    batch = _periodic_batch(text)
    if batch:
        out.append(("scheduled_batch", batch))
    if not any(kind == "payment_provider" for kind, _ in out) and _charged(text):
        out.append(("payment_provider", UNNAMED_PSP))
    taken = {arg for kind, arg in out if kind in ("payment_provider", "message_provider")}
    outbound = next((n for n in _providers(text) + _outside_apis(text) if n not in taken), "")
    if outbound:
        out.append(("outbound_client", outbound))
    ordered = next((s.subject for s in find_shapes(text) if s.kind == "per-key-order" and s.subject), "")
    if ordered:
        out.append(("ordered_log", ordered))
    polled = _polled(text)
    if polled:
        out.append(("polled_cache", polled))
    work = find_work(text)
    if work:
        out.append(("worker_pool", work.thing or "job"))
    flows = tuple((kind, arg) for kind, arg in find_flow_blocks(text)
                  if not (kind == "money_ledger" and any(k == "balance_ledger" for k, _ in out)))
    return tuple(out) + find_interaction_blocks(text) + flows + find_ephemeral_state(text) + find_staff_sign_in(text)


def provider_blocks(found: tuple[tuple[str, str], ...], constraints: tuple[Constraint, ...]) -> tuple[tuple[str, str], ...]:
    """A payment provider named anywhere in a sentence about paying ("payment (Stripe, with 3-D
    Secure)") is integrated like one named after "via" or "through": the integration with its
    webhook handler and a reconciliation job against its reports."""
    if any(kind == "payment_provider" for kind, _ in found):
        return ()
    for con in constraints:
        if con.kind == "payment-provider" and _PAY_WORDS.search(con.phrase):
            return (("payment_provider", con.value if any(ch.isupper() for ch in con.value) else con.value.title()),)
    return ()


# "search any serial number", "look up their journey history", "browse the catalogue".
_SEARCH = re.compile(r"\b(?:search(?:es|ing)?|look(?:s|ing)?\s+up|browse[sd]?|browsing)\s+(?:for\s+|by\s+)?"
                     r"(?:the\s+|a\s+|an\s+|any\s+|all\s+|their\s+|our\s+|its\s+|his\s+|her\s+)?"
                     r"(?P<what>[a-z][a-z\-]{2,}(?:\s+[a-z][a-z\-]{2,})?)", re.I)
_VERB_AFTER_SEARCHED = frozenset("must should can could will would may might is are was were has have needs need returns "
                                  "return shall".split())
_NOT_SEARCHED = {"for", "by", "and", "or", "with", "in", "on", "the", "results", "result", "it", "them", "through", "across"}


def _searched(text: str) -> str:
    """What people search or look up, as the text names it ('' when nobody does)."""
    for m in _SEARCH.finditer(text):
        said = m.group("what").lower().split()
        cut = next((k for k, w in enumerate(said) if w in _VERB_AFTER_SEARCHED), len(said))
        words = [w for w in said[:cut] if w not in _NOT_SEARCHED]  # "search by ingredient must return ...": a verb ends it
        if words and not words[-1].endswith("ly"):
            return " ".join(words)
    return ""


# "on the 25th", "every night", "nightly", "updated hourly": work that runs on a calendar.
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|weekend)"
_PERIODIC = re.compile(r"\b(?:every\s+(?:night|day|morning|evening|week|month|hour|quarter|year)|nightly|hourly|daily|weekly|"
                       rf"(?:every|each|on)\s+{_WEEKDAY}s?|"
                       r"monthly|quarterly|once\s+a\s+(?:day|week|month)|at\s+midnight|end\s+of\s+(?:the\s+)?(?:day|month|year)|"
                       r"(?:month|quarter|year|week)[- ]end|"
                       r"on\s+the\s+\d{1,2}(?:st|nd|rd|th))\b", re.I)
_BATCH_VERB = re.compile(r"\b(?:run|runs|(?:re)?(?:comput|calculat)(?:e|es|ed)|updated?|refreshed?|recomputed?|generated?|aggregated?|"
                         r"rolled\s+up|produced?|closed?|settled?|billed?|exported?|sent|send|pays?|paid)\b", re.I)
# Something people receive on a calendar is produced by a batch: "they need a list of ...".
_DELIVERABLE = re.compile(r"\b(?:needs?|gets?|receives?|wants?|expects?|is\s+sent|are\s+sent)\s+(?:a|an|the|one)\s+"
                          r"(?:[a-z\-]+\s+)?(?P<what>list|report|summary|digest|export|file|statement|invoice|csv|spreadsheet|extract)s?\b"
                          r"(?:\s+of\s+(?:the\s+|all\s+)?(?P<of>[a-z][a-z\-]{2,}))?", re.I)
# A deliverable the period word itself qualifies ("a weekly report", "the nightly export", "monthly
# statements"): produced on that calendar whatever the sentence's verb is.
_PERIOD_DELIVERABLE = re.compile(r"\s+(?P<what>report|summary|digest|export|statement|invoice|extract|newsletter)s?\b", re.I)
_STATS = re.compile(r"\b(?:statistics|stats|counts|totals|reports?|aggregates|metrics|analytics|dashboards?|summaries)\b", re.I)


def _periodic_batch(text: str) -> str:
    """What runs on a calendar: the object of the sentence that names the period and a
    batch verb ("admins run the payroll on the 25th" -> "payroll")."""
    for m in _PERIODIC.finditer(text):
        a, b = _sentence_span(text, m.start())
        sentence = text[a:b]
        if not _BATCH_VERB.search(sentence):
            wanted = _DELIVERABLE.search(sentence)
            if wanted:  # "every morning drivers need a list of the machines below a quarter full"
                what = f"{wanted.group('what').lower()} of {wanted.group('of').lower()}" if wanted.group("of") else wanted.group("what").lower()
                period = _period_word(m.group(0))
                return f"{period} {what}" if period else what
            named = _PERIOD_DELIVERABLE.match(text, m.end())
            if named and _period_word(m.group(0)):  # "... and a weekly report": the period names work on a calendar
                return f"{_period_word(m.group(0))} {named.group('what').lower()}"
            continue
        obj = re.search(r"\b(?P<verb>run|runs|(?:re)?computes?|(?:re)?calculates?|closes?|settles?|bills?|exports?|sends?|pays?|generates?)\s+"
                        r"(?:the\s+|a\s+|an\s+|(?P<q>all|each|every)\s+|their\s+|our\s+)?(?:~?\d[\d,.]*\s+)?"
                        r"(?P<what>[a-z][a-z\-]{2,}(?:\s+[a-z][a-z\-]{2,}){0,2})(?P<of>'s\s+(?P<owned>[a-z][a-z\-]{2,}))?", sentence, re.I)
        if obj and obj.group("q") and obj.group("owned") and obj.group("verb").lower() not in _PAID:
            # "we compute each account's interest": one batch computes the interest over every account
            over = obj.group("what").lower().split()[-1]
            period = _period_word(m.group(0))
            return " ".join(w for w in (period, obj.group("owned").lower(), "over all", plural(over)) if w)
        words = [w for w in (obj.group("what").lower().split() if obj else ()) if not _PERIODIC.fullmatch(w)]
        cut = next((i for i, w in enumerate(words) if w in _CLAUSE_WORDS), len(words))
        words = words[:cut]
        if words and obj and obj.group("verb").lower() in _PAID:  # "pay each seller" runs a payout to sellers
            words = [_PAID[obj.group("verb").lower()]]
        period = _period_word(m.group(0))
        if words and period and period not in words:
            words = [period] + words
        while words and (words[-1] in _NOT_BATCH_OBJECTS or words[-1] in _NOT_SEARCHED):
            words.pop()
        words = [w for w in words if w not in _NOT_SEARCHED]
        if words:
            return " ".join(words[:2])
        stats = _STATS.search(sentence)
        if stats:
            return f"{stats.group(0).lower()} aggregation"
    return ""


# Words that end the object of a batch verb: "pay each seller what they earned" pays sellers.
_CLAUSE_WORDS = {"what", "who", "whom", "they", "them", "that", "which", "whose", "their", "his", "her", "minus", "plus", "by",
                 "to", "from", "with", "using", "via"}
_PAID = {"pay": "payout", "pays": "payout", "settle": "settlement", "settles": "settlement", "bill": "billing",
         "bills": "billing"}


def _period_word(found: str) -> str:
    """The adjective of a calendar phrase ("every Monday" -> "weekly", "on the 1st" -> "monthly")."""
    low = found.lower()
    if re.search(_WEEKDAY, low) or "week" in low:
        return "weekly"
    if re.search(r"month|\d(?:st|nd|rd|th)", low):
        return "monthly"
    if re.search(r"night|day|morning|evening|midnight", low):
        return "daily" if "night" not in low else "nightly"
    return {"hour": "hourly", "quarter": "quarterly", "year": "yearly"}.get(next((w for w in ("hour", "quarter", "year") if w in low), ""), "")


_NOT_BATCH_OBJECTS = {"week", "weeks", "day", "days", "month", "months", "year", "years", "hour", "hours", "night", "time",
                      "times", "minute", "minutes", "every", "each", "once", "twice", "per", "a", "up", "out", "on"}


def _sentence_span(text: str, pos: int) -> tuple[int, int]:
    from servicelens.design.text import sentence_bounds
    return sentence_bounds(text, pos)


# "apps poll every 15 minutes", "clients poll the status": the same read repeated on a timer.
_POLL = re.compile(r"\b(?P<what>[a-z][a-z\-]{2,})\s+(?:that|which)\s+(?:[a-z]+\s+){0,3}?poll|"
                   r"\bpoll(?:s|ed|ing)?\s+(?:the\s+|their\s+|our\s+|for\s+)?(?P<obj>[a-z][a-z\-]{2,})", re.I)


# "the signs show how many spaces are free, refreshed every 10 seconds": a display re-read on a timer.
_REFRESHED = re.compile(r"\b(?:refreshed|refreshes|reloaded|reloads|re-?read)\s+every\s+(?:\d+|few)", re.I)


def _polled(text: str) -> str:
    for m in _POLL.finditer(text):
        what = (m.group("what") or m.group("obj") or "").lower()
        if what and what not in _NOT_SEARCHED and what not in ("every", "each", "once", "twice"):
            return what
    for m in _REFRESHED.finditer(text):
        a, _ = sentence_bounds(text, m.start())
        things = [w for w in re.findall(r"[a-z][a-z\-]{2,}", text[a:m.start()].lower()) if is_thing(w) and w not in _NOT_SEARCHED]
        if things:
            return things[-1]
    return ""


_REPORTS = re.compile(r"\b(?:send|sends|sending|report|reports|reporting|ping|pings|post|posts|push|pushes|upload|uploads|"
                      r"emit|emits|transmit|transmits|beacon|beacons|heartbeats?|check\s+in|checks\s+in)\b", re.I)
_COUNTED_THINGS = re.compile(r"\s*(?:[a-z\-]+\s+){0,2}?(?P<noun>[a-z\-]{3,}s)\b", re.I)


def fleet_blocks(text: str, nums: tuple[Number, ...], intervals: dict[int, RateMention],
                 people: list[str]) -> tuple[tuple[str, str], ...]:
    """("fleet_ingest", thing) when things the text counts report on a timer ("2,000 vending
    machines ... a heartbeat once a minute", "650 docking stations; docks report their status
    every 30 seconds"); `intervals` are the interval rates keyed by their population's number.
    People on a timer are per-user traffic, not a fleet."""
    ends = {n.start: n.end for n in nums}
    for start, rate in sorted(intervals.items()):
        if rate.per_user or rate.peak or "(deadline)" in rate.subject or start not in ends:
            continue
        m = _COUNTED_THINGS.match(text, ends[start])
        noun = m.group("noun").lower() if m else ""
        if noun and noun not in people and noun not in GENERIC_PEOPLE and _REPORTS.search(rate.source):
            thing = entity_names(noun)[0].replace("_", " ")
            kept = _KEPT.search(text)
            return (("fleet_ingest", thing),) + ((("fleet_history", thing),) if kept else ())
    return ()


# The reports are kept, not only acted on: a keeping period, a history, or reads over time.
_KEPT = re.compile(r"\b(?:kept|keep|stored|store|retained|retain|archived)\b[^.;]{0,40}?\b(?:for\s+)?\d[\d.,]*\s*"
                   r"(?:days?|weeks?|months?|years?)\b|\b(?:history|historical|trends?|charts?|over\s+time|time\s+range)\b", re.I)


def block(block_id: str, argument: str) -> Block:
    """The block for a found (or spec-given) pair; `argument` is free text from the user."""
    arg = " ".join(re.sub(r"[^\w .&'/-]", " ", argument).split())[:60] or "items"
    trigger = f"{block_id.replace('_', ' ')}: {arg}"
    if block_id == "object_storage":
        ident = snake_identifier(arg)
        return Block(block_id, (Component(f"Object storage for {arg}", "files kept outside the database and uploaded "
                                          "with pre-signed URLs; the database keeps their metadata",
                                          "S3 / GCS / Azure Blob (pre-signed URLs, lifecycle rules)"),),
                     "files do not belong in database rows; object storage holds them cheaply and serves them directly",
                     trigger, ((f"upload_{ident}"[:40], "POST", f"/v1/{ident}_uploads"[:44],
                                f"Upload {arg} (returns a pre-signed URL to object storage)"),))
    if block_id == "payment_provider":
        ident = snake_identifier(arg)
        name = ("Payment provider (PSP) integration with webhook handler" if arg.lower() == UNNAMED_PSP
                else f"{arg} payment integration with webhook handler")
        return Block(block_id, (
            Component(name,
                      f"payments created at {arg} with an idempotency key per order; its webhooks verified by signature "
                      "and deduplicated by event id", f"{arg} API (idempotency keys) + webhooks"),
            Component(f"Reconciliation job against {arg}", f"matches orders and payments with {arg}'s settlement "
                      "reports and flags differences", "scheduled job")),
            "card data and payment state live at the provider; the service keeps orders consistent with what it reports",
            trigger, ((f"pay_with_{ident}", "POST", "/v1/payments", f"Pay with {arg}: create a payment (idempotency key per order)"),
                      (f"handle_{ident}_webhook", "POST", f"/v1/{ident}_webhooks",
                       f"Handle a {arg} webhook (signature-verified, dedup by event id)")))
    if block_id == "message_provider":
        ident = snake_identifier(arg)
        return Block(block_id, (
            Component(f"Send workers calling {arg} behind a queue", f"messages sent through {arg} off the request path, "
                      "with retries and per-account rate limits", f"queue + workers + {arg}"),
            Component(f"{arg} webhook handler for bounces and complaints", "bounces, complaints and deliveries update the "
                      "suppression list and the send log", "HTTPS endpoint + table")),
            "a provider sends the messages; the service queues them, limits their rate and listens to what happened",
            trigger, ((f"handle_{ident}_webhook", "POST", f"/v1/{ident}_webhooks",
                       f"Handle a {arg} webhook (bounce, complaint, delivered)"),))
    if block_id == "idempotent_ingest":
        what, _, source = arg.partition(" from ")
        thing, things = entity_names(what or "record")
        src, srcs = entity_names(source or "sender")
        return Block(block_id, (Component(f"Idempotent {thing.replace('_', ' ')} ingestion from {srcs.replace('_', ' ')}",
                                          f"accepts {things.replace('_', ' ')} in batches, keyed by ({src} id, "
                                          f"{thing} id) so a resent batch changes nothing; per-{src} credentials",
                                          "API + unique constraint"),),
                     "outside senders retry and resend; a natural key per record makes a replay harmless",
                     trigger, ((f"submit_{things}", "POST", f"/v1/{things}/batches",
                                f"Submit {things.replace('_', ' ')} from a {src} (idempotent by {src} id + {thing} id)"),))
    if block_id == "balance_ledger":
        thing, _ = entity_names(arg)
        words = thing.replace("_", " ")
        return Block(block_id, (Component(f"Append-only {words} ledger with balance projection",
                                          f"every change of a {words} is a ledger entry; the balance row is changed by a "
                                          "conditional update in the same transaction", "relational tables"),),
                     "a balance that must not go below zero is a counter row guarded by a conditional update, and its "
                     "history is the ledger", trigger, ((f"get_{thing}_balance", "GET", "/v1/balances/{id}",
                                                         f"Get the current {words} balance"),))
    if block_id == "reminders":
        return Block(block_id, (Component("Scheduled reminder job", "finds what is due or overdue and enqueues "
                                          "reminders (email/SMS) through the notifier", "scheduled job + queue"),),
                     "reminders must go out even when nobody opens the app; a scheduled scan of due dates sends them",
                     trigger)
    if block_id == "search_over":
        ident = snake_identifier(arg.split()[-1])
        _, plural = entity_names(ident)
        return Block(block_id, (Component(f"Search index over {arg}", f"lookups and searches over {arg} by any of its "
                                          "fields, fed from the database by change events", "PostgreSQL full-text / "
                                          "trigram index; OpenSearch when the data outgrows it"),),
                     "a search over several fields is what a search index answers; the database stays the source of truth",
                     trigger, ((f"search_{plural}"[:40], "GET", f"/v1/{plural}/search"[:44], f"Search {arg}"),))
    if block_id == "scheduled_batch":
        what, _, items = arg.partition(" over all ")
        if items:  # work done for each of many things is one run that walks them, never a job per thing
            item = items[:-1] if items.endswith("s") else items
            return Block(block_id, (Component(f"Scheduled {what} batch over all {items}, in checkpointed chunks",
                                              f"one run per period walks every {item} in chunks of ids (keyset pages), "
                                              f"writes each chunk in one transaction with its checkpoint, so a crashed run "
                                              f"resumes where it stopped; a unique key on ({item}, period) makes a rerun "
                                              "write nothing twice; parallel workers take disjoint id ranges to meet the "
                                              "window", "scheduler + chunked batch worker + checkpoint table"),),
                         f"work for each of many {items} on a calendar is one batch walking them in chunks: a scheduled "
                         f"task per {item} would multiply scheduler entries by the population and lose the single "
                         "checkpoint that makes a rerun safe", trigger)
        return Block(block_id, (Component(f"Scheduled {arg} job", f"runs the {arg} on its calendar as a batch, "
                                          "idempotent per period (a unique run key per period), resumable after a crash",
                                          "scheduler + batch job + run table"),),
                     "work that happens on a calendar must run even when nobody asks for it, exactly once per period",
                     trigger)
    if block_id == "outbound_client":
        return Block(block_id, (Component(f"Outbound {arg} client with timeouts, retries and a circuit breaker",
                                          f"calls {arg} off the request path with timeouts, retries with exponential "
                                          "backoff and jitter, and a circuit breaker", "HTTP client + queue"),),
                     "an outside system is slow or down at times; calls to it must time out, retry and never block users",
                     trigger)
    if block_id == "ordered_log":
        thing = arg.replace("_", " ")
        return Block(block_id, (Component(f"Log partitioned by {thing}", f"one partition (single writer) per {thing}, "
                                          f"so records of a {thing} are processed in the order received; a per-{thing} "
                                          "sequence number detects gaps", "partitioned log, or a per-key sequence "
                                          "column at small rates"),),
                     "order is kept per key by giving each key one ordered partition and one consumer at a time",
                     trigger)
    if block_id == "polled_cache":
        return Block(block_id, (Component(f"Cache for polled {arg}", f"the same {arg} read again and again on a timer is "
                                          "served from a cache (ETag / If-None-Match, CDN in front), rebuilt on change",
                                          "CDN + Redis"),),
                     "polling repeats the same read at a fixed rate; a conditional GET answered from a cache costs almost "
                     "nothing", trigger)
    if block_id == "fleet_ingest":
        return Block(block_id, (Component(f"Ingestion gateway for {arg} reports", f"accepts the periodic reports every {arg} "
                                          f"sends, in batches, idempotent by ({arg} id, sequence number) and acknowledged "
                                          f"once stored; the latest state per {arg} is kept apart from the history",
                                          "HTTPS / MQTT ingest + queue"),),
                     "many senders reporting on a timer are a steady write stream of their own: a gateway batches and "
                     "deduplicates it so the database sees few, idempotent writes", trigger)
    if block_id == "worker_pool":
        return worker_block(argument)
    if block_id == "fleet_history":
        return Block(block_id, (Component(f"Time-series store for {arg} reports", f"every {arg}'s periodic values, "
                                          f"partitioned by time and {arg} id; queries over time ranges; old partitions "
                                          "dropped when their keeping period ends", "TimescaleDB / ClickHouse / InfluxDB"),
                                Component(f"Rollup job for {arg} reports", "pre-aggregates raw points into coarser time "
                                          "buckets so long ranges stay cheap and raw data can expire early",
                                          "continuous aggregates / scheduled job")),
                     "periodic reports from many senders are a time series: append-only, read by time range, kept for a "
                     "period; a store partitioned by time with rollups keeps both cheap", trigger)
    if block_id in INTERACTION_BLOCKS:
        return interaction_block(block_id, argument)
    if block_id in FILE_BLOCKS:
        return file_block(block_id, argument)
    if block_id in FLOW_BLOCKS:
        return flow_block(block_id, argument)
    if block_id in EPHEMERAL_BLOCKS:
        return ephemeral_block(argument)
    if block_id in STAFF_BLOCKS:
        return staff_sign_in_block(argument)
    raise ValueError(f"unknown block {block_id!r}; known: {', '.join(SHAPE_BLOCKS)}")


_VERB_OBJECT = re.compile(r"\s+(?:their|the|a|an|our|its|his|her|my|your|them|each|every|it)\b", re.I)


def _file_phrase(text: str) -> str:
    for m in _FILE_PHRASE.finditer(text):
        clause = text[max(0, m.start() - 30):m.end() + 10]
        if _NOT_FILE_CLAUSE.search(clause) or _VERB_OBJECT.match(text, m.end()):
            continue  # "a picker scans each item's barcode": the word is a verb there
        qual = (m.group("qual") or "").lower()
        files = " ".join(m.group("file").lower().split())
        if qual and qual not in _NOT_QUALIFIERS and not qual.endswith("ly"):
            return f"{qual} {files}"
        return files
    return ""


_OUTBOUND_VERBS = re.compile(r"\b(?:sync|syncs|synced|call|calls|push|pushes|pushed|post|posts|export|exports|exported|"
                             r"integrate|integrates|integration|fetch|fetches|pull|pulls|import|imports|goes|go|sent|send|"
                             r"sends|forward|forwards|notify|notifies|report|reports|file|files|submit|submits)\b", re.I)


_IDENTITY_WORDS = re.compile(r"\b(?:sso|login|log\s+in|sign\s+in|signs\s+in|single\s+sign-on|identity|accounts?)\b", re.I)


def _providers(text: str) -> list[str]:
    """Outside systems the service talks to, named after via/through/to/with ("sync with
    Salesforce", "through DATEV"): a capitalised name next to a verb of exchange."""
    out = []
    for m in _PROVIDER.finditer(text):
        name = m.group("name")
        if name in _NOT_PROVIDERS or (name.isupper() and len(name) <= 2) or name in out:
            continue
        clause = text[max(0, m.start() - 60):m.end() + 20]
        if _OUTBOUND_VERBS.search(clause) and not _PAY_WORDS.search(clause) and not _MAIL_WORDS.search(clause) \
                and not _IDENTITY_WORDS.search(clause):
            out.append(name)
    return out


# "poll the carrier's tracking API", "call a third-party geocoding service": an interface that
# belongs to someone else (a possessive, an outside qualifier or a proper name before it).
_OUTSIDE_API = re.compile(
    r"\b(?:call|calls|calling|called|poll|polls|polling|polled|query|queries|querying|fetch\w*|pull\w*|hit|hits|use|uses|"
    r"using|via|through|from|against|with)\s+(?:the\s+|a\s+|an\s+|their\s+|each\s+|(?P<its>its\s+))?"
    r"(?P<name>(?:[\w-]+(?:'s)?\s+){0,3}?)(?:api|apis|web\s+service|service|endpoint)s?\b", re.I)
_OUTSIDE_WORDS = re.compile(r"'s\b|\b(?:third-party|third\s+party|external|partner|partners|vendor|vendors|government|"
                            r"national|public|upstream|legacy)\b", re.I)


def _outside_apis(text: str) -> list[str]:
    """Interfaces of outside systems the service calls, named as the text names them."""
    out = []
    for m in _OUTSIDE_API.finditer(text):
        name = " ".join(m.group("name").split())
        if not name and m.group("its"):
            name = _owner_before(text, m.start())  # "stock is owned by the WMS and we call its API"
        if re.match(r"(?i)(?:our|my)\s+\S+", name) and "'s" in name:
            name = name.split(None, 1)[1]  # "our accounting system's API": another system, run by the same company
        if not name or re.match(r"(?i)(?:our|my|own|this|internal)\b", name):
            continue
        if _OUTSIDE_WORDS.search(name) or any(w[:1].isupper() and w not in _NOT_PROVIDERS for w in name.split()):
            label = f"{name} {m.group(0).split()[-1]}"
            if label not in out:
                out.append(label)
    return out


def _owner_before(text: str, pos: int) -> str:
    """The outside system "its" stands for: the last proper name (a capitalised word that
    does not open the sentence) earlier in the same sentence."""
    a, _ = sentence_bounds(text, pos)
    names = [m.group(0) for m in re.finditer(r"(?<=[a-z,]\s)[A-Z][A-Za-z0-9]+\b", text[a:pos]) if m.group(0) not in _NOT_PROVIDERS]
    return names[-1] if names else ""


def _provider(text: str, words: re.Pattern[str]) -> str:
    for m in _PROVIDER.finditer(text):
        name = m.group("name")
        if name in _NOT_PROVIDERS or name.isupper() and len(name) <= 2:
            continue
        clause = text[max(0, m.start() - 60):m.end() + 20]
        if words.search(clause):
            return name
    unnamed = _UNNAMED_PROVIDER.search(text)
    return f"{unnamed.group('kind').upper() if len(unnamed.group('kind')) <= 3 else unnamed.group('kind').lower()} provider" \
        if unnamed and words.search(unnamed.group("kind")) else ""


# A provider the text does not name: "our SMS provider accepts at most 100 messages per second",
# "through a third-party email service", "the payment gateway".
_UNNAMED_PROVIDER = re.compile(r"\b(?:our|the|their|an?|a\s+third[- ]party|an\s+external)\s+(?P<kind>sms|e-?mail|text\s+message|"
                               r"payments?|card)\s+(?:provider|gateway|vendor|service|processor|api)\b", re.I)
