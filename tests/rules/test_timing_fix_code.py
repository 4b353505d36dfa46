"""The timing-unsafe-comparison fix rewrites the comparison where it sits on the line, and the
snippet parses on its own (a conditional expression inside a call once became invalid code)."""
import ast

import pytest

from servicelens.rules.python.timing_unsafe_comparison import _fix_code


@pytest.mark.parametrize("line, negate, expected", [
    ("    return HttpResponse(status=204 if token == settings.RELAY_TOKEN else 403)", False,
     "return HttpResponse(status=204 if hmac.compare_digest(token, settings.RELAY_TOKEN) else 403)"),
    ("    if sig != expected:  # reject", True, "if not hmac.compare_digest(sig, expected):\n    ..."),
    ('    elif request.args["t"] == TOKEN:', False, 'if hmac.compare_digest(request.args["t"], TOKEN):\n    ...'),
    ("    ok = header_token == api_key", False, "ok = hmac.compare_digest(header_token, api_key)"),
])
def test_the_comparison_is_replaced_where_it_sits(line, negate, expected):
    fix = _fix_code(line, negate)
    assert fix == f"import hmac\n\n{expected}"
    ast.parse(fix)


def test_a_comparison_spread_over_lines_gets_the_generic_example():
    fix = _fix_code("    if (provided ==", False)
    assert "compare_digest(provided, expected)" in fix
    ast.parse(fix)
