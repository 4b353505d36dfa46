"""The one-pass prototype (benchmarks/one_pass, issue 14): the flat-table builder and the two rules
written as queries over its tables, on small sources, both ways; and, on the same sources, that the
queries mark the sites today's rules report (the comparison the prototype's README measures on the
corpus). Nothing here times anything."""
from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import pytest
import tree_sitter_python
from tree_sitter import Language, Parser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.one_pass import tables as tb  # noqa: E402
from benchmarks.one_pass.compare import tables_side, today  # noqa: E402
from benchmarks.one_pass.queries import loop_round_trips, missing_timeouts  # noqa: E402

_PARSER = Parser(Language(tree_sitter_python.language()))


def _tables(source: str, path: str = "app/views.py") -> tb.Tables:
    data = dedent(source).encode()
    return tb.build(_PARSER.parse(data), data, path)


def _marked(source: str, expect: str) -> set[int]:
    """Lines of the fixture carrying `# expect` (or `# ok`)."""
    return {i for i, line in enumerate(dedent(source).splitlines(), 1) if line.rstrip().endswith(f"# {expect}")}


# --- the builder -----------------------------------------------------------------------------

def test_calls_carry_their_callee_chain_arguments_function_and_loop() -> None:
    t = _tables("""\
        import requests as r
        def f(items):
            for item in fetch(items):
                r.get(item.url, timeout=None, **extra)
            return [x.save() for x in items]
        """)
    by_chain = {row[tb.CALL_CHAIN]: row for row in t.calls}
    get = by_chain["r.get"]
    assert (get[tb.CALL_NARGS], get[tb.CALL_KW], get[tb.CALL_NONE_KW], get[tb.CALL_SPLAT]) == \
        (1, ("timeout",), ("timeout",), True)
    assert t.functions[get[tb.CALL_FUNC]][tb.FN_NAME] == "f"
    assert t.loops[get[tb.CALL_LOOP]][tb.LOOP_TARGETS] == ("item",)
    assert by_chain["fetch"][tb.CALL_LOOP] == -1  # the iterable runs once, before the loop
    assert t.loops[by_chain["x.save"][tb.CALL_LOOP]][tb.LOOP_KIND] == "comp"
    assert t.imports == (("r", "requests"),)


def test_chains_keep_the_calls_on_the_spine_and_stop_at_other_nodes() -> None:
    t = _tables("""\
        Item.objects.filter(a=1).get()
        "x".join(parts)
        await client.get(url)
        """)
    assert [row[tb.CALL_CHAIN] for row in t.calls][:2] == ["Item.objects.filter().get", "Item.objects.filter"]
    assert "?.join" in {row[tb.CALL_CHAIN] for row in t.calls}


def test_a_loop_does_not_reach_into_a_function_defined_in_its_body() -> None:
    t = _tables("""\
        def outer(rows):
            for row in rows:
                def later():
                    return Item.objects.get(pk=1)
        """)
    get = next(row for row in t.calls if row[tb.CALL_CHAIN] == "Item.objects.get")
    assert get[tb.CALL_LOOP] == -1
    assert t.functions[get[tb.CALL_FUNC]][tb.FN_QUALNAME] == "outer.<locals>.later"


def test_functions_classes_binds_withs_and_exits() -> None:
    t = _tables("""\
        class Client(Base):
            @property
            def session(self, s: requests.Session | None = None):
                self.http = s or make()
                with asyncio.timeout(5) as scope:
                    return self.http
        """)
    (qualname, name, cls, *_rest), = t.functions
    assert (qualname, name, cls) == ("Client.session", "session", "Client")
    assert t.functions[0][tb.FN_DECORATORS] == ("property",)
    assert t.functions[0][tb.FN_PARAMS] == (("self", ""), ("s", "requests.Session"))
    assert t.classes == (("Client", ("Base",), 1, 6),)
    assert (0, "self.http", "assign", "s|make()", 4, "") in t.binds
    assert t.withs == ((0, "asyncio.timeout()", "int", 5, 6),)
    assert [row[tb.EXIT_KIND] for row in t.exits] == ["return"]


def test_literal_kinds_mark_empty_and_starred_collections() -> None:
    t = _tables("""\
        a = []
        b = [1, 2]
        for x in (*rest, 1):
            pass
        """)
    assert [row[tb.BIND_VALUE] for row in t.binds[:2]] == ["empty", "list"]
    assert t.loops[0][tb.LOOP_ITER_KIND] == "tuple*"


# --- missing-timeout --------------------------------------------------------------------------

_TIMEOUTS = """\
import requests
import httpx
from requests import Session

SHARED = requests.Session()

def make_session():
    s = requests.Session()
    return s

class Api:
    def __init__(self, session: requests.Session):
        self._session = session
        self.other = make_session()

    def fetch(self, url):
        self._session.get(url)  # expect
        self.other.post(url, json={})  # expect
        self._session.get(url, timeout=5)  # ok

def handler(url, spec):
    requests.get(url)  # expect
    requests.post(url, timeout=None)  # expect
    requests.get(url, **options)  # ok
    SHARED.get(url)  # expect
    httpx.get(url)  # ok
    httpx.Client(timeout=None)  # expect
    with Session() as s:
        s.get(url)  # expect

def reads_a_mapping(spec):
    requests = spec.get("resources")
    requests.get("cpu")  # ok

async def bounded(url):
    async with asyncio.timeout(5):
        requests.get(url)  # ok
"""


def test_missing_timeout_marks_requests_and_httpx_calls_without_one() -> None:
    hits = {h.line for h in missing_timeouts(_tables(_TIMEOUTS))}
    assert hits == _marked(_TIMEOUTS, "expect")
    assert not hits & _marked(_TIMEOUTS, "ok")


def test_missing_timeout_skips_test_files() -> None:
    assert missing_timeouts(_tables(_TIMEOUTS, "tests/test_api.py")) == []


# --- query-in-loop -----------------------------------------------------------------------------

_LOOPS = """\
import requests
from .models import Item, Order

STATUSES = ("new", "paid")

async def per_item(ids, orders, session, cursor, conn, pool):
    for pk in ids:
        Item.objects.get(pk=pk)  # expect
        requests.get(f"https://x/{pk}")  # expect
        cursor.execute("SELECT 1")  # expect
    for status in STATUSES:
        Item.objects.filter(status=status).count()  # ok
    for order in orders:
        order.save()  # expect
    for order in Order.objects.filter(paid=True):
        Item.objects.filter(order=order).exists()  # expect
    for i in range(len(ids)):
        Item.objects.get(pk=ids[i])  # ok
    for pk in ids:
        if Item.objects.filter(pk=pk).exists():  # expect
            return pk
    for pk in ids:
        if pk == orders:
            return Item.objects.get(pk=pk)  # ok
    for batch in chunks(ids):
        Item.objects.filter(pk__in=batch).delete()  # ok
    names = [Item.objects.get(pk=pk).name for pk in ids]  # expect
    for pk in ids:
        conn.execute(f"UPDATE item SET seen = 1 WHERE id = {pk}")  # expect
        conn.execute("EXECUTE mark (%s)", (pk,))  # ok
        cursor.execute("EXECUTE mark (%s)", (pk,))  # ok
        conn.execute(build_statement(pk))  # ok
    statement = "DELETE FROM item WHERE id = $1"
    for pk in ids:
        await pool.execute(statement, pk)  # expect
    for row in await pool.fetch("SELECT id FROM item"):
        await pool.fetchrow("SELECT * FROM part WHERE item = $1", row["id"])  # expect
    return session.query(Item).filter(Item.id == 1).first()  # ok
"""


def test_loop_round_trips_fire_per_item_and_not_on_fixed_or_single_runs() -> None:
    hits = {h.line: h for h in loop_round_trips(_tables(_LOOPS))}
    assert set(hits) == _marked(_LOOPS, "expect")
    lines = dedent(_LOOPS).splitlines()
    n_plus_one = next(i for i, line in enumerate(lines, 1) if "order=order" in line)
    assert hits[n_plus_one].concern == "n-plus-one-query"
    per_row = next(i for i, line in enumerate(lines, 1) if "fetchrow" in line)
    assert hits[per_row].concern == "n-plus-one-query"  # the loop iterates rows a driver selected


def test_loop_round_trips_skip_migrations_and_commands() -> None:
    assert loop_round_trips(_tables(_LOOPS, "app/migrations/0002_fill.py")) == []
    assert loop_round_trips(_tables(_LOOPS, "app/management/commands/fill.py")) == []


# --- the same sites as today's rules -----------------------------------------------------------

@pytest.mark.parametrize("source", [_TIMEOUTS, _LOOPS])
def test_the_queries_mark_the_sites_todays_rules_report(source: str) -> None:
    sources = [("app/views.py", dedent(source))]
    old_timeouts, old_loops, _ = today(sources)
    new_timeouts, new_loops = tables_side(sources)
    assert new_timeouts == old_timeouts
    assert new_loops == old_loops
