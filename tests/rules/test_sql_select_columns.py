"""The SQL read-then-write race rule reads the columns a SELECT names; a selected item with no word
after its last dot (a numeric literal `1.`, a string `'v.'`) must name no column, never stop the file's review."""
from __future__ import annotations

from servicelens.api import review_source
from servicelens.config.settings import Settings
from servicelens.rules.python.rel_race_sql import _columns

_SERVICE = '''
def reserve(conn, seat_id):
    cur = conn.cursor()
    cur.execute("SELECT seats.taken, 1. FROM seats WHERE id = %s", (seat_id,))
    taken = cur.fetchone()[0]
    if not taken:
        cur.execute("UPDATE seats SET taken = true WHERE id = %s", (seat_id,))
'''


def test_columns_are_the_last_word_of_each_item() -> None:
    assert _columns("t.id, name AS n, 1., 'v.'") == ["id", "n"]
    assert _columns("*") == []


def test_a_select_with_a_trailing_dot_item_is_reviewed() -> None:
    report = review_source({"seats.py": _SERVICE}, Settings(use_cache=False))
    assert not [d for d in report.diagnostics if d.kind == "analysis-error"]
