"""Which arguments a %-message formats as numbers (sensitive-data-logged reads them as no credential):
a `*` width or precision takes an argument of its own, and `%(name)d` reads one mapping, not positions."""
from __future__ import annotations

from servicelens.rules.python.sensitive_data_logged import _numeric_conversions


def test_positions_of_numeric_conversions() -> None:
    assert _numeric_conversions("created=%d for %s", 2) == frozenset({0})
    assert _numeric_conversions("%s then %.2f", 2) == frozenset({1})


def test_a_star_width_or_precision_takes_an_argument() -> None:
    assert _numeric_conversions("%s %*d", 3) == frozenset({2})  # the width is argument 1, the number 2
    assert _numeric_conversions("%*.*f %s", 4) == frozenset({2})


def test_named_conversions_read_no_position() -> None:
    assert _numeric_conversions("%(count)d tokens", 1) == frozenset()
