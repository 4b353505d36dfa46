"""Event rates: "20k rps", "2M payments/day", "100M new URLs per month",
"each user sends 40 messages a day", "15B pages in 4 weeks", and lists that share one
period ("10M push, 1M SMS and 5M emails per day").

A per-second figure is read as a peak (what the system must *handle*); per-day or
per-month totals are averages. The caller states both conventions as assumptions.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from servicelens.design.ceilings import is_ceiling
from servicelens.design.identifiers import plural
from servicelens.design.measures import Measures, duration_unit
from servicelens.design.text import (
    BARE_EACH as _EACH_ALONE, Number, clause_bounds, is_clock_time, is_money, sentence_bounds, words,
)
from servicelens.model.design import RateMention

# Seconds per period for turning a count into a rate. A month is 2.5M s, the usual
# back-of-envelope figure (30 days = 2.59M s); a year is 365 days.
RATE_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86_400,
                "week": 604_800, "month": 2_500_000, "year": 31_536_000}
_PERIOD_WORDS = {"s": "second", "sec": "second", "second": "second", "min": "minute",
                 "minute": "minute", "h": "hour", "hr": "hour", "hour": "hour", "d": "day",
                 "day": "day", "wk": "week", "week": "week", "mo": "month", "month": "month",
                 "yr": "year", "year": "year", "daily": "day", "hourly": "hour",
                 "monthly": "month", "weekly": "week", "yearly": "year", "annually": "year",
                 # a working day is sized as a day: the busiest days carry the load
                 "weekday": "day", "workday": "day", "working day": "day", "business day": "day",
                 "school day": "day", "night": "day", "nightly": "day", "annual": "year",
                 # one person's shift is their working day ("25 inspections per shift")
                 "shift": "day"}
_PERIOD_RE = re.compile(
    r"\s*(?:(?:(?:per|a|an|each|every)\s+|/\s*)(?P<p1>second|sec|s|minute|min|hour|hr|h|day|d|week|wk|month|mo|year|yr|weekday|workday|"
    r"working\s+day|business\s+day|school\s+day|night|shift)(?![a-z])(?<!second)"
    # "a second approval": an ordinal before its noun, not a period (a period ends the phrase
    # or is followed by a linking word)
    r"|(?:(?:per|a|an|each|every)\s+|/\s*)(?P<p5>second)(?![a-z])(?!\s+(?!(?:and|or|at|on|in|from|to|with|during|for|"
    r"by|but|which|while|when|across|over|peak|average|on|of|is|are|was|were|per|each|every|so|than)\b)[a-z])"
    r"|(?P<p2>daily|hourly|monthly|weekly|yearly|annually)(?![a-z])"
    r"|(?:in|over|within|every)\s+(?P<n>\d+(?:\.\d+)?)\s*(?P<p3>seconds?|minutes?|hours?|days?|weeks?|months?|years?)(?![a-z])"
    r"|(?:(?:in|within|during)\s+(?:a|an|one|a\s+single|the\s+same)"
    # "around 120 entries on a typical day": one ordinary period, the average's own window
    r"|(?:on|in|during|over)\s+(?:a|an)\s+(?:typical|normal|average|usual|regular|ordinary|standard|given)"
    # "900 readings on a busy day": the busiest period's own count (sized as the peak, _mention)
    r"|(?:on|in|during)\s+(?:a|the)\s+(?:busy|busiest|peak|heavy|bad)(?:\s+(?:summer|winter|holiday|school|trading))?)"
    r"\s+(?P<p4>second|minute|hour|day|week|month|year|weekday|workday|night|shift)(?![a-z]))",
    re.I,
)
# A period adjective before the counted noun: "40 nightly jobs" are 40 jobs per night.
_PERIOD_ADJECTIVE = re.compile(r"\s*(nightly|daily|hourly|weekly|monthly|yearly|annual)\s+(?=[a-z])", re.I)
SOURCE_REACH = 120
DAY_S = 86_400
# More actions a day than one a minute over a waking day is not one person's habit: a
# count after a plural actor ("drivers complete 3,000 rides a day") is then the total.
HUMAN_ACTIONS_PER_DAY = 1_000
_SKIPPABLE = re.compile(r"\s*(?:on average|on avg|in total|total|at peak|at the peak|at most|or so|roughly|approximately)(?![a-z])", re.I)
_WORD = re.compile(r"\s*([A-Za-z][A-Za-z\-']*)")
_PASSIVE = re.compile(r"\s*(?:are|is|get|gets|were|was|will\s+be|must\s+be|can\s+be)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn|ld|nt|ne)\b", re.I)
_STOP = {"and", "or", "with", "but", "which", "that", "are", "is", "to", "from", "for",
         "so", "while", "where", "when", "if", "than", "by", "at", "on", "should", "must"}
_AVERAGE = re.compile(r"\b(?:average|avg|on average|mean|sustained|typical|typically|normal|normally|usually|ordinarily|"
                      r"baseline|steady|steadily|on a normal day|day to day|most of the time)\b", re.I)


def extract_rates(text: str, nums: tuple[Number, ...], measures: Measures, vocab: dict) -> tuple[RateMention, ...]:
    """Every event rate in the text, in order of appearance."""
    found = rates_by_start(text, nums, measures, vocab)
    return tuple(found[k] for k in sorted(found))


def rates_by_start(text: str, nums: tuple[Number, ...], measures: Measures, vocab: dict) -> dict[int, RateMention]:
    """Every event rate keyed by the offset of its number (the figures table needs it)."""
    units = sorted(vocab["per_second_units"], key=len, reverse=True)
    # One alternation, longest unit first, matched in place: slicing the text after every
    # number made this step quadratic.
    unit_re = re.compile(r"\s*(" + "|".join(re.escape(u) for u in units) + r")(?![a-z/])", re.I)
    by_lower = {u.lower(): u for u in units}
    fractions = measures.user_fractions
    found: dict[int, RateMention] = {}
    pending: list[tuple[Number, list[str], int]] = []
    for n in nums:
        if n.start in measures.used or is_money(text, n.start, n.end) or is_ceiling(text, n.start) \
                or is_clock_time(text, n.start, n.end):
            continue  # a price, a limit or a time of day is no rate the system carries
        unit_match = unit_re.match(text, n.end)
        if unit_match:
            subject = [vocab["per_second_units"][by_lower[unit_match.group(1).lower()]]]
            found[n.start] = _mention(text, n, subject, "second", 1.0, fractions, vocab)
            continue
        adjective = _PERIOD_ADJECTIVE.match(text, n.end)
        if adjective:  # "40 nightly batch jobs": a count that recurs every period is a rate
            subject, _, _, end = _subject_and_period(text, adjective.end())
            period, window = _PERIOD_WORDS[adjective.group(1).lower()], 1.0
        elif _BARE_PERIOD.match(text, n.end):
            subject, period, window, end = _subject_and_period(text, n.end, bare=True)
            named = _sentence_subject(text, n.start)
            if named and subject == ["events"]:
                subject = named  # "Bookings are far fewer, around 90,000 a day": the sentence says what is counted
        else:
            subject, period, window, end = _subject_and_period(text, n.end)
        # people counted per period are sign-ups or visits, not a stream of things; a people word
        # that only qualifies the thing counted ("1.2M supplier invoices a month") does not make it one
        if not subject or (_people_head(subject, vocab["user_nouns"]) and not _object_of_verb(text, n.start, vocab)
                           and not _people_of_holder(text, n.start, subject, vocab["user_nouns"])) \
                or set(subject) & _NOT_EVENTS:
            continue
        if period:
            found[n.start] = _mention(text, n, subject, period, window, fractions, vocab)
            if _TRAILING_EACH.match(text, end) and " (x " not in found[n.start].source:
                found[n.start] = _times_holders(text, n, found[n.start], vocab["user_nouns"])
        else:
            pending.append((n, subject, end))
    starts = [m.start for m in nums]
    for n, subject, end in reversed(pending):
        i = bisect_left(starts, end)
        nxt = nums[i] if i < len(nums) else None
        events = set(vocab["read_words"]) | set(vocab["write_words"]) | set(vocab["total_words"])
        if nxt and nxt.start in found and set(subject) & events and re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+|or\s+|&\s*|plus\s+)", text[end:nxt.start], re.I):
            ref = found[nxt.start]
            found[n.start] = _mention(text, n, subject, ref.period, _window_of(ref), fractions, vocab)
    for n, subject, _end in pending:
        if n.start not in found:
            chained = _chained(text, n, subject, found, vocab) or _per_stated_thing(text, n, subject, found, vocab) \
                or _each_of_actors(text, n, subject, found, fractions, vocab)
            if chained:
                found[n.start] = chained
            elif (period := _period_before(text, n.start)):
                found[n.start] = _mention(text, n, subject, period, 1.0, fractions, vocab)
    return found


# The period said before the count: "Daily volume is about 1.1M gate events", "on a summer
# weekday we see 70k rides", "each month roughly 400 files arrive".
# "at the daily peak 14,000 aircraft are airborne": a period word that qualifies a moment of the
# period (its peak, high or low) says when a count holds, not the period it is counted over.
_PERIOD_BEFORE = re.compile(
    r"\b(?P<adj>daily|weekly|monthly|yearly|annually|annual|nightly|hourly)\b"
    r"(?!\s+(?:peaks?|highs?|lows?|max(?:imum|ima)?|minimum|busiest|high[- ]water))"
    r"|\b(?:a|an|each|every|per|one|on\s+a|in\s+a|on\s+an|in\s+an)\s+(?:[a-z]+\s+)?"
    r"(?P<noun>day|week|month|year|weekday|workday|night|hour)\b"
    # "on deadline day itself we took 750k returns", "on the busiest day we see 2M orders": one named day
    r"|\bon\s+(?:the\s+)?(?:[a-z]+\s+)?(?P<day>day)\b(?!\s*\d)", re.I)


# "Bookings are far fewer, around 90,000 a day", "Availability lookups come from the app: about
# 2.5k/s": the plural noun opening the sentence is what a bare count in it counts
_OPENING_NOUN = re.compile(r"\s*(?:the\s+|our\s+|new\s+)?(?P<n>(?:[a-z][a-z\-]+\s+)?[a-z][a-z\-]+[^s\W]s)\s+"
                           r"(?:are|is|were|come|comes|came|arrive|arrive|run|hit|peak|average|total|number|sit|stay|land)\b", re.I)


def _sentence_subject(text: str, pos: int) -> list[str]:
    """The plural noun phrase that opens the sentence holding `pos`, when no number precedes `pos` in it."""
    s0, _ = sentence_bounds(text, pos)
    if re.search(r"\d", text[s0:pos]):
        return []
    m = _OPENING_NOUN.match(text, s0)
    if not m or m.end() > pos:
        return []
    return [w.lower() for w in m.group("n").split()]


# A count followed straight by its period names no thing: "300k/day", and in chat or a ticket
# "we're at 40k a day now", where the thing is the one the conversation is about.
_BARE_PERIOD = re.compile(r"\s*(?:/\s*(?:second|sec|s|minute|min|hour|hr|h|day|d|week|wk|month|mo|year|yr)\b"
                          r"|(?:a|an|per|each|every)\s+(?:second|minute|hour|day|week|month|year)\b)", re.I)


_APPROX = {"about", "around", "roughly", "approximately", "some", "up", "over", "~"}


# "each with ~60 gifts and 120 guests": a count led by a bare "each" (or a list it leads)
_EACH_LED = re.compile(r"\beach\s+(?:with|has|having|holding|of\s+(?:which|them)\s+(?:has|with))\s+"
                       r"(?:[^.;:]{0,30}?\band\s+)?(?:up\s+to|about|around|roughly|at\s+most|~)?\s*~?$", re.I)


def _people_of_holder(text: str, pos: int, subject: list[str], user_nouns: list[str]) -> bool:
    """People counted per one of another counted thing ("250 patients per clinic per day",
    "registries ..., each with ~60 gifts and 120 guests") are visits or members of that
    thing: a stream sized by the holder, not sign-ups and not the user base."""
    if "per" in subject:
        holder = subject[subject.index("per") + 1:subject.index("per") + 2]
        return bool(holder) and holder[0] not in _PERIOD_WORDS and holder[0] not in user_nouns \
            and holder[0].rstrip("s") not in user_nouns
    return bool(_EACH_LED.search(text, max(0, pos - 60), pos))


def _object_of_verb(text: str, pos: int, vocab: dict) -> bool:
    """People counted as the object of a read or write ("a rep looks up around 60 accounts a
    day", "agents open 40 customers a day") are things acted on, not a user count."""
    c0, _ = clause_bounds(text, pos)
    before = [w for w in words(text[c0:pos]) if w not in _APPROX]
    acts = set(vocab["read_words"]) | {w for w in vocab["write_words"] if not w.endswith("s") or w.endswith("ss")}
    return bool(before) and (before[-1] in acts or before[-1].rstrip("s") in acts or before[-1][:-2] in acts)


def _period_before(text: str, pos: int) -> str:
    """The period of a count whose clause names it before the number, with no other number
    between (that number would own it); '' when there is none."""
    c0, _ = clause_bounds(text, pos)
    left = text[c0:pos]
    if re.search(r"\d", left):
        return ""
    found = list(_PERIOD_BEFORE.finditer(left))
    if not found:
        return ""
    word = (found[-1].group("adj") or found[-1].group("noun") or found[-1].group("day")).lower()
    return _PERIOD_WORDS[word]


_SUBJECT_CUT = {"of", "about", "around", "roughly", "each", "at", "in", "per", "on", "up", "over", "across", "during", "within", "for"}


def _chained(text: str, n: Number, subject: list[str], found: dict[int, RateMention], vocab: dict) -> RateMention | None:
    """A count per item of a stated rate: "6,500 applications a year, each with 12 drawings"
    and "40k samples a year; each passes through 8 hand-offs" are 78,000 drawings and
    320,000 hand-offs a year. The count has no period of its own; it takes the rate's."""
    c0, _ = clause_bounds(text, n.start)
    s0, s1 = sentence_bounds(text, n.start)
    alone = list(_EACH_ALONE.finditer(text, s0, n.start))
    named = _each_named(text, s0, n.start)
    if named and alone and alone[-1].start() >= named.start():
        named = None
    if named:
        each, each_end = named.start(), named.end(1)
    elif alone and n.start - alone[-1].end() <= 60:
        each, each_end = alone[-1].start(), alone[-1].end()
    else:
        return None
    prev0, _ = sentence_bounds(text, max(0, s0 - 2))
    refs = [r_start for r_start in found if (prev0 if s0 > 0 else s0) <= r_start < each]
    if not refs:
        return None
    ref = found[max(refs)]
    if ref.per_user or (ref.period == "second" and not named):
        return None  # a per-second stream chains only through a count said per one of its own things
    if named and not _names_stream(named.group(1), ref):
        return None  # "each driver ..." after "20M rides a day": another thing's count
    cut = next((i for i, w in enumerate(subject) if w in _SUBJECT_CUT), len(subject))
    thing = subject[:cut]
    if not thing or len(thing[-1]) < 3 or thing[-1] in _NOT_EVENTS or thing[-1] in _NOT_HOLDERS:
        return None
    source = " ".join(text[max(c0, s0, n.start - SOURCE_REACH):min(s1, n.end + SOURCE_REACH // 2)].split())
    source += f" (x {n.value:g} per one of {n_fmt(ref.count_per_period)} {ref.subject} per {ref.period})"
    count = ref.count_per_period * n.value
    verbs = words(text[each_end:n.start])[:3]  # "each build resolves 600 artifacts": resolving is a read
    return RateMention(subject=" ".join(thing), kind=classify(thing, verbs, vocab), per_second=ref.per_second * n.value,
                       period=ref.period, count_per_period=count, peak=ref.peak, source=source, per_user=False)


# "each build resolves on average 600 artifacts": "each" naming one of the things a stated
# stream counts, then a verb, then (within a few words) the count per one of them.
# "an average request produces 25 spans", "a typical order triggers 3 emails": the average one of the
# stream's things is distributive like "each" when a verb of action follows ("a typical essay is 2,500
# words" describes one essay's size, not a stream of words).
_EACH_NAMED = re.compile(r"\b(?:each|every|(?:an?|the)\s+(?:average|typical)(?=\s+[a-z\-]+\s+(?!(?:is|are|was|were|has|have|"
                         r"had|holds|contains|weighs|measures|lasts|takes|averages|comprises|spans|covers)\b)))"
                         r"\s+([a-z][a-z\-]{2,})\s+(?:[a-z\-]+\s+){1,4}?(?:up\s+to\s+|about\s+|~)?$", re.I)


def _each_named(text: str, s0: int, pos: int) -> re.Match | None:
    """The "each <noun> <verb> ..." that leads the count at `pos` in its sentence, if any."""
    return _EACH_NAMED.search(text, max(s0, pos - 60), pos)


def _names_stream(noun: str, ref: RateMention) -> bool:
    """Whether `noun` is one of the things the stream `ref` counts ("build" of "builds")."""
    head = ref.subject.split()[-1].lower() if ref.subject else ""
    noun = noun.lower()
    return bool(head) and head in (noun, noun + "s", noun + "es")


def _per_stated_thing(text: str, n: Number, subject: list[str], found: dict[int, RateMention],
                      vocab: dict) -> RateMention | None:
    """A count per one of the things a stated rate counts: "2 sessions a day and ~40 cards per
    session" are 80 cards a day (per user when the sessions are); "40k orders a day, 3 items
    per order" are 120k items a day. The count takes the rate's period and holder."""
    if "per" not in subject:
        return None
    k = subject.index("per")
    thing, per = subject[:k], subject[k + 1:k + 2]
    if not thing or not per or thing[-1] in _NOT_EVENTS or thing[-1] in ("times", "percent"):
        return None
    unit = per[0][:-1] if per[0].endswith("s") and not per[0].endswith("ss") else per[0]
    refs = [r for start, r in sorted(found.items()) if start < n.start and r.subject
            and r.subject.split()[-1] in (unit, unit + "s", unit + "es")]
    if not refs:
        return None
    ref = refs[-1]
    c0, c1 = clause_bounds(text, n.start)
    source = " ".join(text[max(c0, n.start - SOURCE_REACH):min(c1, n.end + SOURCE_REACH // 2)].split())
    source += f" (x {n.value:g} per one of {n_fmt(ref.count_per_period)} {ref.subject} per {ref.period})"
    return RateMention(subject=" ".join(thing), kind=classify(thing, words(text[c0:n.start])[-3:], vocab),
                       per_second=ref.per_second * n.value, period=ref.period,
                       count_per_period=ref.count_per_period * n.value, peak=ref.peak, source=source,
                       per_user=ref.per_user)


# A share of people said earlier in the sentence ("10% of DAU trade ... and they ...").
_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\b", re.I)


def _each_of_actors(text: str, n: Number, subject: list[str], found: dict[int, RateMention],
                    fractions: tuple[tuple[int, int, float], ...], vocab: dict) -> RateMention | None:
    """A count said per actor with a trailing "each" whose clause names no period ("About 10% of
    DAU trade on a given day and they initiate 3 trades each"): the period and the share of people
    acting come from the sentence before the number, so it is a per-user rate of that share."""
    if len(subject) < 2 or subject[-1] != "each" or n.value >= 10_000:
        return None
    thing = subject[:-1]
    if thing[-1] in _NOT_EVENTS or thing[-1] in _NOT_HOLDERS or _people_head(thing, vocab["user_nouns"]):
        return None
    s0, s1 = sentence_bounds(text, n.start)
    if any(s0 <= start < n.start for start in found):
        return None  # a rate said earlier in the sentence owns its period
    periods = list(_PERIOD_BEFORE.finditer(text, s0, n.start))
    if not periods:
        return None
    period = _PERIOD_WORDS[(periods[-1].group("adj") or periods[-1].group("noun") or periods[-1].group("day")).lower()]
    share = next((f for a, b, f in fractions if s0 <= a < n.start), 1.0)
    c0, _ = clause_bounds(text, n.start)
    count = n.value * share
    source = " ".join(text[max(s0, n.start - SOURCE_REACH):min(s1, n.end + SOURCE_REACH // 2)].split())
    if share != 1.0:
        source += f" (x {share:g} of users)"
    return RateMention(subject=" ".join(thing), kind=classify(thing, words(text[c0:n.start])[-3:], vocab),
                       per_second=count / RATE_SECONDS[period], period=period, count_per_period=count, peak=False,
                       source=source, per_user=True)


def n_fmt(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:g}"


_NOT_EVENTS = {"bytes", "byte", "kb", "mb", "gb", "tb", "pb", "ms", "years", "year",
               "months", "days", "weeks", "hours", "minutes", "seconds", "percent",
               "x", "nines", "characters", "chars", "vcpu", "cpus", "cores",
               "instances", "servers", "nodes", "regions", "replicas", "shards"}


def _window_of(ref: RateMention) -> float:
    return ref.count_per_period and (ref.per_second * RATE_SECONDS[ref.period] / ref.count_per_period) or 1.0


_WHEN = re.compile(r"(?:last|this|next|previous|that)\s+(?:day|week|month|year|quarter|season|summer|winter|spring|autumn)\b", re.I)


def _subject_and_period(text: str, pos: int, bare: bool = False) -> tuple[list[str], str, float, int]:
    """Walk the words after a number until a period phrase; (subject, period, window, end).
    `bare`: the period follows the number directly ("300k/day"), the subject is unnamed."""
    subject: list[str] = ["events"] if bare else []
    for _ in range(7):
        skip = _SKIPPABLE.match(text, pos)
        if skip and subject:
            pos = skip.end()
        m = _PERIOD_RE.match(text, pos)
        if m and (subject or m.group("p2")) and (m.group("p1") or m.group("p2") or m.group("p3") or m.group("p4") or m.group("p5")):
            if m.group("p3"):
                return subject, duration_unit(m.group("p3")), float(m.group("n")), m.end()
            word = " ".join((m.group("p1") or m.group("p2") or m.group("p4") or m.group("p5")).lower().split())
            return subject, _PERIOD_WORDS[word], 1.0, m.end()
        passive = _PASSIVE.match(text, pos) if subject else None
        if passive and _PERIOD_RE.match(text, passive.end()):
            pos = passive.end()  # "250k prescriptions are filled per month": the verb sits between
            continue
        w = _WORD.match(text, pos)
        if w and w.group(1).lower() == "or" and subject and _WORD.match(text, w.end()):
            pos = w.end()  # "120,000 price or status updates a day": two modifiers of one head noun
            subject.append("or")
            continue
        if not w or w.group(1).lower() in _STOP or _WHEN.match(text, w.start(1)):
            break  # "750k returns last year": when the count was seen, not a period it recurs over
        subject.append(w.group(1).lower())
        pos = w.end()
    return subject, "", 1.0, pos


def _mention(text: str, n: Number, subject: list[str], period: str, window: float,
             fractions: tuple[tuple[int, int, float], ...], vocab: dict) -> RateMention:
    c0, c1 = clause_bounds(text, n.start)
    left_words = words(text[c0:n.start])
    count = n.value
    per_user = n.value < 10_000 and _per_user(text[c0:n.start], subject, vocab["user_nouns"])
    if per_user and not _each_actor(text[c0:n.start].lower(), subject) \
            and n.value / window * DAY_S / RATE_SECONDS[period] > HUMAN_ACTIONS_PER_DAY:
        per_user = False  # "teachers post 5,000 announcements per day" is everyone together
    # clause bounds are clipped around each number, so a fraction applies when this number
    # lies inside the span of the clause it was found in (a few per text: a scan is enough)
    fraction = next((f for a, b, f in fractions if a <= n.start < b), 1.0)
    seconds = RATE_SECONDS[period] * window
    if period == "second":
        # "about 400/s normally and 2,000/s during renewals": an average word qualifies the number it
        # stands beside, not every number of its clause
        peak = not _AVERAGE.search(_own_words(text, c0, c1, n))
    else:
        peak = bool(re.search(r"\bpeak", text[c0:c1], re.I) or _BURST.search(text[c0:c1])) and not _AVERAGE.search(text[c0:c1])
        # "12,000 a day on average and 3,000 an hour at the busiest hour": the words right
        # after the number decide when the clause holds both an average and a peak
        after = text[n.end:min(c1, n.end + 60)]
        if re.search(r"\b(?:at|in|during|on)\s+(?:the\s+|a\s+)?(?:peak|busiest|rush|busy|heavy)\b", after, re.I) \
                and not _AVERAGE.search(after):
            peak = True
    # The clause around the number, cut to a readable window: a requirement of one long
    # clause must not be copied into every one of its rates (output grew quadratically).
    source = " ".join(text[max(c0, n.start - SOURCE_REACH):min(c1, n.end + SOURCE_REACH)].split())
    if fraction != 1.0:
        count *= fraction
        source += f" (x {fraction:g} of users)"
    holders = _holders(text, c0, n.start, vocab["user_nouns"])
    if not holders and (holders := _holder_in_subject(text, subject, n.start, vocab["user_nouns"])):
        # 20 transactions per company x 3,000 companies counts transactions; "6 per lock" keeps its words
        subject = subject[:subject.index("per")] or subject
    if holders:
        # "each satellite passes 8 times per day" with "48 satellites": the rate is per holder
        count *= holders[0]
        per_user = False
        source += f" (x {holders[0]:g} {holders[1]})"
    kind = classify(subject, left_words[-3:], vocab)
    return RateMention(subject=" ".join(subject), kind=kind, per_second=count / seconds,
                       period=period, count_per_period=count / window, peak=peak,
                       source=source, per_user=per_user)


def _own_words(text: str, c0: int, c1: int, n: Number) -> str:
    """The words of a clause that belong to the number at `n`: from the number before it (or the
    clause start) to the number after it (or the clause end)."""
    before = [m.end() for m in re.finditer(r"\d", text[c0:n.start])]
    after = re.search(r"\d", text[n.end:c1])
    lo = c0 + before[-1] if before else c0
    if before:  # words after the number before, up to a joint, are that number's ("400/s normally and")
        joints = list(re.finditer(r"\b(?:and|but|while|whereas|or|vs|versus)\b|[,;(]", text[lo:n.start], re.I))
        lo = lo + joints[-1].end() if joints else lo
    hi = n.end + after.start() if after else c1
    return text[lo:hi]


# "each satellite", "every meter", "a trap", "an office": the rate is said per one of a
# counted thing ("a typical clinic", "one branch"). "a"/"an"/"one" only count when the text
# states how many of that thing exist.
_EACH = re.compile(r"\b(?:each|every|a|an|one)\s+(?:(?:typical|average|normal|single|given|individual)\s+)?"
                   r"([a-z][a-z\-]{2,})\b", re.I)
# "3,000 orders can arrive within the same minute": a burst, sized as the peak, not an average.
_BURST = re.compile(r"\b(?:within|in)\s+(?:the\s+same|a\s+single|one|the\s+first)\s+(?:second|minute|hour)\b|"
                    r"\b(?:bursts?|spikes?|spiking|surges?|at\s+once|all\s+at\s+the\s+same\s+time)\b", re.I)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
# A conjunction that starts another clause between an indefinite holder and the rate's number.
_NEW_CLAUSE = re.compile(r"\b(?:and|but|while|whereas|whilst)\b", re.I)
# A counted plural noun: "2 million smart meters", "1,800 member farms", "800 camera traps".
_COUNTED_NOUN = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(k|thousand|m|million|bn|b|billion)?\+?\s+"
                           r"((?:[a-z\-]+\s+){0,2}?)([a-z\-]+s)\b", re.I)
_NOT_HOLDERS = {"hours", "minutes", "seconds", "days", "weeks", "months", "years", "times", "bytes",
                "requests", "events", "items", "records", "rows", "percent", "users", "people", "others"}


def _holders(text: str, c0: int, pos: int, user_nouns: list[str]) -> tuple[float, str] | None:
    """(count, noun) when the rate is said per thing and the text states how many of those
    things exist: "each satellite passes 8 times per day" with "48 small satellites", "a
    trap takes 150 photos a day" with "800 camera traps", or "2 million meters. Each sends a
    reading every 15 minutes" (a bare "each" stands for the things counted just before it)."""
    left = text[c0:pos]
    partitive = _each_of_counted(left, user_nouns)
    if partitive:
        return partitive
    # "every skier goes through a lift gate 12 times a day": a distributive "each"/"every" names
    # the holder; an indefinite article names one only when no "each"/"every" does (it is
    # as often the object: "a lift gate")
    found = list(_EACH.finditer(left))
    ranked = [m for m in found if m.group(0).split()[0].lower() in ("each", "every")] or found
    for m in reversed(ranked):
        noun = m.group(1).lower()
        stem = noun[:-1] if noun.endswith("s") else noun
        if noun in user_nouns or stem in user_nouns or stem + "s" in user_nouns:
            return None
        if m.group(0).split()[0].lower() in ("a", "an", "one") and _NEW_CLAUSE.search(left, m.end()):
            continue  # "250,000 open a session ... and sellers list 60,000 items a day": another clause's object
        if stem + "s" in _NOT_HOLDERS or stem in _PERIOD_WORDS:
            continue  # "600k searches a day and 3,000 requests": a period holds nothing
        counted = count_of(text, stem, pos)
        if counted:
            return counted
    alone = list(_EACH_ALONE.finditer(left))
    if alone:
        return counted_before(text, c0 + alone[-1].start(), user_nouns)
    return None


# "each of our 30 branches", "every one of the 1,200 kiosks", "each of its 48 satellites": a
# distributive partitive names the holders and their count in one phrase.
_EACH_OF = re.compile(r"\b(?:each|every\s+one)\s+of\s+(?:our|the|its|their|these|those|your|my|all)?\s*"
                      r"(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|m|million|bn|b|billion)?\+?\s+"
                      r"((?:[a-z\-]+\s+){0,2}?)([a-z\-]+s)\b", re.I)


def _each_of_counted(left: str, user_nouns: list[str]) -> tuple[float, str] | None:
    """(count, noun) when the clause before a rate opens with "each of our N <things>": the rate is
    said per one of those things ("Each of our 30 branches issues 200 loans a day" is 6,000 loans a
    day). People are left to the per-user sizing, periods hold nothing, and a later clause
    ("each of the 3 sites has a manager, and 200 loans ...") is another subject's."""
    found = list(_EACH_OF.finditer(left))
    if not found:
        return None
    m = found[-1]
    noun = m.group(4).lower()
    stem = noun[:-1]
    if noun in user_nouns or stem in user_nouns or noun in _NOT_HOLDERS or stem in _PERIOD_WORDS \
            or _NEW_CLAUSE.search(left, m.end()):
        return None
    count = float(m.group(1).replace(",", "")) * _SCALES.get((m.group(2) or "").lower(), 1.0)
    return count, noun


def _holder_in_subject(text: str, subject: list[str], pos: int, user_nouns: list[str]) -> tuple[float, str] | None:
    """"50 ticks per symbol per second" with "8,000 symbols": a rate said per one of a
    counted thing (not per person: a per-user rate is scaled by the users) is that rate
    times the count."""
    if "per" not in subject[:-1]:
        return None
    noun = subject[subject.index("per") + 1]
    stem = noun[:-1] if noun.endswith("s") else noun
    if noun in user_nouns or stem in user_nouns or stem + "s" in user_nouns or stem in _PERIOD_WORDS:
        return None
    return count_of(text, stem, pos)


def count_of(text: str, stem: str, own: int, depth: int = 0) -> tuple[float, str] | None:
    """How many of `stem` the text states, from a count other than the rate's own number
    ("a URL shortener: 500M new URLs per month" is not 500M URLs per URL). A count said per
    one of another counted thing is multiplied through it: "60 warehouses; each warehouse
    holds 2,000 bins" states 120,000 bins."""
    forms = rf"{re.escape(stem[:-1])}(?:y|ies)" if re.search(r"[^aeiou]y$", stem) else rf"{re.escape(stem)}(?:e?s)?"
    found = _count_of(text, stem, own, depth, forms)
    if found or len(stem) < 3:
        return found
    # "400 field technicians ... a tech does 25 inspections": a clipped job title names the people counted;
    # the clipped part is more than an agent ending ("plays" is no clipping of "players")
    return _count_of(text, stem, own, depth, rf"{re.escape(stem)}[a-z]{{2,}}(?:ian|or|er|ist|ive|ant|ent)s")


def _count_of(text: str, stem: str, own: int, depth: int, forms: str) -> tuple[float, str] | None:
    # "branch" counts "12 branches"; "company" counts "3,000 companies"
    pattern = rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\s+(?:[a-z\-]+\s+){{0,2}}({forms})\b"
    for m in re.finditer(pattern, text, re.I):
        if m.start() != own and not _PERIOD_RE.match(text, m.end()):
            noun = m.group(3).lower()
            count = float(m.group(1)) * _SCALES.get((m.group(2) or "").lower(), 1.0)
            holders = _per_holder(text, m, stem, depth) if depth < 2 else None
            if holders:
                count *= holders[0]
            return count, noun if noun != stem else plural(stem)
    return None


# "each warehouse holds roughly 2,000 bins", "a typical clinic stocks about 30 products": a count
# said per one of a holder, by a verb of having
HOLDER_HAS = re.compile(r"\b(?:each|every|a|an|one)\s+(?:(?:typical|average|single|given|individual)\s+)?"
                         r"(?P<holder>[a-z][a-z\-]{2,})\s+(?:[a-z]+\s+)?(?:has|have|holds|keeps|stocks|contains|runs|operates|"
                         r"manages|owns|houses|carries|employs|hosts|lists|maintains|covers|serves|includes|with)\s+"
                         r"(?:about|around|roughly|approximately|up\s+to|some|~)?\s*$", re.I)
# "45 hotels, 150 rooms each", "150 rooms per hotel": the holder named after the count
_EACH_AFTER_COUNT = re.compile(r"\s*(?:each|apiece|per\s+(?P<holder>[a-z][a-z\-]{2,}))\b", re.I)


def _per_holder(text: str, m: re.Match, stem: str, depth: int) -> tuple[float, str] | None:
    """The count of the holder a count at `m` is said per one of, when the text states it."""
    lead = HOLDER_HAS.search(text, max(0, m.start() - 80), m.start())
    after = _EACH_AFTER_COUNT.match(text, m.end())
    holder = (lead.group("holder") if lead else (after.group("holder") if after else "")) or ""
    holder = holder.lower()
    if holder:
        h_stem = holder[:-1] if holder.endswith("s") and not holder.endswith("ss") else holder
        if h_stem == stem or h_stem in _PERIOD_WORDS or h_stem + "s" in _NOT_HOLDERS:
            return None
        return count_of(text, h_stem, m.start(), depth + 1)
    if after:  # a bare "each": the things counted just before it
        before = counted_before(text, m.start(), [], depth + 1)
        return before if before and before[1].rstrip("s") != stem.rstrip("s") else None
    return None


# "~25 checks an hour each": a rate said per one of the actors counted before it
_TRAILING_EACH = re.compile(r"\s*(?:each|apiece|per\s+head)\b", re.I)
# "civil enforcement officers (around 120 of them)": a count of the plural noun just before it
_OF_THEM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\s+of\s+(?:them|us|those)\b", re.I)
_PLURAL = re.compile(r"\b([a-z][a-z\-]{2,}[^s\W]s)\b", re.I)


def _times_holders(text: str, n: Number, mention: RateMention, user_nouns: list[str]) -> RateMention:
    """The rate times the actors it is said per ("120 officers ... ~25 checks an hour each"),
    or the rate unchanged when the text counts no actors before it."""
    holders = counted_before(text, n.start, user_nouns) or of_them_before(text, n.start)
    if not holders:
        return mention
    count = holders[0]
    return RateMention(subject=mention.subject, kind=mention.kind, per_second=mention.per_second * count,
                       period=mention.period, count_per_period=mention.count_per_period * count, peak=mention.peak,
                       source=f"{mention.source} (x {count:g} {holders[1]})", per_user=False)


def of_them_before(text: str, pos: int) -> tuple[float, str] | None:
    """(count, noun) for "officers (around 120 of them)" in this sentence or the one before."""
    s0, _ = sentence_bounds(text, pos)
    prev0, _ = sentence_bounds(text, max(0, s0 - 2))
    found = list(_OF_THEM.finditer(text, prev0 if s0 > 0 else s0, pos))
    if not found:
        return None
    m = found[-1]
    nouns = list(_PLURAL.finditer(text, max(0, m.start() - 80), m.start()))
    if not nouns or nouns[-1].group(1).lower() in _NOT_HOLDERS:
        return None
    return float(m.group(1)) * _SCALES.get((m.group(2) or "").lower(), 1.0), nouns[-1].group(1).lower()


def counted_before(text: str, pos: int, user_nouns: list[str], depth: int = 0) -> tuple[float, str] | None:
    """The things a bare "each" refers to: the last counted plural noun in this sentence
    before it, else in the sentence before; not a rate ("6,500 applications a year") and
    not people (per-user rates are sized on the users). A count said per one of another
    counted thing is multiplied through it (count_of)."""
    s0, _ = sentence_bounds(text, pos)
    prev0, _ = sentence_bounds(text, max(0, s0 - 2))
    found = [m for m in _COUNTED_NOUN.finditer(text, prev0 if s0 > 0 else s0, pos)]
    for m in reversed(found):
        noun = m.group(4).lower()
        if noun in _NOT_HOLDERS or noun in _NOT_EVENTS or noun[:-1] in user_nouns or noun in user_nouns:
            return None
        if _PERIOD_RE.match(text, m.end()):
            return None
        count = float(m.group(1)) * _SCALES.get((m.group(2) or "").lower(), 1.0)
        holders = _per_holder(text, m, noun[:-1], depth) if depth < 2 else None
        return (count * holders[0] if holders else count), noun
    return None


def classify(subject: list[str], verbs: list[str], vocab: dict) -> str:
    """read, write or total, from the subject first and the verb before the number next."""
    reads, writes, totals = set(vocab["read_words"]), set(vocab["write_words"]), set(vocab["total_words"])
    subj = set(subject)
    if subject and subject[0] == "times":
        subj = set()
    if subj & reads and not {"new", "writes", "write"} & subj:
        return "read"
    if set(verbs) & reads or {v[:-1] for v in verbs if v.endswith("s")} & reads:  # "looks up", "checks"
        return "read"
    if set(verbs) & writes or subj & writes:
        return "write"
    if subj & totals and not _named_request(subject, totals):
        return "total"
    return "write" if subj else "total"


# Words that qualify traffic as a whole ("API requests", "HTTP calls"), not a kind of thing.
_TRAFFIC_QUALIFIERS = {"api", "apis", "http", "https", "web", "rest", "grpc", "graphql", "incoming", "inbound",
                       "total", "all", "server", "backend", "user", "client", "network", "of", "the", "more", "new"}


def _named_request(subject: list[str], totals: set[str]) -> bool:
    """"3,000 stay requests a day" are stays someone asks for (a write of a thing), not the
    system's total traffic: a request word named by a content word before it."""
    i = next((k for k, w in enumerate(subject) if w in totals), -1)
    return i > 0 and subject[i - 1] not in _TRAFFIC_QUALIFIERS and subject[i - 1] not in totals


def to_period(per_second: float, period: str) -> float:
    """Count per `period` for a rate, with the same conventions as the parser."""
    return per_second * RATE_SECONDS[period]



_COUNTED = r"\d[\d.,]*\s*(?:k|m|mm|b|bn|thousand|million|billion)?\+?\s+(?:[a-z\-]+\s+){0,2}"


def _each_actor(low: str, subject: list[str]) -> bool:
    """An "each"/"every" that names an actor, not the counted thing itself ("each
    announcement goes to 400 parents; teachers post 5,000 announcements" is no per-user rate)."""
    counted = {w.rstrip("s") for w in subject}
    return any((m.group(1) or "").rstrip("s") not in counted
               for m in re.finditer(r"\b(?:each|every)\b(?:\s+([a-z\-]+))?", low))


def _people_head(subject: list[str], user_nouns: list[str]) -> bool:
    """Whether the counted noun phrase names people: its head (last) word, or a people word
    that is not a singular qualifier of a plural head ("supplier invoices")."""
    head = subject[-1]
    people = set(user_nouns)
    if head in people:
        return True
    qualifiers = [w for w in subject[:-1] if w in people]
    return bool(qualifiers) and not (head.endswith("s") and all(w + "s" in people for w in qualifiers))


def _per_user(left: str, subject: list[str], user_nouns: list[str]) -> bool:
    """"each user sends 40 messages a day" and "40 messages per user a day" are per user;
    "about 1M users and 50 requests per second" is a user count next to a total rate."""
    low = left.lower()
    if _each_actor(low, subject):
        return True
    # "200k daily active users with 5 sessions per day", "members who book 2 classes a week"
    if re.search(r"\b(?:" + "|".join(re.escape(u) for u in user_nouns) + r")\s+(?:with|who\s+[a-z]+|that\s+[a-z]+|each\s+[a-z]+ing)"
                 r"\s+(?:about|around|roughly|~|up\s+to|on\s+average)?\s*$", low):
        return True
    if "per" in subject and set(subject) & set(user_nouns):
        return True
    for noun in user_nouns:
        for m in re.finditer(rf"\b{re.escape(noun)}\b", low):
            if not re.search(_COUNTED + r"$", low[:m.start()]):
                return True  # "users send 40 messages": the noun is the actor, not a count
    return False
