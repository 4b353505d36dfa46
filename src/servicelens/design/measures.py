"""Numbers that are not event rates: sizes, retention, latency, availability, ratios,
peak factor, fan-out, user counts and percentages.

Each extractor returns what it found and the number spans it used, so the rate
extractor (which runs last) never reads "10x" or "20 MB" as a rate.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from servicelens.design.held_volumes import is_held_volume
from servicelens.design.text import Number, clause_bounds, has_phrase, sentence_bounds, words
from servicelens.model.design import Quantity

SIZE_UNITS = {
    "b": 1, "byte": 1, "bytes": 1, "kb": 1e3, "kilobytes": 1e3, "kib": 1024,
    "mb": 1e6, "megabytes": 1e6, "mib": 1024**2, "gb": 1e9, "gigabytes": 1e9,
    "gib": 1024**3, "tb": 1e12, "terabytes": 1e12, "tib": 1024**4, "pb": 1e15,
}
DURATION_S = {
    "second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800,
    "month": 2_592_000, "year": 31_536_000,
}
_DUR_RE = re.compile(r"\s*(years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?)\b", re.I)
_SIZE_RE = re.compile(r"\s*(bytes?|kib|mib|gib|tib|kb|mb|gb|tb|pb|b|kilobytes|megabytes|gigabytes|terabytes|characters|chars)(?![a-z])", re.I)
_PERCENT_RE = re.compile(r"\s*(%|percent\b)", re.I)
_UNIT_ALIASES = {"yr": "year", "hr": "hour", "min": "minute"}


@dataclass(frozen=True, slots=True)
class Measures:
    """What the extractors found, keyed by requirement field, plus the spans they used."""

    values: dict[str, Quantity] = field(default_factory=dict)
    user_fractions: tuple[tuple[int, int, float], ...] = ()  # (clause start, end, fraction)
    used: frozenset[int] = frozenset()  # start offsets of numbers already explained
    duplicates: tuple[tuple[str, Quantity, Quantity], ...] = ()  # same field, two values
    roles: tuple[tuple[int, str], ...] = ()  # (number start, field) for the "as understood" table


def duration_unit(word: str) -> str:
    """'yrs' -> 'year'; the canonical period name."""
    w = word.lower().rstrip("s")
    return _UNIT_ALIASES.get(w, w)


def _snippet(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start):end].split())


def extract(text: str, nums: tuple[Number, ...], vocab: dict) -> Measures:
    """Run every extractor in priority order and merge their results."""
    values: dict[str, Quantity] = {}
    used: set[int] = set()
    duplicates = []
    roles: dict[int, str] = {}
    for extractor in (_identifiers, _latency, _availability, _ratio, _peak, _fanout, _bitrates, _sizes,
                      _durations, _users):
        for key, qty, starts in extractor(text, nums, vocab, used):
            if starts and set(starts) <= used:
                continue  # the same number, matched by a looser pattern
            first = values.setdefault(key, qty)
            if first is not qty and key == "retention" and overrides(text, first, qty):
                values[key] = first = qty  # "the law requires 2 years, but we keep 7": the kept one sizes storage
            if first is not qty and key not in _NOT_COMPARED and abs(first.value - qty.value) > 1e-9 * max(1.0, abs(first.value)):
                duplicates.append((key, first, qty))
            for start in starts:
                roles.setdefault(start, key)
            used.update(starts)
    fractions, pct_values, pct_used = _percentages(text, nums, vocab, used)
    for key, qty in pct_values.items():
        values.setdefault(key, qty)
    for start in pct_used:
        roles.setdefault(start, "user_fraction")
    if "daily_active_fraction" not in values:
        share = word_daily_share(text)
        if share:
            values["daily_active_fraction"] = share[0]
            starts = [x.start for x in nums if share[1] <= x.start < share[2] and x.start not in used]
            for start in starts:
                roles.setdefault(start, "user_fraction")
            used.update(starts)
    used.update(pct_used)
    return Measures(values, tuple(fractions), frozenset(used), tuple(duplicates), tuple(sorted(roles.items())))


def _num_at(nums: tuple[Number, ...], starts: list[int], pos: int) -> Number | None:
    """The number covering `pos`; numbers are sorted and disjoint, so bisect (not a scan)."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and nums[i].start <= pos < nums[i].end:
        return nums[i]
    return None


# Fields of which a text may state several different values without contradicting itself.
_NOT_COMPARED = frozenset({"identifier", "stated_bandwidth", "stream_bitrate", "held_volume"})
# "EVC-412", "PET-77", "COVID-19": digits joined to a capitalised code are a name (a ticket,
# a product), never a quantity to size from.
_CODE_BEFORE = re.compile(r"\b[A-Z][A-Z0-9]+-$")


# "Microsoft 365 account", "Windows 11 laptops", "Postgres 16": a whole number right after a
# capitalised name inside a sentence is that product's version or edition, not a quantity.
_NAME_BEFORE = re.compile(r"(?P<lead>[^\s]?)\s*\b(?P<name>[A-Z][a-z][A-Za-z]+)\s$")
_QUANTITY_AFTER = re.compile(r"(?:[:.]\d|\s*(?:[kmb]\b|%|x\b|h\b|thousand|million|billion|am\b|pm\b|[a-z]+\s+(?:a|an|per|each|every)\s+"
                             r"(?:second|minute|hour|day|week|month|year)\b))", re.I)
# a day or a month before a number starts a date or a time ("Thursday 18:00", "March 3"), read elsewhere
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june "
                      "july august september october november december".split())


_PLURAL_AFTER = re.compile(r"\s+[a-z][a-z\-]*[^s\W]s\b")


def _product_version(text: str, n) -> bool:
    m = _NAME_BEFORE.search(text, max(0, n.start - 40), n.start)
    if not m or "." in n.text or "," in n.text or n.value != int(n.value) or _QUANTITY_AFTER.match(text, n.end):
        return False
    lead = m.group("lead")
    if m.group("name").lower() in _CALENDAR or _PLURAL_AFTER.match(text, n.end):
        return False  # "Coldplay 2 concerts": a count of the plural, whatever precedes it
    return bool(lead) and lead not in ".!?:;" and not _SIZE_RE.match(text, n.end) and not _DUR_RE.match(text, n.end)


# A number with one capital letter glued to it ("OCPP 1.6J", "Wi-Fi 6E") is a version or a
# model name; a multiplier or a unit letter ("4K", "10M", "3X") is not.
_GLUED_NAME = re.compile(r"[A-JL-WYZ](?![A-Za-z])")


def _identifiers(text, nums, vocab, used):
    for n in nums:
        if _CODE_BEFORE.search(text, max(0, n.start - 12), n.start) or _product_version(text, n) \
                or _GLUED_NAME.match(text, n.end):
            yield "identifier", Quantity(n.value, "id", _snippet(text, n.start - 12, n.end)), [n.start]


def _latency(text, nums, vocab, used):
    pats = (
        (r"\bp(?P<pct>50|90|95|99|99\.9|999)\b(?:\s*latency)?[^0-9;.]{0,25}?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>ms|milliseconds?|s|sec|seconds?)\b", None),
        (r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>ms|milliseconds?)\s*(?:at\s+|for\s+)?(?:the\s+)?\(?p(?P<pct>50|90|95|99|999)\b", None),
        (r"\bmedian\b[^0-9;.]{0,25}?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>ms|milliseconds?)\b", "50"),
        (r"(?:latency|response times?|respond|responds|responses|within|under|below|less than)[^0-9;.]{0,25}?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>ms|milliseconds?)\b", "99"),
    )
    starts = [n.start for n in nums]
    for pat, default_pct in pats:
        for m in re.finditer(pat, text, re.I):
            pct = m.groupdict().get("pct") or default_pct
            ms = float(m.group("n")) * (1 if m.group("u").lower().startswith("m") else 1000)
            key = "latency_p50_ms" if pct == "50" else "latency_p99_ms"
            n = _num_at(nums, starts, m.start("n"))
            yield key, Quantity(ms, "ms", _snippet(text, m.start(), m.end())), ([n.start] if n else [])


def _availability(text, nums, vocab, used):
    for m in re.finditer(r"(?P<n>\d)\s*nines\b", text, re.I):
        pct = round(100 * (1 - 10 ** -int(m.group("n"))), 6)
        yield "availability_pct", Quantity(pct, "%", _snippet(text, m.start(), m.end())), [m.start("n")]
    for n in nums:
        if not _PERCENT_RE.match(text, n.end) or n.value < 90 or n.value >= 100.0001:
            continue
        c0, c1 = clause_bounds(text, n.start)
        ctx = text[c0:c1].lower()
        if n.value >= 99 or re.search(r"availab|uptime|sla|slo|up\b", ctx):
            yield "availability_pct", Quantity(n.value, "%", _snippet(text, c0, c1)), [n.start]


def _ratio(text, nums, vocab, used):
    num = r"(\d+(?:\.\d+)?)"
    sep = r"\s*(?:ratio)?\s*(?:of|is|=|:|at|about|around|roughly|approximately)?\s*"
    pats = (
        (r"\bread(?:s)?\s*[:/]\s*writes?" + sep + num + r"\s*(?::|/|to)\s*" + num, False),
        (r"\bwrites?\s*[:/]\s*reads?" + sep + num + r"\s*(?::|/|to)\s*" + num, True),
        (num + r"\s*(?::|/|to)\s*" + num + r"\s*(?:ratio\s+)?(?:of\s+)?reads?[- ]?(?:to[- ]|[:/]\s*)writes?", False),
        (r"\b(?:uploads?|writes?|posts?)\s*[:/]\s*(?:views?|reads?|downloads?)" + sep + num + r"\s*(?::|/|to)\s*" + num, True),
        (r"\b(?:views?|downloads?)\s*[:/]\s*(?:uploads?|writes?|posts?)" + sep + num + r"\s*(?::|/|to)\s*" + num, False),
    )
    for pat, inverted in pats:
        for m in re.finditer(pat, text, re.I):
            a, b = float(m.group(1)), float(m.group(2))
            if a <= 0 or b <= 0:
                continue
            ratio = b / a if inverted else a / b
            starts = [n.start for n in nums if m.start() <= n.start < m.end()]
            yield "read_write_ratio", Quantity(ratio, "x", _snippet(text, m.start(), m.end())), starts
    single = (
        r"\breads?\s+(?:are|is|outnumbers?(?:\s+writes)?(?:\s+by)?)\s*(?:about|around|roughly)?\s*" + num + r"\s*(?:x|times)",
        num + r"\s*(?:x|times)\s+(?:more\s+)?reads?\s+(?:than|as)\s+writes?",
        num + r"\s*reads?\s+(?:per|for every|for each|to every|to each|to one|to 1)\s+(?:1\s+)?writes?",
        r"\bread[- ]heavy\s*\(?\s*" + num + r"\s*(?:x|times|:\s*1)",
    )
    for pat in single:
        for m in re.finditer(pat, text, re.I):
            starts = [n.start for n in nums if m.start() <= n.start < m.end()]
            yield "read_write_ratio", Quantity(float(m.group(1)), "x", _snippet(text, m.start(), m.end())), starts
    for m in _READS_PER_THING.finditer(text):
        value = float(m.group("n1") or m.group("n2"))
        thing = (m.group("x1") or m.group("x2")).lower()
        if value <= 1 or _READ_NOUN.fullmatch(thing.split()[-1]) or thing.rstrip("s") in _NOT_WRITTEN:
            continue  # "2 views per view", "8,000 views per second", "40 views per user": no reads per written thing
        starts = [n.start for n in nums if m.start() <= n.start < m.end()]
        yield "read_write_ratio", Quantity(value, "x", _snippet(text, m.start(), m.end())), starts


# What reads are counted per that is no written thing: a time unit (a rate) or the people or
# places doing the reading (a per-user habit).
_NOT_WRITTEN = frozenset("second sec minute min hour day week month year s user customer member visitor person people "
                         "player subscriber reader viewer listener student employee driver rider session device page "
                         "tenant account shopper guest client household".split())
# Nouns of reading: what people do to look at what others wrote, counted per written thing.
_READ_NOUN = re.compile(r"(?:[a-z\-]+[- ])?(?:searches|search|views|lookups|reads|queries|visits|fetches|checks|downloads|"
                        r"page\s+views|impressions|polls)", re.I)
_READ_NOUNS = r"(?:[a-z\-]+\s+)?(?:searches|views|lookups|reads|queries|visits|fetches|downloads|page\s+views|impressions|polls)"
# "for every booking there are ~150 availability searches", "each listing gets about 40 views",
# "30 lookups per booking": reads of what one write made, a read:write ratio with the reads named.
_READS_PER_THING = re.compile(
    r"\b(?:for\s+(?:every|each)\s+(?P<x1>[a-z][a-z\-]+)\s*,?\s+(?:there\s+(?:are|is|will\s+be)|we\s+(?:see|get|serve)|come|comes)\s+"
    r"(?:about\s+|around\s+|roughly\s+|~\s*|some\s+)?(?P<n1>\d+(?:\.\d+)?)\s+" + _READ_NOUNS + r"|"
    r"(?P<n2>\d+(?:\.\d+)?)\s+" + _READ_NOUNS + r"\s+(?:per|for\s+every|for\s+each|to\s+every|to\s+each)\s+(?:single\s+)?"
    r"(?P<x2>[a-z][a-z\-]+))\b", re.I)


def ratio_reads(source: str) -> str:
    """The reads a stated per-thing ratio names ("availability searches" of "for every booking
    there are ~150 availability searches"), or ''."""
    m = _READS_PER_THING.search(source)
    if not m:
        return ""
    span = source[m.start():m.end()]
    found = re.search(r"\d\s+(" + _READ_NOUNS + r")", span, re.I)
    return " ".join(found.group(1).lower().split()) if found else ""


def _peak(text, nums, vocab, used):
    num = r"(\d+(?:\.\d+)?)"
    pats = (
        r"\bpeak(?:s|ing|ed)?(?:\s+factor|\s+traffic|\s+load|\s+is|\s+of|\s+at|\s+to)*\s*(?:is|of|=|:|at|around|about|up to)?\s*" + num + r"\s*(?:x|times)(?![a-z])",
        num + r"\s*(?:x|times)\s+(?:the\s+)?(?:average|normal|baseline|mean)?\s*(?:traffic\s+|load\s+)?(?:at|during|in|on)?\s*(?:the\s+)?peaks?",
        r"\bpeak[- /]*to[- /]*average(?:\s+ratio)?\s*(?:of|is|=|:)?\s*" + num,
        r"\bspikes?\s+(?:of|to|up to)\s+" + num + r"\s*(?:x|times)",
        # a multiple of the ordinary rate said by a verb of rising ("jumps to 10x that", "surges to 5 times")
        r"\b(?:jump|rise|rising|rose|surge|climb|shoot|shot|increase|burst|balloon|spik)\w*\s+(?:up\s+)?(?:to|by)\s+(?:about\s+|around\s+|~\s*)?"
        + num + r"\s*(?:x|times)(?![a-z])",
        # "5 times normal" (not "150x that" after another stream: that is a ratio between two streams)
        num + r"\s*(?:x|times)\s+(?:normal|usual|the\s+(?:usual|normal|average|baseline|ordinary)|its\s+(?:usual|normal|average))\b",
        # "8x the hourly average", "3x that day's hourly average": a multiple of the average of a
        # named period is a peak factor whatever period the average is taken over
        num + r"\s*(?:x|times)\s+(?:(?:the|its|our|that|this)\s+)?(?:(?:day|week|month|hour)'s\s+)?"
        r"(?:hourly|daily|weekly|monthly|per[- ](?:minute|second|hour|day))\s+(?:average|normal|usual|baseline|mean|typical)\b",
    )
    for pat in pats:
        for m in re.finditer(pat, text, re.I):
            starts = [n.start for n in nums if m.start() <= n.start < m.end()]
            c0, _ = clause_bounds(text, m.start())
            if _ONE_MEMBER.search(text, c0, m.start()):
                continue  # "push a single app to 50x its normal rate": one tenant's burst, not the system's peak
            yield "peak_factor", Quantity(float(m.group(1)), "x", _snippet(text, m.start(), m.end())), starts
    # "the peak hour carries 15% of the day's visits": a window's share of a longer period is
    # a multiple of that period's average (0.15 x 24 hours = 3.6x)
    for n in nums:
        pct = _PERCENT_RE.match(text, n.end)
        if not pct or not 0 < n.value < 100:
            continue
        c0, c1 = clause_bounds(text, n.start)
        window_s, clock = _share_window_s(text[c0:c1])
        # a window of the clock recurs every day: its share is of a day's volume (design/windows.py)
        base_s = _share_base_s(text, pct.end(), n.start) if not clock or _SHARE_BASE.match(text, pct.end()) \
            else (DURATION_S["day"] if _OF_THE_STREAM.match(text, pct.end()) else None)
        if base_s and window_s and window_s < base_s:
            yield "peak_factor", Quantity(n.value / 100 * base_s / window_s, "x", _snippet(text, c0, c1)), [n.start]
    # "traffic triples in December": a multiple said as a verb
    for m in re.finditer(r"\b(?:traffic|load|usage|volume|requests|orders|demand)\s+(?:\w+\s+)?(doubles|triples|quadruples)\b", text, re.I):
        factor = {"doubles": 2.0, "triples": 3.0, "quadruples": 4.0}[m.group(1).lower()]
        yield "peak_factor", Quantity(factor, "x", _snippet(text, m.start(), m.end())), []


# One member of a population named before a multiple: the burst is that member's alone.
_ONE_MEMBER = re.compile(r"\b(?:a\s+single|one\s+single|a\s+given|an\s+individual|any\s+one|a\s+particular)\s+"
                         r"(?!(?:second|minute|hour|day|week|weekday|month|year|night|evening|morning)\b)[a-z][a-z\-]+", re.I)
_SHARE_BASE = re.compile(r"\s*(?:of\s+)?(?:(?:the|a|all)\s+)?(?:(day|week|month|year)'s|(daily|weekly|monthly|yearly|annual))\b", re.I)
_SHARE_WINDOW = re.compile(r"\b(?:peak|busiest|busy|rush|lunch|evening|morning|single|one|first|last)\s+(hour|minute|day|week)\b", re.I)
# "the 9-10am hour", "between 6 and 8am": a window of the clock, as long as its ends are apart
_CLOCK_SPAN = re.compile(r"\b(\d{1,2})(?::(\d\d))?\s*(am|pm)?\s*(?:-|\u2013|to|until|and)\s*(\d{1,2})(?::(\d\d))?\s*(am|pm)\b",
                         re.I)
# "... carries roughly 25% of them": a share of the stream counted just before, over that stream's period
_OF_THE_STREAM = re.compile(r"\s*of\s+(?:them|those|these|it|the\s+total|all\s+of\s+them)\b", re.I)
_STREAM_PERIOD = re.compile(r"\b(?:a|an|per|each|every)\s+(?:(?:typical|normal|average|usual|given)\s+)?(day|week|month|year)\b"
                            r"|\b(daily|weekly|monthly|yearly|annual)\b", re.I)
_BASE_PERIOD = {"day": "day", "week": "week", "month": "month", "year": "year", "daily": "day", "weekly": "week",
                "monthly": "month", "yearly": "year", "annual": "year"}


# A data rate ("1.5 Mbit/s", "4 Mbps", "200 KB/s") is a bandwidth, never a count of things
# per second; one said of each stream ("each call is ~1.5 Mbit/s", "per camera") is what one
# open stream carries.
_BITRATE = re.compile(r"\s*(?:(?P<bits>[kmgt])(?:bit|b)(?:/s|ps)|(?P<bytes>[kmgt])i?b/s|(?P<bits2>[kmgt])bits?\s+per\s+second)\b", re.I)
_EACH_AFTER = re.compile(r"\s*(?:each|apiece|per\s+(?!second\b|sec\b|s\b)[a-z]+)\b", re.I)
_SCALE = {"k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12}
_PER_STREAM = re.compile(r"\b(?:each|every|per|a|one)\s+(?!second\b|sec\b|s\b)[a-z]+", re.I)


def _bitrates(text, nums, vocab, used):
    for n in nums:
        m = _BITRATE.match(text, n.end)
        if not m or n.start in used:
            continue
        scale = _SCALE[(m.group("bits") or m.group("bytes") or m.group("bits2")).lower()]
        per_second = n.value * scale / (1 if m.group("bytes") else 8)
        c0, c1 = clause_bounds(text, n.start)
        each = _PER_STREAM.search(text[c0:n.start]) or _EACH_AFTER.match(text, m.end())
        yield ("stream_bitrate" if each else "stated_bandwidth"), Quantity(per_second, "B/s", _snippet(text, c0, c1)), [n.start]


def _fanout(text, nums, vocab, used):
    for n in nums:
        right = text[n.end:n.end + 40].lower()
        left = text[max(0, n.start - 40):n.start].lower()
        if re.match(r"\s*(?:followers|friends|follower|subscribers each|contacts|recipients|members per group)", right) \
                or (re.search(r"follow(?:s|ing)?\s*(?:about|around|on average)?\s*$", left)
                    and re.match(r"\s*(?:people|users|accounts|others|friends)", right)) \
                or re.search(r"fan-?out\s*(?:of|is|=|:)?\s*(?:about|around)?\s*$", left) \
                or (re.search(r"\b(?:goes|go|is sent|are sent|gets sent|get sent|is delivered|are delivered|fans? out|broadcast)\s+to\s+"
                              r"(?:about|around|roughly|~|up to|an average of)?\s*$", left)
                    and re.match(r"\s*[a-z\-]+s\b", right)):
            yield "fanout", Quantity(n.value, "count", _snippet(text, max(0, n.start - 20), n.end + 20)), [n.start]


_WORKING_MEMORY = re.compile(r"\s*(?:of\s+)?(?:memory|ram|heap)\b", re.I)
_WORKING_MEMORY_BEFORE = re.compile(r"\b(?:memory|ram|heap)\s+(?:limit\s+)?(?:of|is|:|=|up\s+to|under|below|capped\s+at)?\s*~?\s*$", re.I)


def _sizes(text, nums, vocab, used):
    media = vocab["media_words"]
    for n in nums:
        m = _SIZE_RE.match(text, n.end)
        if not m or n.start in used:
            continue
        unit = m.group(1).lower()
        c0, c1 = clause_bounds(text, n.start)
        clause = text[c0:c1]
        src = _snippet(text, c0, c1)
        if unit in ("characters", "chars"):
            if re.search(r"quer|search|prefix|keyword|term|autocomplete|typeahead", clause, re.I):
                yield "query_chars", Quantity(n.value, "count", src), [n.start]
            else:
                yield "record_bytes", Quantity(n.value * 2, "B", src + " (2 bytes per character)"), [n.start]
            continue
        if _WORKING_MEMORY.match(text, m.end()) or _WORKING_MEMORY_BEFORE.search(text[c0:n.start]):
            continue  # "256 MB of memory" per job is what a worker holds, not what is stored
        value = n.value * SIZE_UNITS[unit]
        if is_held_volume(text, n.start, m.end()):
            yield "held_volume", Quantity(value, "B", src), [n.start]  # a stock's volume, not one object's size
            continue
        # a size of 100 KB or more is a stored object, not a row, when its sentence names one
        # ("plate images ... (around 200 KB each)": the clause in brackets names nothing)
        s0, s1 = sentence_bounds(text, n.start)
        is_media = ((any(w in media for w in words(clause)) and not _nearer_size(text, nums, n, c0, c1, media))
                    or value >= 1e6 or (value >= 1e5 and any(w in media for w in words(text[s0:s1]))))
        yield ("media_bytes" if is_media else "record_bytes"), Quantity(value, "B", src), [n.start]


def _nearer_size(text: str, nums, n, c0: int, c1: int, media) -> bool:
    """Another size of the clause sits nearer its media word ("a claim form is ~4 KB of JSON and
    claimants can attach photos of up to 8 MB": the 8 MB is the photo's, the 4 KB the form's)."""
    spots = [m.start() for m in re.finditer(r"[a-z][a-z\-]*", text[c0:c1], re.I) if m.group(0).lower() in media]
    if not spots:
        return False
    def distance(x) -> int:
        return min(abs(c0 + p - x.start) for p in spots)
    others = [x for x in nums if x is not n and c0 <= x.start < c1 and _SIZE_RE.match(text, x.end)]
    return any(distance(x) < distance(n) for x in others)


# what is unreachable for a while: the window a backlog builds over, not how long data is kept
OUTAGE_BEFORE = re.compile(r"\b(?:down|offline|unavailable|unreachable|disconnected|outage|outages|loses?\s+(?:connectivity|"
                           r"connection|network|signal)|without\s+(?:connectivity|network|a\s+connection))\b[^.;]{0,30}?"
                           r"\b(?:for|of|lasting)\s+(?:up\s+to\s+|at\s+most\s+|about\s+|around\s+|~\s*)?$", re.I)
_PER_PERIOD_OF = re.compile(r"\s+of\s+(?:[a-z\-]+\s+){1,3}?(?:a|an|per|each|every)\s+(?:day|week|month|year)\b", re.I)
_VALIDITY = re.compile(r"\b(?:valid|active|open|live|available|in\s+force|good|effective)\s+(?:for\s+)?(?:about\s+|around\s+|up\s+to\s+)?$", re.I)
# "the code expires 72 hours after drop-off", "a voucher expires 28 days from issue": the expiry of
# one item counted from an event of that item (a field or TTL of the item), not how long data is kept.
_EXPIRES_BEFORE = re.compile(r"\b(?:expires?|expiring|expiry|lapses?|runs\s+out)\b[^.;,]{0,20}?$", re.I)
_FROM_EVENT = re.compile(r"\s+(?:after|from|since|following)\s+(?:the\s+|its\s+|it\s+is\s+|it\s+was\s+|being\s+)?[a-z]", re.I)
# A storage tier named right after a duration: the duration is how long data stays in it.
_TIER_AFTER = re.compile(r"\s*(?:of\s+)?(?:raw|hot|warm|cold|online|in\s+(?:the\s+)?(?:hot|warm|cold|online)\b|"
                         r"at\s+full\s+(?:resolution|fidelity)|full[- ](?:resolution|fidelity))(?![a-z\-])", re.I)
_KEEPING = frozenset({"keep", "kept", "retain", "retained", "retention", "store", "stored", "storing", "history",
                      "archive", "archived", "preserve"})


def _durations(text, nums, vocab, used):
    for n in nums:
        m = _DUR_RE.match(text, n.end)
        if not m or n.start in used:
            continue
        left = text[max(0, n.start - 60):n.start].lower()
        if re.search(r"\b(?:in|over|within|every|each|per|last|past)\s*$", left):
            continue  # a window of a rate ("15B pages in 4 weeks"), not a retention
        c0, c1 = clause_bounds(text, n.start)
        clause_words = set(words(text[c0:n.start]))
        if _kept_for(text[c0:n.start], n.value * DURATION_S[duration_unit(m.group(1))]):
            yield "retention", Quantity(n.value * DURATION_S[duration_unit(m.group(1))], "s", _snippet(text, c0, c1)), [n.start]
            continue
        if re.search(r"\b(?:hold|holds|held|reserve[sd]?|reservation|lock(?:ed|s)?|timeout|lease|grace)\b", text[c0:c1], re.I):
            continue  # a hold or timeout ("a 10-minute room hold"), not how long data is kept
        if _PER_PERIOD_OF.match(text, m.end()):
            continue  # "9,000 hours of audio a month": a quantity of recordings produced per period (derived.py)
        if OUTAGE_BEFORE.search(text[max(0, n.start - 60):n.start]):
            continue  # "if the central system is down for up to 15 minutes": an outage to ride out (derived.py)
        if _VALIDITY.search(text[max(0, n.start - 40):n.start]):
            continue  # "a permit is valid for 12 months": how long the thing is in force, not how long data is kept
        if _item_expiry(text, n, m, clause_words):
            continue  # "the code expires 72 hours after drop-off": an expires_at of the item (figures.classify)
        if _TIER_AFTER.match(text, m.end()):  # "30 days raw, then rollups", "30 days hot, 7 years cold"
            yield "retention", Quantity(n.value * DURATION_S[duration_unit(m.group(1))], "s", _snippet(text, c0, c1)), [n.start]
            continue
        if clause_words & set(vocab["retention_words"]):
            seconds = n.value * DURATION_S[duration_unit(m.group(1))]
            if clause_words & set(vocab["retention_words"]) == {"for"} and (
                    seconds < 86_400 or re.search(r"\b(?:more|longer|less|fewer)\s+than\s*$", left)):
                continue  # "above 8 degrees C for more than 15 minutes" is a condition, not how long data is kept
            yield "retention", Quantity(seconds, "s", _snippet(text, c0, c1)), [n.start]


# "records stay available for 18 months", "must be held until five years after the account closes",
# "retained for at least 7 years", "the utility keeps 3 years": a verb of keeping data right before the duration. "Held" also
# names a hold ("seats are held for 10 minutes"): it reads as keeping only up to a date ("until")
# or over a year.
_KEPT_FOR = re.compile(r"\b(?P<verb>kept|retained|stored|archived|preserved|held|keeps|retains|keep|retain|store|hold|"
                       r"(?:stay|stays|remain|remains)\s+(?:available|accessible|online|searchable|retrievable|on\s+file))"
                       r"(?:\s+on\s+file)?\s+(?:(?P<prep>for|until|till)\s+)?(?:at\s+least\s+|about\s+|around\s+|up\s+to\s+|~\s*)?$",
                       re.I)


# A contrast that puts the operator's own choice over a stated minimum: "..., but we will keep 7
# years", "; however we retain them for 5 years", "..., though we hold them 10 years".
_CONTRAST_KEEP = re.compile(r"(?:,|;|\.|\band)?\s*\b(?:but|however|though|although|yet)\b,?\s+(?:(?:we|our|the)\s+)?"
                            r"(?:[a-z\-]+\s+){0,3}?(?:keep|keeps|retain|retains|store|stores|hold|holds|archive|archives)\b", re.I)


def overrides(text: str, first: Quantity, later: Quantity) -> bool:
    """Whether a later retention replaces the first: said in a contrast that keeps data longer
    than the first (a legal minimum the operator exceeds), in the same or the next sentence."""
    if later.value <= first.value:
        return False
    at_first, at_later = text.find(first.source), text.find(later.source)
    if at_first < 0 or at_later <= at_first:
        return False
    between = text[at_first:at_later + len(later.source)]
    if not _CONTRAST_KEEP.search(between) or between.count(".") > 1:
        return False
    from servicelens.design.retentions import own_part, subject_of  # retentions reads durations from here
    flat = " ".join(text.split())
    said_of = subject_of(flat, own_part(" ".join(later.source.split()), later.value))
    return not said_of or same_data_as(flat, first, said_of)


def same_data_as(flat: str, first: Quantity, said_of: str) -> bool:
    """Whether the data a retention is said of is the data of `first` (or a record of it)."""
    from servicelens.design.retentions import keeps, own_part, subject_of
    first_of = subject_of(flat, own_part(" ".join(first.source.split()), first.value))
    return not first_of or first_of == said_of or keeps(first_of, said_of) or keeps(said_of, first_of)


def _kept_for(before: str, seconds: float) -> bool:
    """Whether the words before a duration say data is kept that long (see _KEPT_FOR)."""
    m = _KEPT_FOR.search(before)
    if not m or seconds < 86_400:
        return False
    if not m.group("prep"):  # "the utility keeps 3 years": only an active verb of keeping takes a duration bare
        return m.group("verb").lower() in ("keep", "keeps", "retain", "retains")
    if m.group("verb").lower() in ("held", "hold"):
        return m.group("prep").lower() != "for" or seconds >= 365 * 86_400
    return True


def _item_expiry(text, n, m, clause_words) -> bool:
    """Whether a duration is when one item expires rather than how long data is kept: an expiry
    word just before it, no word of keeping in the clause, and the period counted from an event of
    the item ("72 hours after drop-off") or shorter than a year ("vouchers expire after 90 days").
    "links expire after 2 years", with no event, stays the data's retention."""
    if not _EXPIRES_BEFORE.search(text[max(0, n.start - 40):n.start]) or clause_words & _KEEPING:
        return False
    seconds = n.value * DURATION_S[duration_unit(m.group(1))]
    return bool(_FROM_EVENT.match(text, m.end())) or seconds < 365 * 86_400


_USER_QUALIFIERS = {"daily", "monthly", "active", "total", "registered", "unique", "enrolled", "subscribed", "insured",
                    "paying", "concurrent", "simultaneous", "online", "weekly", "signed-up", "end"}


# "1.5M daily active learners", "40k registered crafters": the qualifier says the noun counts
# people, whatever the text calls them.
_PEOPLE_QUALIFIED = re.compile(r"\b(?:daily|monthly|weekly)\s+active\s+([a-z][a-z\-]{2,}s)\b|"
                               r"\b(?:registered|signed-up|paying|concurrent|active|enrolled|subscribed|insured)\s+([a-z][a-z\-]{2,}s)\b", re.I)
_NOT_PEOPLE = frozenset({"sessions", "connections", "requests", "listings", "streams", "jobs", "orders", "devices", "hours",
                         "days", "minutes", "seconds", "weeks", "months", "years", "users"})


def with_text_people(vocab: dict, text: str) -> dict:
    """`vocab` whose user nouns also hold the nouns this text counts as people, singular and
    plural (so "a learner opens 2 sessions a day" is per learner when the text has "1.5M daily
    active learners"). A new dict; the catalogue's vocabulary is not changed."""
    own = {w.lower() for m in _PEOPLE_QUALIFIED.finditer(text) for w in m.groups() if w} - _NOT_PEOPLE
    listed = set(vocab["user_nouns"])
    singular = {w[:-1] for w in listed | own if w.endswith("s") and not w.endswith("ss")}
    extra = sorted((own | singular) - listed)
    return dict(vocab, user_nouns=list(vocab["user_nouns"]) + extra) if extra else vocab


def _users(text, nums, vocab, used):
    from servicelens.design.groups import size_spans  # groups reads durations from this module
    nouns = set(vocab["user_nouns"])
    group_sizes = size_spans(text)
    for n in nums:
        if n.start in used or n.start in group_sizes:
            continue  # "(10 players)" of a match is the match's size, not the user base
        if re.search(r"\b(?:up to|at most|maximum of|max(?:imum)?|no more than)\s*$", text[max(0, n.start - 20):n.start], re.I):
            continue  # "up to 50 people edit the same document" is a group size, not the user base
        key = _users_after(text, n, nouns) or _users_before(text, n) or _active_daily_after(text, n)
        if key:
            src = _snippet(text, max(0, n.start - 25), n.end + 35)
            yield key, Quantity(n.value, "users", src), [n.start]


_ONLINE_AFTER = re.compile(r"\s+(?:are\s+|is\s+|were\s+|will\s+be\s+)?(?:all\s+)?(?:online|connected|logged\s+in|"
                           r"concurrent(?:ly)?|simultaneous(?:ly)?|at\s+(?:the\s+same\s+time|once))\b", re.I)


_PLURAL_THING = re.compile(r"\s+([a-z][a-z\-]{2,}s)\b", re.I)
# People counted per one of another thing ("250 patients per clinic per day", "30 guests
# each", "registries, each with ~60 gifts and 120 guests") are that holder's, not the user base.
_PER_HOLDER_AFTER = re.compile(r"\s*(?:per|a|an|for\s+each|for\s+every)\s+(?!(?:second|sec|minute|min|hour|day|week|month|year|"
                               r"user|person|customer|member)s?\b)[a-z][a-z\-]{2,}\b(?!\s+(?:users?|customers?|members?)\b)|\s*(?:each|apiece)\b", re.I)
_EACH_LEAD = re.compile(r"\beach\s+(?:with|has|having|holding|of\s+(?:which|them)\s+(?:has|with))\s+"
                        r"(?:[^.;:]{0,30}?\band\s+)?(?:up\s+to|about|around|roughly|at\s+most|~)?\s*~?$", re.I)


def _users_after(text: str, n: Number, nouns: set[str]) -> str:
    quals: list[str] = []
    rest = text[n.end:n.end + 80]
    for m in re.finditer(r"[A-Za-z][A-Za-z\-']*", rest):
        w = m.group(0).lower()
        if w in _USER_QUALIFIERS:
            quals.append(w)
            continue
        if w not in nouns and w + "s" not in nouns:  # "a 5,000-employee company"
            return ""
        if w + "s" in nouns and not rest[:m.start()].endswith("-") and _PLURAL_THING.match(rest, m.end()) \
                and _PLURAL_THING.match(rest, m.end()).group(1).lower() not in nouns:
            return ""  # "1.2M supplier invoices a month": the people word qualifies the counted thing
        if re.match(r"\s*(?:per|/|a|an|each|every)\s*(?:second|sec|minute|hour|day|week|month|year)\b", rest[m.end():], re.I):
            return ""  # "10k users per day" is a rate of sign-ups
        if _ONLINE_AFTER.match(rest, m.end()):
            return ""  # "20,000 users are online at the same time" is a concurrency, not the user base
        if _PER_HOLDER_AFTER.match(rest, m.end()) or _EACH_LEAD.search(text, max(0, n.start - 40), n.start):
            return ""  # "250 patients per clinic per day", "each with 120 guests": people of one holder, not the user base
        return _user_key(quals, w)
    return ""


# "9 million registered users, 2.2 million of them active daily": a count of the people just
# counted, said active on a day, is the daily actives, not a stream of 2.2M things a day.
_ACTIVE_DAILY_AFTER = re.compile(r"\s+(?:of\s+(?:them|those|whom|these)\s+)(?:are\s+|being\s+)?(?:active|online|log(?:ging)?\s+in)\s+"
                                 r"(?:daily|every\s+day|each\s+day|on\s+(?:a|any)\s+(?:given\s+|typical\s+)?day)\b", re.I)


def _active_daily_after(text: str, n: Number) -> str:
    return "daily_active_users" if _ACTIVE_DAILY_AFTER.match(text, n.end) else ""


def _users_before(text: str, n: Number) -> str:
    left = text[max(0, n.start - 40):n.start].lower()
    m = re.search(r"(daily active users|dau|monthly active users|mau|total users|registered users|users|customers)\s*(?:of|:|=|is|are|at|around|about|~)\s*$", left)
    if not m:
        return ""
    parts = m.group(1).split()
    return _user_key(parts[:-1], parts[-1])


def _user_key(quals: list[str], noun: str) -> str:
    if "new" in quals or "concurrent" in quals or "simultaneous" in quals or "online" in quals:
        return ""
    if noun == "dau" or "daily" in quals:
        return "daily_active_users"
    if noun == "mau" or "monthly" in quals:
        return "monthly_active_users"
    if "active" in quals and "weekly" not in quals:
        return "daily_active_users"
    return "total_users"


# A share said in words: "a quarter", "half", "two thirds", "one in five" (the text arrives with
# number words as digits: "2 thirds", "1 in 5").
_PARTS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
_WORD_SHARE = re.compile(r"\b(?:(?P<k>a|one|\d)\s+(?P<part>halfs?|thirds?|quarters?|fifths?|tenths?)|(?P<half>half)|"
                         r"(?:one|1)\s+in\s+(?P<n>\d{1,2}))\b", re.I)
_OF_USERS = re.compile(r"\s+(?:of\s+(?:them|those|(?:the|our|these|all)\s+(?:[a-z\-]+\s+)?(?:users|customers|people|members|accounts|"
                       r"players|subscribers|listeners|readers))\b|(?:[a-z\-]+s\s+)?(?:are|is|use|uses|log|logs|visit|visits|come)\b)", re.I)
_ON_A_DAY = re.compile(r"\b(?:daily|every\s+day|each\s+day|on\s+(?:a|any)\s+(?:given\s+|typical\s+|normal\s+|single\s+)?day|"
                       r"per\s+day|a\s+day)\b", re.I)
_ACTIVE = re.compile(r"\b(?:active|use\s+(?:it|the\s+\w+)|log\s+in|logs\s+in|visit|visits|open\s+the\s+app|come\s+back|online)\b", re.I)


def word_daily_share(text: str) -> tuple[Quantity, int, int] | None:
    """The share of users active on a day when the text says it in words ("about a quarter of
    them active on a given day", "one in five members log in daily"), with the span it covers:
    the share is followed by people (or a verb of theirs) and, in the same clause, by an
    activity word and a day word. A share of anything else ("half of the orders are paid by
    card") is not a share of users."""
    for m in _WORD_SHARE.finditer(text):
        if not _OF_USERS.match(text, m.end()):
            continue
        c0, c1 = clause_bounds(text, m.start())
        rest = text[m.end():c1]
        if not (_ON_A_DAY.search(rest) and _ACTIVE.search(rest)):
            continue
        if m.group("n"):
            value = 1 / max(1, int(m.group("n")))
        elif m.group("half"):
            value = 0.5
        else:
            k = m.group("k").lower()
            value = (1 if k in ("a", "one") else int(k)) / _PARTS[m.group("part").lower()]
        if not 0 < value < 1:
            continue
        return Quantity(value, "x", _snippet(text, c0, c1)), m.start(), m.end()
    return None


def _percentages(text, nums, vocab, used):
    fractions, values, used_here = [], {}, []
    media = set(vocab["media_words"])
    for n in nums:
        if n.start in used or not _PERCENT_RE.match(text, n.end):
            continue
        c0, c1 = clause_bounds(text, n.start)
        clause = text[c0:c1].lower()
        after = text[n.end:c1].lower()
        frac = n.value / 100
        src = _snippet(text, c0, c1)
        of_users = re.match(r"\s*(?:%|percent)\s+of\s+(?:the\s+)?(?:\w+\s+)?(?:users|customers|people|them|accounts|members)", after)
        # "10% of DAU trade": a share of the daily actives who act, not the share active daily
        of_actives = re.match(r"\s*(?:%|percent)\s+of\s+(?:the\s+|our\s+)?(?:dau|daily\s+active\s+\w+|daily\s+users|active\s+\w+)\b", after)
        if of_actives:
            fractions.append((c0, c1, frac))
            used_here.append(n.start)
            continue
        daily = re.search(r"\bdaily\b|every day|each day|\bdau\b|\bper day\b|\ba day\b", clause)
        if daily and (not of_users or re.search(r"\bactive\b|use (?:it|the \w+) (?:daily|every day)|log in|visit", clause)) \
                and not re.search(r"\bof\s+(?:the\s+)?(?:tweets|posts|messages|photos|uploads)", after):
            values.setdefault("daily_active_fraction", Quantity(frac, "x", src))
        elif of_users:
            fractions.append((c0, c1, frac))
        elif set(words(after)) & media or "media" in after:
            values.setdefault("media_fraction", Quantity(frac, "x", src))
        else:
            continue
        used_here.append(n.start)
    return fractions, values, used_here


def flags(text: str, vocab: dict) -> tuple[str, tuple[str, ...], str]:
    """Consistency, compliance and traffic hints from key phrases."""
    consistency = next((k for k, ph in vocab["consistency"].items() if has_phrase(text, ph)), "")
    compliance = tuple(k for k, ph in vocab["compliance"].items() if has_phrase(text, ph))
    traffic = "high" if has_phrase(text, vocab["traffic_high"]) else (
        "low" if has_phrase(text, vocab["traffic_low"]) else "")
    return consistency, compliance, traffic


def unit_seconds(word: str) -> float:
    """Seconds in a time unit as written ("sec", "hrs", "minutes"); a minute when unknown."""
    w = word.lower()
    if w in ("s", "sec", "secs", "second", "seconds"):
        return 1.0
    if w in ("h", "hr", "hrs"):
        return 3600.0
    return float(DURATION_S.get(duration_unit(w), 60))


def _share_window_s(clause: str) -> tuple[float | None, bool]:
    """Seconds of the window a share is said of: "the busiest hour", or a span of the clock
    ("the 9-10am hour", "between 6 and 8am"); and whether it is a span of the clock."""
    named = _SHARE_WINDOW.search(clause)
    if named:
        return DURATION_S[duration_unit(named.group(1))], False
    clock = _CLOCK_SPAN.search(clause)
    if not clock:
        return None, False
    end = int(clock.group(4)) % 12 + (12 if clock.group(6).lower() == "pm" else 0) + int(clock.group(5) or 0) / 60
    start = int(clock.group(1)) % 12 + int(clock.group(2) or 0) / 60
    if (clock.group(3) or clock.group(6)).lower() == "pm":
        start += 12
    if start >= end and not clock.group(3):  # "11-1pm": the start is the morning's
        start -= 12
    hours = end - start
    return (hours * 3_600 if 0 < hours <= 12 else None), True


def _share_base_s(text: str, after_pct: int, pct_start: int) -> float | None:
    """Seconds of the period a share is taken of: "of the day's visits", "of daily volume", or
    "of them" after a stream counted per period earlier in the text."""
    base = _SHARE_BASE.match(text, after_pct)
    if base:
        return DURATION_S[_BASE_PERIOD[(base.group(1) or base.group(2)).lower()]]
    if not _OF_THE_STREAM.match(text, after_pct):
        return None
    periods = list(_STREAM_PERIOD.finditer(text, max(0, pct_start - 400), pct_start))
    if not periods:
        return None
    word = (periods[-1].group(1) or periods[-1].group(2)).lower()
    return DURATION_S[_BASE_PERIOD[word]]
