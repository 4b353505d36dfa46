"""gitignore semantics without backtracking regexes.

A reviewed repository writes its own `.gitignore`; compiled to a backtracking regex, a
pattern like `*a*a*a*a*c` takes exponential time on a long name. Here a pattern is a list
of path segments, each segment fixed-length chunks between stars, each chunk searched once
left to right (O(len(segment) * len(name)) at worst, str.find for plain text); `**` is a
set of states over segments. Every pattern costs polynomial time on any path.

Semantics follow gitignore(5): blank lines and `#` comments, `\\` escapes, trailing spaces
(unless escaped), `!` negation, a trailing `/` for directories only, a leading or middle
`/` anchors to the ignore file's directory, `*` `?` `[...]` never match `/`, `**` leading,
trailing and in the middle. The last matching pattern wins.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_NAMED_CLASSES = {
    "alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127, "digit": lambda c: "0" <= c <= "9",
    "graph": lambda c: c.isprintable() and not c.isspace(), "lower": str.islower,
    "print": str.isprintable, "punct": lambda c: c.isprintable() and not c.isalnum() and not c.isspace(),
    "space": str.isspace, "upper": str.isupper,
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class InvalidPattern(ValueError):
    """A pattern git would never match or that cannot be parsed; skipped with a diagnostic."""


class BudgetExhausted(Exception):
    """Matching has cost more than the caller allowed."""


@dataclass(slots=True)
class MatchBudget:
    """Work allowed for matching, in units of very roughly a microsecond.

    Each match is polynomial, but a repository chooses both the number of patterns and of
    paths, so the product needs a bound too. Mutable on purpose: one budget is passed
    explicitly through one discovery and spent as it goes."""

    remaining: int

    def spend(self, units: int) -> None:
        self.remaining -= units
        if self.remaining < 0:
            raise BudgetExhausted


@dataclass(frozen=True, slots=True)
class CharClass:
    negated: bool
    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    named: tuple[str, ...]

    def matches(self, char: str) -> bool:
        hit = (char in self.chars or any(low <= char <= high for low, high in self.ranges)
               or any(_NAMED_CLASSES[name](char) for name in self.named))
        return hit != self.negated


# a token is a literal character, "?" (ANY), "*" (STAR) or a CharClass
ANY = object()
STAR = object()
Token = object
GLOBSTAR = "**"


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    text: str  # the pattern as written, for messages
    segments: tuple[SegmentGlob | str, ...]  # GLOBSTAR or one segment's glob
    negated: bool
    dir_only: bool
    needle: str = ""  # the longest plain text any match must contain: a C-speed prefilter

    def matches_parts(self, parts: Sequence[str], is_dir: bool, budget: MatchBudget | None) -> bool:
        if self.dir_only and not is_dir:
            return False
        if len(self.segments) == 2 and self.segments[0] == GLOBSTAR:  # unanchored: the name alone
            return self.segments[1].matches(parts[-1], budget)  # type: ignore[union-attr]
        return _match_segments(self.segments, parts, budget)


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    rules: tuple[IgnoreRule, ...] = ()

    def decision(self, rel: str, is_dir: bool, budget: MatchBudget | None = None) -> bool | None:
        """True: ignored; False: re-included by a negation; None: no pattern speaks about it.

        Raises BudgetExhausted when `budget` runs out."""
        parts = rel.split("/")
        for rule in reversed(self.rules):
            if rule.needle not in rel:
                continue  # most patterns never come near most paths
            if rule.matches_parts(parts, is_dir, budget):
                return not rule.negated
        return None


@dataclass(frozen=True, slots=True)
class SkippedPattern:
    index: int  # 0-based position among the lines or list items
    text: str
    reason: str


def compile_patterns(lines: Iterable[str]) -> tuple[IgnoreRules, tuple[SkippedPattern, ...]]:
    """Rules from the lines of an ignore file (or a config list); invalid ones are reported."""
    rules: list[IgnoreRule] = []
    skipped: list[SkippedPattern] = []
    for index, line in enumerate(lines):
        try:
            rule = parse_pattern(line)
        except InvalidPattern as exc:
            skipped.append(SkippedPattern(index, line, str(exc)))
            continue
        if rule is not None:
            rules.append(rule)
    return IgnoreRules(tuple(rules)), tuple(skipped)


def parse_pattern(line: str) -> IgnoreRule | None:
    """One gitignore line; None for blank lines and comments."""
    text = _strip_trailing_spaces(line.rstrip("\r\n"))
    if not text or text.startswith("#"):
        return None
    negated = text.startswith("!")
    body = text[1:] if negated else text
    if not body:
        raise InvalidPattern("a lone '!' negates nothing")
    dir_only = body.endswith("/") and not body.endswith("\\/")
    if dir_only:
        body = body.rstrip("/")
    anchored = "/" in body
    body = body.lstrip("/")
    if not body:
        raise InvalidPattern("matches nothing")
    segments: list[SegmentGlob | str] = [] if anchored else [GLOBSTAR]
    for raw in _split_segments(body):
        if raw == [STAR, STAR]:
            if not segments or segments[-1] != GLOBSTAR:
                segments.append(GLOBSTAR)
            continue
        if not raw:
            continue  # "a//b" is "a/b"
        segments.append(SegmentGlob.of(raw))
    return IgnoreRule(text, tuple(segments), negated, dir_only, _needle(segments))


def _needle(segments: Sequence[SegmentGlob | str]) -> str:
    """Every plain-text chunk of a segment must occur in the path: keep the longest."""
    texts = [t for s in segments if isinstance(s, SegmentGlob) for t in s.texts if t]
    return max(texts, key=len, default="")


def _strip_trailing_spaces(text: str) -> str:
    end = len(text)
    while end > 0 and text[end - 1] == " ":
        backslashes = 0
        while end - 2 - backslashes >= 0 and text[end - 2 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2:
            break  # "\ " keeps its space
        end -= 1
    return text[:end]


def _split_segments(body: str) -> list[list[Token]]:
    """Tokens of each `/`-separated segment; a `/` inside brackets does not separate."""
    segments: list[list[Token]] = [[]]
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body):
                raise InvalidPattern("ends with an unescaped backslash")
            segments[-1].append(body[i + 1])
            i += 2
        elif char == "/":
            segments.append([])
            i += 1
        elif char == "*":
            segments[-1].append(STAR)
            i += 1
        elif char == "?":
            segments[-1].append(ANY)
            i += 1
        elif char == "[":
            klass, i = _parse_class(body, i)
            segments[-1].append(klass)
        else:
            segments[-1].append(char)
            i += 1
    return segments


def _parse_class(body: str, start: int) -> tuple[CharClass, int]:
    """`[...]` starting at body[start]; returns the class and the index after `]`."""
    i = start + 1
    negated = i < len(body) and body[i] in "!^"
    if negated:
        i += 1
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    named: list[str] = []
    first = True
    while True:
        if i >= len(body):
            raise InvalidPattern(f"unterminated character class at column {start + 1}")
        char = body[i]
        if char == "]" and not first:
            i += 1
            break
        first = False
        if char == "[" and body.startswith("[:", i):
            close = body.find(":]", i + 2)
            if close != -1:
                name = body[i + 2:close]
                if name not in _NAMED_CLASSES:
                    raise InvalidPattern(f"unknown character class [:{name}:]")
                named.append(name)
                i = close + 2
                continue
        if char == "\\":
            i += 1
            if i >= len(body):
                raise InvalidPattern(f"unterminated character class at column {start + 1}")
            char = body[i]
        i += 1
        if i + 1 < len(body) and body[i] == "-" and body[i + 1] != "]":
            high = body[i + 1]
            i += 2
            if high == "\\":
                if i >= len(body):
                    raise InvalidPattern(f"unterminated character class at column {start + 1}")
                high = body[i]
                i += 1
            if high < char:
                raise InvalidPattern(f"reversed range {char}-{high} in a character class")
            ranges.append((char, high))
        else:
            chars.add(char)
    return CharClass(negated, frozenset(chars), tuple(ranges), tuple(named)), i


def _match_token(token: Token, char: str) -> bool:
    if token is ANY:
        return True
    if isinstance(token, CharClass):
        return token.matches(char)
    return token == char


@dataclass(frozen=True, slots=True)
class SegmentGlob:
    """One path segment's pattern, split at its stars into fixed-length chunks.

    With only `*` between fixed-length chunks, the leftmost match of each chunk in turn is
    the right one, so no choice is ever revisited: each chunk is searched once, left to
    right (a plain-text chunk by str.find)."""

    chunks: tuple[tuple[Token, ...], ...]  # the pieces between stars (first/last may be empty)
    texts: tuple[str | None, ...]  # a chunk as plain text when every token is a literal character
    starred: bool
    base_cost: int  # budget units per call: about a microsecond each
    scan_cost: int  # tokens searched for position by position, in Python, per character of the name

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> SegmentGlob:
        chunks: list[list[Token]] = [[]]
        for token in tokens:
            if token is STAR:
                chunks.append([])
            else:
                chunks[-1].append(token)
        texts = tuple("".join(c) if all(isinstance(t, str) for t in c) else None for c in chunks)
        fixed = [len(c) for c, t in zip(chunks, texts) if t is None]
        scanned = [len(c) for c, t in zip(chunks[1:-1], texts[1:-1]) if t is None]
        return cls(tuple(tuple(c) for c in chunks), texts, len(chunks) > 1, 4 + sum(fixed) // 2, sum(scanned))

    def matches(self, name: str, budget: MatchBudget | None = None) -> bool:
        if budget is not None:
            budget.spend(self._cost(len(name)))
        if not self.starred:
            return len(name) == len(self.chunks[0]) and self._at(0, name, 0)
        if len(name) < sum(len(c) for c in self.chunks):
            return False
        end = len(name) - len(self.chunks[-1])
        if not (self._at(0, name, 0) and self._at(len(self.chunks) - 1, name, end)):
            return False
        position = len(self.chunks[0])
        for chunk, text in zip(self.chunks[1:-1], self.texts[1:-1]):
            found = name.find(text, position, end) if text is not None else _find_chunk(chunk, name, position, end)
            if found < 0:
                return False
            position = found + len(chunk)
        return True

    def _at(self, index: int, name: str, start: int) -> bool:
        text = self.texts[index]
        if text is not None:
            return name.startswith(text, start)
        return _chunk_at(self.chunks[index], name, start)

    def _cost(self, length: int) -> int:
        return self.base_cost + (length * self.scan_cost) // 4


def _chunk_at(chunk: Sequence[Token], name: str, start: int) -> bool:
    return all(_match_token(token, name[start + offset]) for offset, token in enumerate(chunk))


def _find_chunk(chunk: Sequence[Token], name: str, start: int, end: int) -> int:
    for position in range(start, end - len(chunk) + 1):
        if _chunk_at(chunk, name, position):
            return position
    return -1


def _match_segments(segments: Sequence[SegmentGlob | str], parts: Sequence[str],
                    budget: MatchBudget | None) -> bool:
    """Set of states over path segments: `**` matches zero or more (one or more when last)."""
    states = {0}  # indices into segments still to match before parts[position]
    for part in parts:
        states = _close_globstars(states, segments)
        following: set[int] = set()
        for index in states:
            if index >= len(segments):
                continue
            segment = segments[index]
            if segment == GLOBSTAR:
                following.add(index)  # it stays and takes this part
                if index == len(segments) - 1:
                    following.add(index + 1)
            elif segment.matches(part, budget):  # type: ignore[union-attr]
                following.add(index + 1)
        states = following
        if not states:
            return False
    return len(segments) in states


def _close_globstars(states: set[int], segments: Sequence[SegmentGlob | str]) -> set[int]:
    """A `**` that is not the last segment may match zero segments: also try what follows it."""
    closed = set(states)
    frontier = list(states)
    while frontier:
        index = frontier.pop()
        if index < len(segments) - 1 and segments[index] == GLOBSTAR and index + 1 not in closed:
            closed.add(index + 1)
            frontier.append(index + 1)
    return closed
