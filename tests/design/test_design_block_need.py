"""A building block is chosen by need, not by one word with other meanings: a word that
only weakly names a workload ("samples", "sensors") needs a second such word or the load
shape it serves (a periodic report from many sources). Texts written for these tests."""
from __future__ import annotations

from servicelens.design.catalog import load_catalog
from servicelens.design.characteristics import named_workloads
from servicelens.design.invariant_shapes import find_shapes

DATA = load_catalog().characteristics


def blocks(text: str) -> set[str]:
    return {b for b, _ in named_workloads(text, DATA)}


def test_one_weak_word_is_not_a_time_series():
    assert "time_series" not in blocks("A hospital lab tracks blood samples from 12 wards; each sample has a barcode.")


def test_a_weak_word_with_a_periodic_report_is_a_time_series():
    assert "time_series" in blocks("3,000 greenhouse sensors report humidity every 20 s.")


def test_two_weak_words_are_a_time_series():
    assert "time_series" in blocks("Pumps send sensor readings and operators chart the metrics.")


def test_the_ordering_key_is_a_whole_word():
    shapes = [s.subject for s in find_shapes("Samples are processed in order of arrival per analyser.")
              if s.kind == "per-key-order"]
    assert shapes == ["analyser"]
