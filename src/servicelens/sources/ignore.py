"""gitignore semantics without backtracking regexes.

A reviewed repository writes its own `.gitignore`; compiled to a backtracking regex, a
pattern like `*a*a*a*a*c` takes exponential time on a long name. Here a pattern is a list
of path segments, each segment a list of single-character tokens and stars, matched with
the two-pointer wildcard algorithm (O(len(segment) * len(name))); `**` is a set of states
over segments. Every pattern costs polynomial time on any path.

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
    segments: tuple[tuple[Token, ...] | str, ...]  # GLOBSTAR or the tokens of one segment
    negated: bool
    dir_only: bool

    def matches(self, rel: str, is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        return _match_segments(self.segments, rel.split("/"))


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    rules: tuple[IgnoreRule, ...] = ()

    def decision(self, rel: str, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a negation; None: no pattern speaks about it."""
        for rule in reversed(self.rules):
            if rule.matches(rel, is_dir):
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
    segments: list[tuple[Token, ...] | str] = [] if anchored else [GLOBSTAR]
    for raw in _split_segments(body):
        if raw == [STAR, STAR]:
            if not segments or segments[-1] != GLOBSTAR:
                segments.append(GLOBSTAR)
            continue
        if not raw:
            continue  # "a//b" is "a/b"
        segments.append(tuple(raw))
    return IgnoreRule(text, tuple(segments), negated, dir_only)


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


def match_segment(tokens: Sequence[Token], name: str) -> bool:
    """Two-pointer wildcard match: on a mismatch, only the last star is retried one further."""
    t = n = 0
    star_t, star_n = -1, 0
    while n < len(name):
        if t < len(tokens) and tokens[t] is not STAR and _match_token(tokens[t], name[n]):
            t += 1
            n += 1
        elif t < len(tokens) and tokens[t] is STAR:
            star_t, star_n = t, n
            t += 1
        elif star_t != -1:
            star_n += 1
            t, n = star_t + 1, star_n
        else:
            return False
    while t < len(tokens) and tokens[t] is STAR:
        t += 1
    return t == len(tokens)


def _match_segments(segments: Sequence[tuple[Token, ...] | str], parts: Sequence[str]) -> bool:
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
            elif match_segment(segment, part):
                following.add(index + 1)
        states = following
        if not states:
            return False
    return len(segments) in states


def _close_globstars(states: set[int], segments: Sequence[tuple[Token, ...] | str]) -> set[int]:
    """A `**` that is not the last segment may match zero segments: also try what follows it."""
    closed = set(states)
    frontier = list(states)
    while frontier:
        index = frontier.pop()
        if index < len(segments) - 1 and segments[index] == GLOBSTAR and index + 1 not in closed:
            closed.add(index + 1)
            frontier.append(index + 1)
    return closed
