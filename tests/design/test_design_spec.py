"""spec.yaml: the documented YAML form of the requirement model."""
from __future__ import annotations

import pytest

from servicelens.design import design_from_spec
from servicelens.design.spec import SpecError, load_spec


def test_full_spec(catalog):
    req, stack = load_spec("""\
version: 1
requirement: URL shortener
stack: spring
traffic:
  writes: 100M/month
  read_write_ratio: 100
  peak_factor: 3
  daily_active_users: 10M
data:
  record_size: 500 B
  retention: 5 years
targets:
  latency_p99_ms: 50
  availability: 99.99
consistency: strong
compliance: [GDPR]
""", catalog)
    assert stack == "spring" and req.domains == ("url_shortener",)
    write = next(r for r in req.rates if r.kind == "write")
    assert write.per_second == pytest.approx(40)
    assert req.read_write_ratio.value == 100 and req.peak_factor.value == 3
    assert req.record_bytes.value == 500 and req.retention.value == 5 * 31_536_000
    assert req.availability_pct.value == 99.99 and req.compliance == ("GDPR",)


def test_numbers_per_second(catalog):
    req, _ = load_spec("version: 1\ndomains: [orders]\ntraffic:\n  writes: 50\n  reads: 500/s\n", catalog)
    rates = {r.kind: r.per_second for r in req.rates}
    assert rates == {"write": 50, "read": 500}


@pytest.mark.parametrize("text,line,field", [
    ("version: 3\ndomains: [orders]\n", 1, "version"),
    ("version: 1\ndomains: [order]\n", 2, "domains"),
    ("version: 1\ndomains: [orders]\ntraffic:\n  writes: lots\n", 4, "traffic.writes"),
    ("version: 1\ndomains: [orders]\ndata:\n  retention: forever\n", 4, "data.retention"),
    ("version: 1\ndomains: [orders]\ndata:\n  record_size: big\n", 4, "data.record_size"),
    ("version: 1\ndomains: [orders]\ntargets:\n  availability: 120\n", 4, "targets.availability"),
    ("version: 1\ndomains: [orders]\nconsistency: maybe\n", 3, "consistency"),
    ("version: 1\ndomains: [orders]\ntraffic: 5\n", 3, "traffic"),
    ("version: 1\ndomains: [orders]\nwrites: 5\n", 3, "writes"),
])
def test_errors_name_line_and_field(catalog, text, line, field):
    with pytest.raises(SpecError) as err:
        load_spec(text, catalog)
    assert err.value.line == line and err.value.field == field
    assert str(err.value).startswith(f"line {line}: {field}:")


def test_spec_design_end_to_end(catalog):
    p = design_from_spec("version: 1\ndomains: [auth]\ntraffic:\n  requests: 20k rps\n", "express", catalog)
    assert p.stack == "express"
    hashing = next(c for c in p.capacity if c.name == "vCPU for password hashing (peak)")
    assert hashing.value == pytest.approx(500)
