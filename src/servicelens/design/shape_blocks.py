"""Building blocks called for by what the text says the system handles, named with the
text's own words: files it keeps, an outside provider it pays or mails through, records
outside senders push, balances it must not overdraw, reminders it must send.

Each block is found as (id, argument) so that a spec can list it and a user can edit it
("object_storage: receipt photos"); `block` rebuilds the same block from that pair.
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.design.identifiers import entity_names, snake_identifier
from servicelens.design.invariant_shapes import find_shapes, subject_of
from servicelens.model.design import Component, Invariant

SHAPE_BLOCKS = ("object_storage", "payment_provider", "message_provider", "idempotent_ingest", "balance_ledger",
                "reminders")
_FILES = r"(?:photos?|images?|pictures?|videos?|files?|attachments?|scans?|pdfs?|recordings?|audio|avatars?|" \
         r"screenshots?|signed\s+contracts?|receipts?\s+images?)"
_FILE_PHRASE = re.compile(rf"\b(?:(?P<qual>[a-z][a-z\-]{{2,}})\s+)?(?P<file>{_FILES})\b", re.I)
_NOT_QUALIFIERS = {"the", "a", "an", "and", "or", "of", "with", "their", "its", "our", "your", "any", "some", "large",
                   "small", "big", "include", "includes", "including", "upload", "uploads", "attach", "attached", "csv",
                   "batch", "nightly", "flat", "log", "config", "static", "drop", "to", "for", "by", "in", "on", "as"}
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
_REMINDERS = re.compile(r"\b(?:remind|reminds|reminded|reminder|reminders|overdue|nudge|nudges|chase)\b", re.I)


def find_shape_blocks(text: str, invariants: tuple[Invariant, ...] = ()) -> tuple[tuple[str, str], ...]:
    """(block id, argument from the text) for every shape the text names, in a fixed order."""
    out: list[tuple[str, str]] = []
    files = _file_phrase(text)
    if files:
        out.append(("object_storage", files))
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
    return tuple(out)


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
        return Block(block_id, (
            Component(f"{arg} payment integration with webhook handler",
                      f"payments created at {arg} with an idempotency key per order; its webhooks verified by signature "
                      "and deduplicated by event id", f"{arg} API + webhooks"),
            Component(f"Reconciliation job against {arg}", f"matches orders and payments with {arg}'s settlement "
                      "reports and flags differences", "scheduled job")),
            "card data and payment state live at the provider; the service keeps orders consistent with what it reports",
            trigger, ((f"pay_with_{ident}", "POST", "/v1/payments", f"Pay with {arg} (idempotency key per order)"),
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
    raise ValueError(f"unknown block {block_id!r}; known: {', '.join(SHAPE_BLOCKS)}")


def _file_phrase(text: str) -> str:
    for m in _FILE_PHRASE.finditer(text):
        clause = text[max(0, m.start() - 30):m.end() + 10]
        if _NOT_FILE_CLAUSE.search(clause):
            continue
        qual = (m.group("qual") or "").lower()
        files = " ".join(m.group("file").lower().split())
        if qual and qual not in _NOT_QUALIFIERS and not qual.endswith("ly"):
            return f"{qual} {files}"
        return files
    return ""


def _provider(text: str, words: re.Pattern[str]) -> str:
    for m in _PROVIDER.finditer(text):
        name = m.group("name")
        if name in _NOT_PROVIDERS or name.isupper() and len(name) <= 2:
            continue
        clause = text[max(0, m.start() - 60):m.end() + 20]
        if words.search(clause):
            return name
    return ""
