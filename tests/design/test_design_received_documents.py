"""Documents people send in get a malware scan before their first reader (design/file_blocks.py
`received_documents`, block `file_scan`); documents the system generates, issues or signs, media,
and documents the text already has scanned get none. Fixtures in tests/design/fixtures/received-documents."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

_cases = fixture_cases("received-documents")


def _scans(proposal) -> list[str]:
    return [c.name for c in proposal.components if c.name.startswith("Malware scanning")]


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_documents_sent_in_are_scanned(case, design):
    assert _scans(design(case["text"])) == [f"Malware scanning of uploaded {case['documents']}"]


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_documents_made_here_media_or_already_scanned_get_no_scan(case, design):
    assert _scans(design(case["text"])) == []
