"""Names in a batch's facts are one object each, held by the batch's table, not by the
interpreter: a long-running server must not keep the names of every tree it reviewed."""
from __future__ import annotations

import pickle
import sys
import weakref

from servicelens import runner
from servicelens.names import NameTable

_SERVICE = "from svc.store import put\n\ndef save(record):\n    put(record)\n\ndef handle(record):\n    put(record)\n"


def test_equal_names_become_the_first_object() -> None:
    table = NameTable()
    first = "".join(["pkg.", "save"])
    second = "".join(["pkg.", "save"])
    assert first is not second
    assert table(first) is first and table(second) is first
    assert len(table) == 1


def test_a_batch_shares_name_objects_across_files() -> None:
    jobs = [runner.FileJob(f"svc/m{i}.py", _SERVICE, str(i) * 64) for i in range(2)]
    first, second = runner.analyze_batch(jobs, (), frozenset())
    callees = [c.callee for facts in (first, second) for s in facts.summaries for c in s.calls if c.callee == "svc.store.put"]
    assert len(callees) == 4 and all(c is callees[0] for c in callees)
    params = [p for facts in (first, second) for s in facts.summaries for p in s.params]
    assert len(params) == 4 and all(p is params[0] for p in params)
    # one object per name is what a batch's single pickle writes once
    callees_after = [c.callee for facts in pickle.loads(pickle.dumps([first, second]))
                     for s in facts.summaries for c in s.calls if c.callee == "svc.store.put"]
    assert len(callees_after) == 4 and all(c is callees_after[0] for c in callees_after)


def test_names_do_not_outlive_the_batch() -> None:
    class Probe(str):  # a str subclass can be weakly referenced, and the table keeps what it is given
        __slots__ = ("__weakref__",)

    table = NameTable()
    name = Probe("pkg.module.function_only_this_test_names")
    alive = weakref.ref(table(name))
    del name, table
    assert alive() is None


def test_the_analysis_interns_nothing() -> None:
    if not hasattr(sys, "getunicodeinternedsize"):  # Python 3.12+
        return
    text = "".join(f"def only_in_this_test_{i}(p_{i}):\n    callee_only_here_{i}(p_{i})\n" for i in range(200))
    runner.analyze_batch([runner.FileJob("svc/names.py", text, "9" * 64)], (), frozenset())  # warm up imports
    before = sys.getunicodeinternedsize()
    text = text.replace("only", "solely")
    runner.analyze_batch([runner.FileJob("svc/names.py", text, "8" * 64)], (), frozenset())
    assert sys.getunicodeinternedsize() - before < 100  # not one per function, parameter and callee
