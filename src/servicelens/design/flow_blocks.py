"""Building blocks called for by how work and money flow through the system, whatever the
system is called:

- inbound callbacks  an outside party calls us back ("the provider notifies us by calling an
                     HTTPS callback", "vendors call our endpoint when a job is done") -> a
                     receiver that verifies the signature and queues the call, because such calls
                     arrive late, repeated and forged;
- fan-out            one action must reach several other systems ("an erasure has to reach all 25
                     downstream systems") -> a message per destination with its own retries and
                     confirmations;
- money ledger       money that moves between parties and is owed or held ("the money we owe
                     sellers", "a card's balance") -> an append-only ledger of movements with the
                     balance as its projection, reconciled against the outside party.

Each is found as (id, argument) like the other blocks, so a spec can list and edit it.
"""
from __future__ import annotations

import re

from servicelens.design.characteristics import Block
from servicelens.design.identifiers import snake_identifier
from servicelens.design.text import sentence_bounds
from servicelens.model.design import Component

FLOW_BLOCKS = ("callback_receiver", "fan_out", "money_ledger")

# The words of a call back: a callback or webhook we receive, or an outside party calling our endpoint.
_CALLBACK = re.compile(
    r"\b(?:receiv\w*|accept\w*|handl\w*|process\w*|consum\w*|get|gets|getting)\s+(?:\w+\s+){0,2}?(?:callbacks?|webhooks?)\b|"
    r"\b(?:callbacks?|webhooks?)\s+(?:\w+\s+)?from\b|"
    r"\b(?:call|calls|calling|called|hit|hits|post|posts|posting)\s+(?:back\s+)?(?:us\b|(?:an?|our|the|a\s+given)\s+"
    r"(?:https?\s+|public\s+|registered\s+)?(?:callback|webhook|endpoint|url)s?\b)|"
    r"\bnotif(?:y|ies|ied)\s+us\b|\bcalls?\s+us\s+back\b", re.I)
# Our own delivery to others' endpoints is the opposite direction (the webhook delivery block).
_OUTBOUND = re.compile(r"\b(?:deliver|send|sends|sending|post|posts)\s+(?:\w+\s+){0,2}?(?:webhooks?|callbacks?)\s+to\b|"
                       r"\b(?:their|customer|customers'|subscriber|partner)\s+endpoints?\b", re.I)
_SENDER = re.compile(r"\b(?:the\s+|our\s+|each\s+|every\s+|\d+\s+)?(?:[a-z\-]+\s+)?(?P<who>[a-z][a-z\-]{2,}?)s?\s+"
                     r"(?:\w+\s+){0,4}?(?:call|calls|calling|notif\w+|post|posts|send|sends|hit|hits)\b", re.I)
_NOT_SENDERS = {"which", "that", "who", "we", "they", "it", "and", "also", "sometimes", "then", "usually", "often"}

# One action that must reach every one of several other systems.
_TARGETS = r"(?:systems?|services?|apps?|applications?|consumers?|subscribers?|partners?|databases?|stores?|platforms?|teams?)"
_FAN_OUT = re.compile(
    rf"\b(?:reach\w*|propagat\w*|sent|send|forward\w*|notif\w*|fan\w*\s+out|replicat\w*|push\w*|applied|apply|executed|"
    rf"carried\s+out)\b[^.;]{{0,40}}?\b(?:all|every|each\s+of\s+(?:the|our)|each)\s+(?:(?:\d+|of\s+the|of\s+our|the)\s+)?"
    rf"(?:[a-z\-]+\s+)?(?P<what>{_TARGETS})\b", re.I)

# Money held or owed by someone, and verbs that move it.
_BALANCE = re.compile(r"\b(?:(?P<holder>[a-z][a-z\-]{2,})'s\s+balance|balance\s+(?:of|on)\s+(?:the|a|an|each|every)\s+"
                      r"(?P<holder2>[a-z][a-z\-]{2,})|"
                      # "the account may not go negative": the holder of a balance that has a floor
                      r"(?P<holder3>[a-z][a-z\-]{2,})\s+(?:may|must|can|should|will)?\s*(?:not|never)\s+(?:go|goes|fall|falls|drop|drops|be)\s+"
                      r"(?:negative|below\s+zero|overdrawn)|balances?|wallets?|owe|owes|owed|owing|earned|earnings|payouts?|"
                      r"stored\s+value|store\s+credit)\b", re.I)
_MOVES = re.compile(r"\b(?:pay|pays|paid|paying|payouts?|transfer\w*|refund\w*|redeem\w*|redemptions?|top(?:s|ped)?\s+up|"
                    r"withdraw\w*|deposit\w*|debit\w*|credit(?:s|ed)?|charg\w*)\b", re.I)
# money named, or moved by words that only money takes ("top up by card", "the processor's payouts")
_MONEY = re.compile(r"\b(?:money|funds|eur|usd|gbp|chf|euros?|dollars?|pounds|cash|commission|fees?|payouts?|top[- ]?ups?|"
                    r"by\s+card|card\s+(?:processor|payments?))\b|[\u20ac$\u00a3]\s?\d|"
                    r"\d\s?[\u20ac$\u00a3]", re.I)
_NOT_HOLDERS = {"the", "a", "an", "its", "their", "our", "your", "his", "her", "it", "which", "that"}


def find_flow_blocks(text: str) -> tuple[tuple[str, str], ...]:
    """(block id, argument from the text) for each flow the text describes, in a fixed order."""
    out: list[tuple[str, str]] = []
    sender = _callbacks(text)
    if sender:
        out.append(("callback_receiver", sender))
    m = _FAN_OUT.search(text)
    if m:
        out.append(("fan_out", f"downstream {m.group('what').lower().rstrip('s')}s"))
    holder = _money_holder(text)
    if holder:
        out.append(("money_ledger", holder))
    return tuple(out)


def _callbacks(text: str) -> str:
    """Who calls us back ('vendor'), 'callbacks' when the text does not say; '' when nobody does."""
    for m in _CALLBACK.finditer(text):
        a, b = sentence_bounds(text, m.start())
        if _OUTBOUND.search(text, a, b):
            continue
        who = _SENDER.search(text, a, m.end())
        name = who.group("who").lower() if who else ""
        return name if name and name not in _NOT_SENDERS else "callbacks"
    return ""


def _money_holder(text: str) -> str:
    """What holds the balance ('card' for "a card's balance"), 'money' when only money moves;
    '' unless money is held or owed and also moved."""
    if not (_MONEY.search(text) and _MOVES.search(text)):
        return ""
    for m in _BALANCE.finditer(text):
        holder = (m.group("holder") or m.group("holder2") or m.group("holder3") or "").lower()
        if holder and holder not in _NOT_HOLDERS:
            return holder
    return "money" if _BALANCE.search(text) else ""


def flow_block(block_id: str, argument: str) -> Block:
    """The block for a found (or spec-given) pair; `argument` is free text from the user."""
    arg = " ".join(re.sub(r"[^\w .&'/-]", " ", argument).split())[:60] or "items"
    trigger = f"{block_id.replace('_', ' ')}: {arg}"
    if block_id == "callback_receiver":
        who = "callbacks" if arg == "callbacks" else f"{arg} callbacks"
        return Block(block_id, (
            Component(f"Webhook receiver for {who} with signature verification", "verifies each call's signature "
                      "(HMAC or the sender's key) and timestamp, stores it keyed by the sender's event id (a repeat is "
                      "acknowledged and dropped) and answers 2xx at once", "HTTPS endpoint + HMAC check + dedup table"),
            Component(f"Queue and workers for {who}", "callbacks are processed off the request path with retries and a "
                      "dead-letter queue; a late or repeated callback is applied idempotently and never moves a record "
                      "backwards", "queue + workers + dead-letter queue")),
            "calls from an outside party arrive late, repeated or forged: they are verified, deduplicated and queued "
            "before anything acts on them", trigger,
            ((f"receive_{snake_identifier(arg)}"[:40], "POST", f"/v1/{snake_identifier(arg)}/callbacks"[:44],
              f"Receive a {who.rstrip('s')} (signature-verified, deduplicated, queued)"),))
    if block_id == "fan_out":
        return Block(block_id, (Component(f"Fan-out queue to {arg}", "one message per destination with its own retries, "
                                          "backoff and dead-letter queue; each destination's confirmation is recorded and "
                                          "the request completes when every one has confirmed",
                                          "topic with a subscription per destination + confirmation table"),),
                     "one action that must reach several systems is a message per system: a slow or failing one is "
                     "retried on its own and the overall state is the set of confirmations", trigger)
    if block_id == "money_ledger":
        return Block(block_id, (
            Component(f"Append-only ledger of {arg} movements", f"every movement of {arg} is an immutable entry "
                      "(debit and credit in one transaction); balances are projections of the entries, changed by a "
                      "conditional update in the same transaction", "relational tables (entries + balance rows)"),
            Component(f"Reconciliation job for {arg} movements", "compares the ledger's totals with what the bank or "
                      "provider reports for each period and flags every difference", "scheduled job")),
            "money that is owed or held must be derivable from recorded movements and must match the outside "
            "party's records", trigger)
    raise ValueError(f"unknown block {block_id!r}; known: {', '.join(FLOW_BLOCKS)}")
