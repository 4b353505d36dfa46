"""A project decorator that refuses every caller without a back-office role, by what its body
tests and whatever it is called, makes its routes staff-only (FileFacts.privileged): the flaws
only such a caller could use are held back. A role that is one way in among others, or a role
test that refuses nobody, makes no back-office route."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings

FIXTURE = Path(__file__).parent / "fixtures" / "broken-object-authorization" / "flask_role_gates"


def test_role_gates_decide_who_calls_by_their_bodies() -> None:
    report = review(FIXTURE, Settings(select=frozenset({"broken-object-authorization"}), use_cache=False,
                                      profile="extended"))
    held = {f.location.start_line: f.held_back_by for f in report.findings
            if f.concern == "broken-object-authorization" and f.location.path == "registry/console.py"}
    assert held[16] == "callers"  # role compared with a constant and a literal tuple of console roles
    assert held[26] == "callers"  # `if not current_user.is_staff: abort(403)`
    assert held[34] != "callers"  # the role, or a feature switch any user may turn on
    assert held[44] != "callers"  # a role test that only logs
    assert held[52] != "callers"  # administrators at once, and an allow-list of other users too
