"""Golden files: the sample report rendered in every format, compared byte for byte.

Regenerate after an intended change with SERVICELENS_UPDATE_GOLDEN=1 and review the diff:
the golden files are the renderers' specification by example.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from servicelens.model import Report
from servicelens.render import RENDERERS, render

GOLDEN = Path(__file__).parent / "golden"
FILES = {"markdown": "report.md", "json": "report.json", "sarif": "report.sarif",
         "html": "report.html"}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_matches_golden(report: Report, fmt: str) -> None:
    path = GOLDEN / FILES[fmt]
    actual = render(report, fmt)
    if os.environ.get("SERVICELENS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"{path} missing: regenerate it, and check .gitignore does not hide it"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{path.name} differs; rerun with SERVICELENS_UPDATE_GOLDEN=1"


def test_every_format_has_a_golden_file() -> None:
    assert set(RENDERERS) == set(FILES)


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_deterministic(report: Report, fmt: str) -> None:
    assert render(report, fmt) == render(report, fmt)


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_ends_with_one_newline(report: Report, fmt: str) -> None:
    text = render(report, fmt)
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_unknown_format_names_the_valid_ones(report: Report) -> None:
    with pytest.raises(ValueError, match="markdown, json, sarif, html"):
        render(report, "pdf")
