"""Data origin: what each kind of request input can carry (taint/carriers.py)."""
from __future__ import annotations

from servicelens.taint.carriers import cannot_reach, source_origin
from servicelens.taint.models import load_models


def test_every_carrier_names_a_label_the_framework_models_use() -> None:
    labels: set[str] = set()
    for language in ("python", "javascript"):  # source_origin reads carriers.yaml for both
        models = load_models(language)
        labels |= set(models.request_attributes.values())
        labels |= {s.label for s in models.call_sources.values()} | {s.label for s in models.method_sources.values()}
    assert set(cannot_reach()) <= labels, "a carriers.yaml key matches no source label: it would never apply"


def test_a_header_value_starts_cleared_for_line_breaking_sinks_only() -> None:
    header = source_origin("remote-input", "request header", 3)
    assert header.cleansed == frozenset({"header-injection"})
    assert source_origin("remote-input", "query parameter", 3).cleansed == frozenset()
    assert {"ssrf", "open-redirect"} <= source_origin("remote-input", "request path", 3).cleansed


def test_the_requests_own_url_and_host_cannot_choose_a_redirect_target_but_can_reach_ssrf() -> None:
    for label in ("request URL", "Host header"):
        cleared = source_origin("remote-input", label, 3).cleansed
        assert "open-redirect" in cleared
        assert "ssrf" not in cleared
    assert "open-redirect" not in source_origin("remote-input", "query parameter", 3).cleansed
