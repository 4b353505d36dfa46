"""line_matches must yield exactly what finditer yields for a pattern anchored at a line's start."""
from __future__ import annotations

import re

import pytest

from servicelens.sources.line_matches import line_matches

_INDENTED_CLASS = re.compile(r"(?m)^[ \t]*class[ \t]+(\w+)[ \t]*\(([^)]*)\)")
_TOP_DEF = re.compile(r"(?m)^(?:async\s+)?def\s+(\w+)")
_TOP_CLASS = re.compile(r"^class\s+(?=([^\W\d]\w*)\b)", re.MULTILINE)

TEXTS = [
    "",
    "class A(B): pass\n",
    "    class Inner(Base):\n        pass\n\tclass Tabbed(X): pass\n",
    # a class word inside a line, in a string, after code: no match there
    'x = "class A(B)"\nmyclass Foo(Bar)\nif x: class C(D): pass\n',
    # a match whose bases span lines swallows the class statement written inside them
    "class A(B,\nclass C(D)):\n    pass\nclass E(F): pass\n",
    # a rejected word before a line that matches
    'x = "class A(" \nclass B(C): pass\n',
    # carriage returns are not indentation for [ \t]*, and `^` starts only after \n
    "\r class A(B): pass\r\nclass C(D): pass",
    "async def f(x):\n    pass\nasync\n\ndef g(): ...\n  def h(): ...\nxdef i(): ...\ndef",
    "async def\nasync def j(): ...\n",
    "class\nclass Foo:\n    pass\nclass 1bad:\nclass Größe(Basis): pass\n",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("pattern, leads, indent", [
    (_INDENTED_CLASS, ("class",), " \t"),
    (_TOP_DEF, ("def", "async"), ""),
    (_TOP_CLASS, ("class",), ""),
])
def test_same_matches_as_finditer(text: str, pattern: re.Pattern[str], leads: tuple[str, ...], indent: str) -> None:
    expected = [(m.span(), m.groups()) for m in pattern.finditer(text)]
    assert [(m.span(), m.groups()) for m in line_matches(pattern, text, leads, indent)] == expected


def test_lines_without_the_lead_are_not_tried() -> None:
    tried: list[int] = []

    class Recording:
        def match(self, text: str, pos: int) -> re.Match[str] | None:
            tried.append(pos)
            return _TOP_DEF.match(text, pos)

    text = "import os\n\ndef f():\n    def g(): ...\nx = 1\nasync def h(): ...\n"
    found = [m.group(1) for m in line_matches(Recording(), text, ("def", "async"))]  # type: ignore[arg-type]
    assert found == ["f", "h"]
    assert tried == [text.index("def f"), text.index("async def h")]


def test_a_match_spanning_lines_hides_the_lines_it_covers() -> None:
    text = "class A(B,\nclass C(D)):\nclass E(F): pass\n"
    assert [m.group(1) for m in line_matches(_INDENTED_CLASS, text, ("class",), " \t")] == ["A", "E"]
