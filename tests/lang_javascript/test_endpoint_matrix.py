"""The JS/TS framework coverage matrix: one small application per documented way to declare an
endpoint (tests/lang_javascript/endpoint_matrix/<form>/), each asserting the endpoint inventory
(method, full path, handler, auth) and that the handler's body and what it calls are reached
from a request while a look-alike no route names is not (`// reach:` marks in the code)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.lang_javascript.served_endpoints import expected_endpoints, serve

MATRIX = Path(__file__).parent / "endpoint_matrix"
CASES = sorted(p for p in MATRIX.iterdir() if (p / "endpoints.yaml").is_file())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_endpoint_inventory(case: Path) -> None:
    served = serve(case)
    expected = expected_endpoints(case)
    assert served.endpoints == expected, (
        f"missing: {sorted(expected - served.endpoints)}\nunexpected: {sorted(served.endpoints - expected)}")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_request_reach(case: Path) -> None:
    served = serve(case)
    assert served.marks, "a case marks the lines a request must and must not run"
    wrong = sorted(f"{path}:{line} marked {want}, reach {served.reach[(path, line)]}"
                   for (path, line), want in served.marks.items()
                   if (served.reach[(path, line)] == "request") != (want == "request"))
    assert not wrong, "\n".join(wrong)
