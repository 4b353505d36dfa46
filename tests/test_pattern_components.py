"""taint.patterns: a validating pattern keeps a value one path component only when it can match no
separator or NUL, is anchored at both ends (by itself or by the method), and matches neither `.` nor `..`."""
import pytest

from servicelens import ir
from servicelens.taint.patterns import compiled_pattern, one_path_component, strips_to_one_component


@pytest.mark.parametrize("pattern, anchor", [
    (r"^[\w.-]{4,64}$", "start"),
    (r"[a-z0-9]+(?:-[a-z0-9]+)*", "full"),
    (r"^[a-z0-9_-]+$", "none"),
    (r"^[a-z]+\.(png|jpg)$", "start"),
    (r"\A[0-9a-f]{32}\Z", "none"),
])
def test_one_component(pattern: str, anchor: str) -> None:
    assert one_path_component(pattern, anchor)


@pytest.mark.parametrize("pattern, anchor", [
    (r"^[\w.-]+$", "start"),  # `..`
    (r"[\w/-]+", "full"),  # a separator in the class
    (r"^.+$", "start"),  # any character
    (r"^[^/]+$", "start"),  # a negated class admits a backslash and `..`
    (r"^\w+", "start"),  # not anchored at the end
    (r"[\w-]+$", "none"),  # not anchored at the start
    (r"^(abc|d/e)$", "start"),  # a branch with a separator
    (r"^\W+$", "start"),  # the complement of a word class
    (r"^[ -~]+$", "start"),  # a range spanning `/`
    (r"^a|b$", "start"),  # the anchors bind the branches, not the whole
    (r"^[unclosed$", "start"),  # not a pattern at all
    (r"(?m)^[a-z0-9_-]+$", "start"),  # `$` ends a line: `abc\n../x` matches
    (r"(?m)^[a-z0-9_-]+$", "none"),
])
def test_not_one_component(pattern: str, anchor: str) -> None:
    assert not one_path_component(pattern, anchor)


def test_multiline_keeps_string_anchors() -> None:
    assert one_path_component(r"(?m)\A[a-z0-9_-]+\Z", "none")
    assert one_path_component(r"(?m)^[a-z0-9_-]+$", "full")


@pytest.mark.parametrize("source, found", [
    ("ID_RX = re.compile(r'^[a-z]+$')", True),
    ("ID_RX = re.compile(r'^[a-z]+$', re.I)", True),
    ("ID_RX = re.compile(r'^[a-z]+$', re.M)", False),
    ("ID_RX = re.compile(r'^[a-z]+$', flags=re.IGNORECASE | re.MULTILINE)", False),
])
def test_a_multiline_compiled_pattern_is_no_validator(source: str, found: bool) -> None:
    from servicelens.lang.python.lower import lower_module
    from servicelens.sources.parsing import ParserPool
    module = lower_module(ParserPool().parse("python", source.encode()).root_node, "app/ids.py", (source,))
    qualify = lambda expr: "re.compile" if ir.dotted_name(expr) == "re.compile" else None  # noqa: E731
    assert (compiled_pattern(module.body[0], qualify) is not None) == found


@pytest.mark.parametrize("pattern, replacement", [
    (r"[^0-9a-zA-Z-]+", ""),
    (r"[^A-Za-z0-9_]", "_"),
    (r"[^\w-]*", ""),  # `\w` holds no separator or dot
    (r"[/\\.\x00]", ""),  # a class of exactly what climbs
    (r"[^a-z0-9]+", "-"),
])
def test_a_substitution_stripping_every_climbing_character_leaves_one_component(pattern: str, replacement: str) -> None:
    assert strips_to_one_component(pattern, replacement)


@pytest.mark.parametrize("pattern, replacement", [
    (r"[^\w.-]+", "_"),  # spares the dot: `..` survives
    (r"[^a-z0-9]+", "."),  # writes the dot back: `a/../b` -> `a....b`, and `/..` -> `..`
    (r"[^a-z0-9]+", "/"),  # writes a separator
    (r"\.\./", ""),  # several items: `....//` -> `../`
    (r"[/\\]", ""),  # keeps the dot: `..`
    (r"([^a-z0-9])", r"\1"),  # a group writing back what it matched
    (r"[^a-z", ""),  # not a pattern at all
])
def test_a_substitution_that_can_leave_a_climbing_character_does_not(pattern: str, replacement: str) -> None:
    assert not strips_to_one_component(pattern, replacement)
