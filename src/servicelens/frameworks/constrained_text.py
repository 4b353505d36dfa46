"""Text a framework accepts only when it matches a pattern: FastAPI's `Path(pattern=...)`,
`Query(regex=...)`, pydantic's `constr(pattern=...)`, `Field(pattern=...)` and
`StringConstraints(pattern=...)`. The framework answers 422 before the handler runs unless the
value matches, so a pattern that admits only letters, digits and a few punctuation marks leaves
a value that cannot spell markup, a query, a path step or a line break, like an `int` or a UUID.

A pattern counts only when it is anchored at both ends (pydantic searches, it does not match the
whole value) and its characters are plain: no `.`, no negated class (`[^/]` admits a newline), no
`\\s`, `\\S`, `\\W`, `\\D` or other escape that admits a control character. `\\w` and `\\d` are
letters and digits.
"""
from __future__ import annotations

import re

from servicelens import ir

# the keywords a constraint names its pattern with (`regex=` is FastAPI's older spelling)
_PATTERN_KEYWORDS = ("pattern", "regex")
_ANCHORS = (("^", "$"), ("\\A", "\\Z"), ("\\A", "\\z"), ("^", "\\Z"), ("^", "\\z"))
_LETTER_ESCAPES = re.compile(r"\\[dw\-_]")
_PLAIN = re.compile(r"^[A-Za-z0-9_\-\[\]{}()+*?,|]*$")


def constrains_text(expr: ir.Expr | None) -> bool:
    """A call giving a plain, anchored pattern the value must match (`Path(pattern=r"^[a-z0-9-]+$")`)."""
    if not isinstance(expr, ir.Call):
        return False
    for key in _PATTERN_KEYWORDS:
        given = expr.kwarg(key)
        if isinstance(given, ir.Const) and isinstance(given.value, str) and plain_pattern(given.value):
            return True
    return False


def plain_pattern(pattern: str) -> bool:
    """Anchored at both ends, and every character it admits a letter, a digit or plain punctuation."""
    for start, end in _ANCHORS:
        if pattern.startswith(start) and pattern.endswith(end) and len(pattern) > len(start) + len(end):
            body = pattern[len(start):len(pattern) - len(end)]
            return "[^" not in body and bool(_PLAIN.match(_LETTER_ESCAPES.sub("", body)))
    return False
