"""The cheap text pre-filters in front of the secret shapes must never rule out a real shape."""
from __future__ import annotations

import pytest

from servicelens.rules.python._secrets import _SHAPES, provider_shape, url_password

_EXAMPLES = {
    "AWS access key id": "id AKIAIOSFODNN7EXAMPLF here",
    "private key": "-----BEGIN OPENSSH PRIVATE KEY-----",
    "Slack token": "xoxb-1234567890-abcdefghij",
    "GitHub token": "ghp_" + "a1B2" * 9,
    "Stripe secret key": "rk_live_" + "Zq9" * 8,
    "Google API key": "AIza" + "Sy0-x" * 7,
    "SendGrid API key": "SG." + "a" * 22 + "." + "B" * 43,
    "Twilio API key": "SK" + "0123456789abcdef" * 2,
}


def test_every_shape_has_an_example() -> None:
    assert {label for label, _ in _SHAPES} == set(_EXAMPLES)


@pytest.mark.parametrize("label", sorted(_EXAMPLES))
def test_each_provider_shape_passes_the_prefilter(label: str) -> None:
    assert provider_shape(_EXAMPLES[label]) == label


def test_plain_text_is_no_shape() -> None:
    assert provider_shape("select * from users where id = %s") is None


def test_url_password_needs_a_scheme_separator() -> None:
    assert url_password("postgres://app:Zr9vQ2x@db.prod.internal/app") == "Zr9vQ2x"
    assert url_password("app:Zr9vQ2x@db.prod.internal") is None
