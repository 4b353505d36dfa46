"""Messages sent for each event of a stream: "the recipient gets an SMS and an e-mail" after
"600k parcels a day" is 1.2 million messages a day; "each patient should get a text 7 days
before and another 24 hours before" is two texts per appointment. Engineers compute this
figure by hand because every message costs money at the provider and loads the notifier.

The messages are counted in the clause that sends or delivers them (each message noun, and
"another" for one more of the same), and they belong to the nearest stated stream before
that clause: the event that triggers a message is stated before the message. A message sent
only on a condition ("when a job fails", "if a payment is declined") is not sent for every
event, so it gives no figure.
"""
from __future__ import annotations

import re

from servicelens.design.applied_figures import Flow, base_flows
from servicelens.design.capacity import DAY_S, Plan, n
from servicelens.design.text import normalise, sentence_bounds
from servicelens.design.workload import Workload
from servicelens.model.design import Requirement

_MESSAGE = r"(?:sms(?:es)?|texts?|text\s+messages?|e-?mails?|push\s+notifications?|notifications?|reminders?|messages?)"
# who receives or who sends: "the recipient gets", "each patient should get", "we text", "is e-mailed"
_DELIVERY = re.compile(
    r"\b(?:gets?|receives?|(?:should|will|must|shall)\s+(?:get|receive)|(?:is|are)\s+sent|we\s+(?:send|text|sms|e-?mail|"
    r"message|notify)|(?:is|are)\s+(?:texted|e-?mailed|notified))\b(?P<rest>[^.;:]*)", re.I)
_COUNTED = re.compile(rf"\b(?:(?:a|an|one|1)\s+(?:[a-z\-]+\s+){{0,2}}?{_MESSAGE}|another)\b", re.I)
# the receiver named before the delivery verb: "each signer receives", "the recipient gets"
_RECEIVER = re.compile(r"\b(?:each|every|the|a|an)\s+(?P<who>[a-z][a-z\-]+?)s?\s+(?:\w+\s+)?$", re.I)
# a group of receivers per event is a handful ("goes to 3 signers"); a larger count is a population
GROUP_MAX = 20
_BARE_SEND = re.compile(r"\bwe\s+(?:text|sms|e-?mail|notify)\b", re.I)
# a message sent only when something happens is not sent for every event of the stream
_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|in\s+case|only|fails?|failed|failure|errors?|declined?|overdue|late)\b", re.I)


def add_messages(plan: Plan, req: Requirement, w: Workload) -> None:
    """Messages per day for every stream whose events each send a counted set of messages."""
    text = normalise(req.text)
    flows = sorted(base_flows(req, w, text), key=lambda f: f.at)
    seen: set[tuple[int, int]] = set()
    for m in _DELIVERY.finditer(text):
        a, b = sentence_bounds(text, m.start())
        if (a, b) in seen or _CONDITION.search(text, a, b):
            continue
        count, end = _messages(m)
        flow = _trigger(flows, m.start())
        if not count or not flow or flow.per_second <= 0:
            continue
        group = _receivers(req, text[a:m.start()])
        if group is None:
            continue  # every member of a population told of each event is a broadcast, sized elsewhere
        seen.add((a, b))
        said = " ".join(text[m.start():end].split())
        each = count * (group[0] if group else 1)
        per_day = flow.per_second * DAY_S * each
        who = f" x {group[0]:g} {group[1]} (\"{group[2]}\")" if group else ""
        plan.add("derived", f"messages sent per day ({n(each)} per {flow.subject}: \"{said}\")", per_day, "messages/day",
                 f"{n(flow.per_second * DAY_S)} {flow.subject}/day x {count:g} messages{who} = {n(per_day)}")
        plan.add("derived", f"messages sent per second (average) ({flow.subject})", per_day / DAY_S, "messages/s",
                 f"{n(per_day)} /day / 86,400 s = {n(per_day / DAY_S)}")


def _messages(m: re.Match) -> tuple[int, int]:
    """How many messages one delivery clause names (each counted message noun and each
    "another"; a bare "we text" names one) and where the last of them ends."""
    rest, at = m.group("rest"), m.start("rest")
    counted = list(_COUNTED.finditer(rest))
    if counted and counted[0].group(0).lower() != "another":
        return len(counted), at + counted[-1].end()
    if _BARE_SEND.match(m.group(0)):
        return 1 + len(counted), at + (counted[-1].end() if counted else 0)
    return 0, m.end()


def _receivers(req: Requirement, before: str) -> tuple[float, str, str] | None | tuple[()]:
    """The receivers per event when the text counts them ("each signer" with "3 signers on
    average"): (count, noun, phrase); () when they are not counted (one receiver per event);
    None when they are a population larger than a group."""
    m = _RECEIVER.search(before)
    if not m:
        return ()
    who = m.group("who").lower()
    counted = re.compile(rf"(\d[\d.,]*)\s*(k|m|b|thousand|million)?\s+(?:[a-z\-]+\s+)?{re.escape(who)}s?\b")
    for f in req.figures:
        m = counted.search(f.phrase.lower()) if f.meaning and f.value >= 1 else None
        scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9}.get(m.group(2) or "", 1) if m else 1
        if m and abs(float(m.group(1).replace(",", "")) * scale - f.value) <= 1e-6 * f.value:
            # "goes to 3 signers": a group per event; "9,000 members": everybody, a broadcast
            return (f.value, f"{who}s", f.phrase) if f.value <= GROUP_MAX else None
    return ()


def _trigger(flows: list[Flow], at: int) -> Flow | None:
    """The stream stated nearest before the clause (the event that sends the message)."""
    before = [f for f in flows if 0 <= f.at < at]
    return before[-1] if before else None
