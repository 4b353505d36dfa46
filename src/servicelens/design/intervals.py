"""Rates written as a population and an interval or a deadline, which the plain rate
extractor cannot see because no "per <period>" follows the count:

    "400 trucks, temp + GPS every 30s"              -> 400 / 30 s = 13.3 /s
    "each active driver pings its location every 5s" -> 1 / 5 s per driver (x active drivers)
    "a 20M campaign must finish within 1 hour"       -> 20M / 3,600 s = 5,556 /s
"""
from __future__ import annotations

import re

from servicelens.design.measures import DURATION_S, duration_unit
from servicelens.design.text import BARE_EACH, Number, sentence_bounds
from servicelens.model.design import RateMention

# "every 30 s", and "every minute" (one of the unit)
_EVERY = re.compile(r"\bevery\s+(?:(?P<n>\d+(?:\.\d+)?)\s*(?P<u>ms|s|secs?|seconds?|minutes?|mins?|hours?|hrs?|h)|"
                    r"(?P<u0>second|minute|hour))\b|"
                    r"\b(?P<times>once|twice|(?P<k>\d+)\s+times)\s+(?:a|an|per|every|each)\s+(?P<u2>second|minute|hour)\b", re.I)
_TIMES = {"once": 1.0, "twice": 2.0}
_AT_ONCE = re.compile(r"\s*(?:[a-z\-]+\s+){0,3}?(?:are\s+|is\s+)?(?:online|connected|logged\s+in|concurrent(?:ly)?|"
                      r"simultaneous(?:ly)?|at\s+(?:the\s+same\s+time|once))\b", re.I)
_DEADLINE = re.compile(r"\b(?:finish|finished|complete|completed|delivered|deliver|sent|send|go out|processed|done|reach)\b"
                       r"[^.;]{0,40}?\b(?:within|in(?: under)?|under)\s+(?:a|an|(?P<n>\d+(?:\.\d+)?))\s*"
                       r"(?P<u>seconds?|minutes?|mins?|hours?|hrs?|days?)\b", re.I)
# "~15k members hit the app in the first 5 minutes", "all 3,000 students submit in the last
# 10 minutes": a crowd arriving within a short opening or closing window is a burst rate.
_BURST_WINDOW = re.compile(r"\b(?:in|within|during|over)\s+(?:the\s+)?(?:first|last|final|opening|same)\s+"
                           r"(?:(?P<n>\d+(?:\.\d+)?)\s*)?(?P<u>seconds?|minutes?|mins?|hours?)\b", re.I)
_LOOKING = re.compile(r"\b(?:refresh\w*|reload\w*|poll\w*|re-?check\w*|check(?:s|ing)?\s+(?:for|on|the|their|its)|"
                      r"look(?:s|ing)?\s+(?:at|up)|view(?:s|ing)?|watch(?:es|ing)?|fetch\w*)\b", re.I)
_EACH = re.compile(r"\b(?:each|every|per)\s+(?:active\s+|connected\s+|online\s+)?([a-z][a-z\-]+)", re.I)
_NOUN = re.compile(r"\s*(?:[a-z\-]+\s+){0,2}?([a-z][a-z\-]+)", re.I)


def _seconds(n: str | None, unit: str) -> float:
    u = unit.lower()
    if u == "ms":
        return float(n or 1) / 1000
    if u in ("s", "sec", "secs", "second", "seconds"):
        return float(n or 1)
    if u in ("h",):
        return float(n or 1) * 3600
    return float(n or 1) * DURATION_S[duration_unit(u)]


def interval_rates(text: str, nums: tuple[Number, ...], taken: set[int], people: frozenset[int] = frozenset()) -> dict[int, RateMention]:
    """Rates keyed by the start of the number they were read from; `taken` are number
    starts other extractors already explained (never read twice), except `people` (user
    counts), which a burst may also read ("15k members hit the app in the first 5 minutes")."""
    found: dict[int, RateMention] = {}
    last_every = 0
    for m in _EVERY.finditer(text):
        if m.group("times"):  # "once a minute", "twice an hour", "4 times per hour"
            if m.group("k") and m.start("k") in taken:
                continue
            per = float(m.group("k")) if m.group("k") else _TIMES[m.group("times").lower()]
            seconds = _seconds(None, m.group("u2")) / per
        else:
            if m.group("n") and m.start("n") in taken:
                continue
            seconds = _seconds(m.group("n"), m.group("u") or m.group("u0"))
        if seconds <= 0:
            continue
        s0, s1 = sentence_bounds(text, m.start())
        subject = _subject_before(text, s0, m.start())
        conditional, last_every = bool(_CONDITION.search(text, max(s0, last_every), m.start())), m.end()
        if conditional:
            continue
        population = _population(text, nums, s0, m.start(), taken) or _population_of_bare_each(text, nums, s0, m.start(), taken) \
            or _population_nearby(text, nums, s0, s1, taken)
        source = " ".join(text[s0:m.end()].split())[-160:]
        # "refreshing a runner's splits every 30 seconds": an act of looking is a read, not an update
        kind = "read" if _LOOKING.search(text, max(s0, m.start() - 60), m.start()) else "write"
        if kind == "read":
            subject = subject.replace(" updates", " reads") if subject != "updates" else "reads"
        if population and _owned_per_holder(text, population.end, m.start(), taken):
            continue  # "2,000 farms, each with 3 sensors reporting every 10 minutes": the rate reader has it as holders x 3
        if population:
            # a population online at once ("80,000 players connected at the same time") acts at the peak
            at_once = bool(_AT_ONCE.match(text, population.end))
            count, holders = _per_holder(text, nums, s0, population, taken)
            if holders:
                source += f" (x {holders:g} holders)"
            found[population.start] = RateMention(subject, kind, count / seconds, "second",
                                                  count / seconds, at_once, source, False)
        elif _EACH.search(text[s0:m.start()]) and (m.group("n") or m.group("u0")):
            found[m.start("n") if m.group("n") else m.start()] = RateMention(subject, kind, 1 / seconds, "second", 1 / seconds, False, source, True)
    for m in _BURST_WINDOW.finditer(text):
        s0, _ = sentence_bounds(text, m.start())
        crowd = _population(text, nums, s0, m.start(), (taken - people) | set(found))
        if not crowd or crowd.value < 100 or crowd.start in found:
            continue
        seconds = _seconds(m.group("n"), m.group("u"))
        subject = _noun_after(text, crowd.end) or "arrivals"
        source = " ".join(text[s0:m.end()].split())[-160:]
        found[crowd.start] = RateMention(f"{subject} arriving (burst)", "total", crowd.value / seconds, "second",
                                         crowd.value / seconds, True, source, False)
    for m in _DEADLINE.finditer(text):
        s0, _ = sentence_bounds(text, m.start())
        population = _population(text, nums, s0, m.start(), taken | set(found))
        if not population or population.value < 1000:
            continue
        seconds = _seconds(m.group("n"), m.group("u"))
        subject = _noun_after(text, population.end) or "items"
        source = " ".join(text[s0:m.end()].split())[-160:]
        found[population.start] = RateMention(f"{subject} (deadline)", "write", population.value / seconds, "second",
                                              population.value / seconds, True, source, False)
    return found


# "9,000 shipments, each with 2 loggers reporting every 5 min": the things that report are
# the holders' count times the count each holds
_EACH_WITH = re.compile(r"\beach\s+(?:with|has|having|carrying|fitted\s+with|holding)\b[^.;]{0,50}$", re.I)


_EACH_WITH_COUNT = re.compile(r"\beach\s+(?:with|has|having|carrying|fitted\s+with|holding)\s+(?:about\s+|around\s+|~\s*)?(\d)", re.I)


def _owned_per_holder(text: str, start: int, end: int, taken: set[int]) -> bool:
    """Whether a count held by each of the population, between it and the interval, was read
    as a rate already (the holders times that count)."""
    m = _EACH_WITH_COUNT.search(text, start, end)
    return bool(m) and m.start(1) in taken


def _per_holder(text: str, nums: tuple[Number, ...], s0: int, population: Number, taken: set[int]) -> tuple[float, float]:
    """(reporting things, holders) for a count said per holder; (count, 0) when it is not."""
    lead = _EACH_WITH.search(text, max(s0, population.start - 60), population.start)
    if not lead:
        return population.value, 0.0
    holder = _population(text, nums, s0, lead.start(), taken)
    if not holder or holder.value < 2:
        return population.value, 0.0
    return population.value * holder.value, holder.value


# "4 lines per order", "600 bays each": a count per one of another thing is a ratio, not a
# population that acts.
_PER_ITEM = re.compile(r"\s*(?:[a-z\-]+\s+){1,2}?(?:per\s+(?!second|minute|hour|day|week|month|year)[a-z]|each\b)", re.I)


def _population(text: str, nums: tuple[Number, ...], start: int, end: int, taken: set[int]) -> Number | None:
    """The last count in the sentence before `end` that counts things (a noun follows it)."""
    best = None
    for n in nums:
        if start <= n.start < end and n.start not in taken and n.value >= 1 and _noun_after(text, n.end) \
                and not text[n.end:n.end + 1].isalpha():  # "OCPP 1.6J", "a 3B model": a version or a name, not a count
            if not re.match(r"\s*(?:%|percent|x\b|times|ms|s\b|secs?|seconds?|minutes?|hours?|days?|kb|mb|gb|tb|bytes?)", text[n.end:], re.I) \
                    and not _PER_ITEM.match(text, n.end):
                best = n
    return best


def _population_of_bare_each(text: str, nums: tuple[Number, ...], s0: int, end: int, taken: set[int]) -> Number | None:
    """"The port runs 300 cranes. Each logs its position every 10 s": a sentence opening
    with a bare "each" speaks of the things counted in the sentence before, or of the things
    that sentence names when an earlier one counts them."""
    if not BARE_EACH.match(text, s0 + len(text[s0:end]) - len(text[s0:end].lstrip())):
        return None
    prev0, _ = sentence_bounds(text, max(0, s0 - 2))
    if prev0 >= s0:
        return None
    # "9,000 sensors are installed. The sensors connect over LoRaWAN; each sends a status every
    # 120 s": the clause before names the things without counting them, an earlier one counts them
    return _population(text, nums, prev0, s0, taken) or _population_nearby(text, nums, prev0, s0, taken)


# "while charging, meter values every 30 seconds": only the members in that state report, a
# share the text does not give, so the whole population is not the one acting.
_CONDITION = re.compile(r"\b(?:while|whenever|when)\s+[a-z]+ing\b", re.I)  # "during the race" is a time, not a state
# "plan to reach 10,000 chargers": a count the population is heading for, not the one acting now
# ("up to 3,000 sessions" is a maximum of the population acting).
_TARGET_BEFORE = re.compile(r"\b(?:(?<!\bup\s)to|reach(?:es|ing)?|expect(?:s|ed|ing)?|target(?:s|ing)?|forecasts?)\s+(?:about\s+|around\s+|~)?$", re.I)
_BOUND_BEFORE = re.compile(r"\b(?:at\s+most|no\s+more\s+than)\s*~?$", re.I)


def _population_nearby(text: str, nums: tuple[Number, ...], s0: int, s1: int, taken: set[int]) -> Number | None:
    """A count later in the sentence, in the next one or earlier in the text ("... sends a
    reading once a minute; at any moment roughly 4k boxes are on the road", "650 docking
    stations. Docks report their status every 30 seconds") whose noun the interval's
    sentence names."""
    _, s2 = sentence_bounds(text, min(len(text) - 1, s1 + 1))
    named = text[s0:s1].lower()
    # this sentence and the next first, then the nearest earlier sentence
    order = [n for n in nums if s0 <= n.start < max(s1, s2)] + [n for n in reversed(nums) if n.start < s0]
    for n in order:
        # a bound in a rule ("at most 1 pickup per week") counts no population that acts
        if n.start not in taken and n.value >= 1 and not _PER_ITEM.match(text, n.end) \
                and not _BOUND_BEFORE.search(text, max(0, n.start - 20), n.start) \
                and not _TARGET_BEFORE.search(text, max(0, n.start - 20), n.start) and not text[n.end:n.end + 1].isalpha():
            # a count inside the interval's sentence must be named by the rest of it: its own
            # words do not say that the counted things are the ones acting on the interval
            # ("slots every 15 minutes ... we track stock of about 200 items")
            here = named if not s0 <= n.start < s1 else \
                f"{text[s0:n.start]} {text[min(s1, n.end + 40):s1]}".lower()
            if any(_names(noun, here) for noun in _noun_phrase_after(text, n.end)) \
                    and not re.match(r"\s*(?:%|percent|x\b|times|ms|s\b|secs?|seconds?|minutes?|hours?|days?|kb|mb|gb|tb|bytes?)",
                                     text[n.end:], re.I):
                return n
    return None


def _names(noun: str, named: str) -> bool:
    """Whether the sentence `named` speaks of `noun` (its stem, or a word it starts with)."""
    stem = noun[:-2] if noun.endswith("es") and noun[:-2] in named else noun.rstrip("s")
    return len(stem) >= 3 and bool(re.search(rf"\b{re.escape(stem)}", named) or _named_by_root(stem, named))


def _noun_phrase_after(text: str, pos: int) -> list[str]:
    """The words of the counted noun phrase ("2000 vending machines across ..." -> vending,
    machines): a modifier and its head both name the counted things."""
    out = []
    phrase = re.split(r"[.;:!?(),]|\n\s*\n", text[pos:pos + 40])[0]  # a phrase ends at its clause (a wrapped line does not)
    for w in re.findall(r"[A-Za-z][A-Za-z\-]*", phrase)[:3]:
        if w.lower() in _PHRASE_END:
            break
        out.append(w.lower())
    return out


_PHRASE_END = {"and", "or", "with", "across", "in", "on", "at", "of", "that", "which", "who", "are", "is", "per", "each",
               "every", "to", "for", "from", "by", "use", "run", "send", "report"}


def _named_by_root(stem: str, named: str) -> bool:
    """"650 docking stations" and "Docks report ...": a word of the sentence (4+ letters,
    plural cut) that the counted word starts with names the same thing."""
    return any(len(w) >= 4 and stem.startswith(w) for w in (x.rstrip("s") for x in re.findall(r"[a-z]+", named)))


def _noun_after(text: str, pos: int) -> str:
    m = _NOUN.match(text, pos)
    if not m:
        return ""
    window = text[pos:pos + 40]
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", window)
    return words[0].lower() if words else ""


def _subject_before(text: str, start: int, end: int) -> str:
    """The thing sent every interval: the last word before "every" ("location", "gps")."""
    words = re.findall(r"[A-Za-z][A-Za-z\-]*", text[start:end])
    skip = {"and", "or", "the", "a", "an", "its", "their", "his", "her", "once"}
    for w in reversed(words):
        if w.lower() not in skip:
            return f"{w.lower()} updates"
    return "updates"
