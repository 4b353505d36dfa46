"""The recall runner's miss-stage classifier (benchmarks/recall/miss_stages.py) on a synthetic set."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).parents[1] / "benchmarks" / "recall" / "miss_stages.py"
_spec = importlib.util.spec_from_file_location("miss_stages", _PATH)
stages = importlib.util.module_from_spec(_spec)
sys.modules["miss_stages"] = stages  # dataclasses look their module up while the class is made
_spec.loader.exec_module(stages)

Hit, LineFacts, ServiceFacts = stages.Hit, stages.LineFacts, stages.ServiceFacts
REACHED = LineFacts(analysed=True, language="python", reach="request", callers="signed-in", sink_event=False,
                    sink_call=False)


def _facts(line: LineFacts = REACHED, final: tuple = (), raw: tuple = (), item: dict | None = None) -> ServiceFacts:
    item = item or _item()
    return ServiceFacts(final=final, raw=raw, concerns_by_language={"python": frozenset({"sql-injection",
                                                                                         "missing-authentication",
                                                                                         "race-condition"})},
                        taint_concerns=frozenset({"sql-injection"}),
                        lines={(item["file"], item["line"], item["concern"]): line})


def _item(concern: str = "sql-injection", line: int = 40) -> dict:
    return {"file": "svc/repo.py", "line": line, "concern": concern}


def _with(**changes: object) -> LineFacts:
    from dataclasses import replace

    return replace(REACHED, **changes)


@pytest.mark.parametrize("facts,item,expected", [
    (_facts(_with(analysed=False, language="")), _item(), "not_analysed"),
    (_facts(raw=(Hit("sql-injection", "svc/repo.py", 42),)), _item(), "dropped_late"),
    (_facts(final=(Hit("sql-injection", "svc/repo.py", 90),)), _item(), "near_miss_line"),
    # the finding stands in another file, its evidence passes the defect's line
    (_facts(final=(Hit("sql-injection", "svc/db.py", 9, (("svc/repo.py", 38),)),)), _item(), "near_miss_line"),
    # the concern reported in the handler that calls the defect's function, not at the defect
    (_facts(_with(linked=frozenset({"svc.routes.show"})),
            final=(Hit("sql-injection", "svc/routes.py", 12, (), "svc.routes.show"),)), _item(), "across_call"),
    (_facts(final=(Hit("race-condition", "svc/repo.py", 44),)), _item(), "near_miss_concern"),
    (_facts(item=_item("missing-timeout")), _item("missing-timeout"), "no_rule"),
    (_facts(_with(reach="", callers="")), _item(), "no_entry_point"),
    (_facts(_with(callers="signed-in"), item=_item("missing-authentication")), _item("missing-authentication"),
     "auth_wrong"),
    (_facts(), _item(), "sink_unknown"),
    (_facts(_with(sink_call=True)), _item(), "source_not_seen"),
    (_facts(_with(sink_event=True)), _item(), "source_not_seen"),
    (_facts(_with(reach="", callers=""), item=_item("race-condition")), _item("race-condition"), "other_unreached"),
    (_facts(item=_item("race-condition")), _item("race-condition"), "other_reached"),
])
def test_first_stage_that_explains_the_miss(facts, item, expected):
    assert stages.classify(item, facts, slack=10) == expected


def test_a_finding_far_away_in_another_file_is_no_near_miss():
    facts = _facts(_with(sink_call=True), final=(Hit("sql-injection", "svc/other.py", 40),))
    assert stages.classify(_item(), facts, slack=10) == "source_not_seen"


def test_a_finding_in_a_function_off_the_call_path_is_not_across_the_call():
    facts = _facts(_with(linked=frozenset({"svc.routes.show"}), sink_call=True),
                   final=(Hit("sql-injection", "svc/routes.py", 30, (), "svc.routes.export"),))
    assert stages.classify(_item(), facts, slack=10) == "source_not_seen"


def test_linked_functions_are_callers_and_callees_up_to_three_calls_away():
    callees = {"r.handler": frozenset({"s.service"}), "s.service": frozenset({"d.repo"}),
               "d.repo": frozenset({"d.helper"}), "d.helper": frozenset({"d.deep"}), "d.deep": frozenset({"d.deeper"})}
    callers: dict = {}
    for caller, called in callees.items():
        for key in called:
            callers.setdefault(key, set()).add(caller)
    graph = (callees, {k: frozenset(v) for k, v in callers.items()})
    assert stages._linked(graph, "s.service") == {"r.handler", "d.repo", "d.helper", "d.deep"}
    assert stages._linked(graph, "") == frozenset()


def test_aggregate_table_prints_counts_only():
    table = stages.aggregate_table([("sql-injection", "sink_unknown"), ("sql-injection", "sink_unknown"),
                                    ("race-condition", "other_reached")], ["ssrf"])
    assert "missed 3: sink_unknown 2, other_reached 1" in table
    assert "look-alikes flagged 1: ssrf 1" in table
    assert ".py" not in table and ":" not in table.replace("missed 3:", "").replace("flagged 1:", "")


def test_gather_reads_the_pipeline_facts_of_a_small_service(tmp_path):
    (tmp_path / "app.py").write_text(
        "import sqlite3\nfrom flask import Flask\n\napp = Flask(__name__)\nTABLE = load_table_name()\n\n\n"
        "@app.route('/rows')\ndef rows():\n    cursor = sqlite3.connect('x.db').cursor()\n"
        "    cursor.execute(f'SELECT * FROM {TABLE}')\n    return {'rows': cursor.fetchall()}\n", "utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text("def test_x():\n    assert eval(input())\n", "utf-8")
    items = [_item_at("app.py", 11, "sql-injection"), _item_at("tests/test_app.py", 2, "code-injection")]
    facts = stages.gather(tmp_path, items, slack=2)
    sql = facts.lines[("app.py", 11, "sql-injection")]
    assert (sql.analysed, sql.language, sql.reach, sql.sink_call, sql.layer) == (True, "python", "request", True, "handler")
    assert stages.classify(items[0], facts, 2) == "source_not_seen"
    assert stages.classify(items[1], facts, 2) == "not_analysed"


def _item_at(path: str, line: int, concern: str) -> dict:
    return {"file": path, "line": line, "concern": concern}


def test_a_concern_reported_elsewhere_in_the_service_is_not_silent():
    facts = _facts(final=(Hit("sql-injection", "svc/other.py", 3),))
    assert not stages.silent_in_service(_item(), facts)
    assert stages.silent_in_service(_item("race-condition"), facts)
    assert "reported nowhere in its service: 4" in stages.aggregate_table([], [], 4)


def test_layer_counts_only_rule_silent_misses():
    rows = [("race-condition", "other_reached", "called"), ("race-condition", "other_reached", "handler"),
            ("sql-injection", "sink_unknown", "handler"), ("csrf", "other_unreached", "")]
    assert stages.layer_counts(rows) == "handler 1, called 1, elsewhere 1"


def test_layer_by_concern_counts_only_rule_silent_rows_per_concern_and_layer():
    rows = [
        ("missing-transaction", "other_reached", "called"),
        ("missing-transaction", "other_reached", "called"),
        ("missing-transaction", "other_unreached", ""),
        ("sql-injection", "source_not_seen", "called"),
        ("xss", "other_reached", "handler"),
    ]
    table = stages.layer_by_concern(rows)
    assert "missing-transaction" in table and "called 2, elsewhere 1" in table
    assert "xss" in table and "handler 1" in table
    assert "sql-injection" not in table  # not a rule-silent stage
