"""Which code is a stand-in for the real thing: a test double kept beside production code.

Not a rule. A class named for a double (`MockAgentService`, `FakeMailer`, `StubClient`,
`DummyCache`, `PaymentGatewayMock`) answers in place of a real service: in tests, or in a
development mode a setting turns on (`if settings.mock_mode: return MockAgentService()`).
What its methods do is the developer's stand-in for the real work (a `time.sleep(1)` that
imitates a slow model call), never a deployment's cost, so performance rules mark findings
there development-only: `--profile extended` still shows them, the default holds them back.
A class whose name only contains such a word elsewhere (`MockingbirdService`,
`StubbornRetry`) is not one.
"""
from __future__ import annotations

from dataclasses import replace

from servicelens import ir
from servicelens.infra.development import DEVELOPMENT
from servicelens.model.finding import Finding, Location, TraceStep
from servicelens.rules.python._common import words

_DOUBLES = frozenset({"mock", "fake", "stub", "dummy"})
STAND_IN_EVIDENCE = "development-only stand-in: "


def stand_in_class(function: ir.Function) -> str:
    """The name of the test-double class `function` is a method of ("" when it is none): the
    class's first or last word names a double."""
    if not function.class_name:
        return ""
    name = function.class_name.rsplit(".", 1)[-1]
    parts = words(name)
    return name if parts and (parts[0] in _DOUBLES or parts[-1] in _DOUBLES) else ""


def mark_stand_in(finding: Finding, cls: str) -> Finding:
    """The finding with reach `development` and the stand-in class as its last evidence step
    (analysis/profiles.py holds it back)."""
    if not cls:
        return finding
    step = TraceStep(Location(finding.location.path, finding.location.start_line),
                     f"{STAND_IN_EVIDENCE}{cls} is a test double (mock, fake, stub), not the service's real code")
    return replace(finding, reach=DEVELOPMENT, evidence=finding.evidence + (step,))
