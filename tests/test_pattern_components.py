"""taint.patterns: a validating pattern keeps a value one path component only when it can match no
separator or NUL, is anchored at both ends (by itself or by the method), and matches neither `.` nor `..`."""
import pytest

from servicelens.taint.patterns import one_path_component


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
])
def test_not_one_component(pattern: str, anchor: str) -> None:
    assert not one_path_component(pattern, anchor)
