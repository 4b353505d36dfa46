"""unbounded-query on a shared list helper: one finding at the query (the line to change), with
every handler that returns its rows as evidence and none that only counts them."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings

CASE = Path(__file__).parents[1] / "fixtures" / "unbounded-query" / "shared_list_helper"


def test_one_finding_at_the_query_lists_the_handlers_returning_its_rows() -> None:
    report = review(CASE, Settings(select=frozenset({"unbounded-query"}), use_cache=False, profile="extended"))
    [finding] = [f for f in report.findings if f.concern == "unbounded-query"]
    assert (finding.location.path, finding.location.start_line) == ("lending/loans.py", 10)
    sites = [(step.location.path, step.location.start_line) for step in finding.evidence]
    assert sites == [("lending/api.py", 11), ("lending/api.py", 17)]  # not the count at line 23
    assert "`member_loans`, `desk_member_loans`" in finding.title
    assert finding.reach == "request"
